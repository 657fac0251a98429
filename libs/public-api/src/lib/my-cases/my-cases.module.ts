import { Module, type DynamicModule } from '@nestjs/common';
import { PersonAssertionVerifier } from '@case-status/identity';
import { provide } from '../shared/provided-by';
import { HelpersResolver, SharedWithMeResolver } from './helpers.resolver';
import { CASE_LINKER, CASE_LINKS, HELPER_GRANTS, HELPER_INVITATIONS, PERSON_ASSERTION_VERIFIER, REPRESENTATIVES, type StatusMyCasesOptions } from './my-cases.options';
import { MyCasesResolver } from './my-cases.resolver';
import { MyClientsResolver } from './my-clients.resolver';

/**
 * "My cases", "My clients" and helpers for signed-in people. Without `options` its fields stay
 * and answer LINKING_UNAVAILABLE. Global: the survey asks the same links who the applicant is.
 */
@Module({})
export class MyCasesModule {
  static forRoot(options: StatusMyCasesOptions | undefined): DynamicModule {
    return {
      module: MyCasesModule,
      global: true,
      exports: [PERSON_ASSERTION_VERIFIER, CASE_LINKS],
      providers: [
        options ? provide(CASE_LINKER, options.linker) : { provide: CASE_LINKER, useValue: null },
        options ? provide(CASE_LINKS, options.links) : { provide: CASE_LINKS, useValue: null },
        options ? provide(REPRESENTATIVES, options.representatives) : { provide: REPRESENTATIVES, useValue: null },
        options?.helpers ? provide(HELPER_INVITATIONS, options.helpers.invitations) : { provide: HELPER_INVITATIONS, useValue: null },
        options?.helpers ? provide(HELPER_GRANTS, options.helpers.grants) : { provide: HELPER_GRANTS, useValue: null },
        { provide: PERSON_ASSERTION_VERIFIER, useValue: options ? new PersonAssertionVerifier(options.assertionKeys) : null },
        MyCasesResolver,
        MyClientsResolver,
        HelpersResolver,
        SharedWithMeResolver,
      ],
    };
  }
}
