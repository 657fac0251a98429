import { Module, type DynamicModule } from '@nestjs/common';
import { AgencyTokenVerifier } from '@case-status/agency-auth';
import { CASE_STATUS_CHANGE_FEED, READ_MODEL_QUERIES } from '@case-status/read-models';
import { ACCESS_AUDIT } from '../access-audit/access-audit.options';
import { CASEWORKER_AUDIENCE, CASEWORKER_TOKEN_VERIFIER } from '../caseworker/caseworker.guard';
import { STATUS_API_SETTINGS, type PublicApiModuleOptions, type StatusApiSettings } from '../public-api.options';
import { provide } from './provided-by';

/**
 * What every feature reads: the read models, the change feed, the settings, the verifier of
 * agency tokens and the access audit every private read is recorded in. Global, so a feature module lists only its own resolvers.
 */
@Module({})
export class SharedModule {
  static forRoot(options: PublicApiModuleOptions): DynamicModule {
    const settings: StatusApiSettings = { clock: options.clock ?? (() => new Date()), maxPageSize: options.maxPageSize ?? 100 };
    return {
      module: SharedModule,
      global: true,
      providers: [
        provide(READ_MODEL_QUERIES, options.queries),
        provide(CASE_STATUS_CHANGE_FEED, options.changeFeed),
        { provide: STATUS_API_SETTINGS, useValue: settings },
        { provide: CASEWORKER_TOKEN_VERIFIER, useValue: new AgencyTokenVerifier(options.caseworkerKeys, CASEWORKER_AUDIENCE) },
        options.accessAudit ? provide(ACCESS_AUDIT, options.accessAudit) : { provide: ACCESS_AUDIT, useValue: null },
      ],
      exports: [READ_MODEL_QUERIES, CASE_STATUS_CHANGE_FEED, STATUS_API_SETTINGS, CASEWORKER_TOKEN_VERIFIER, ACCESS_AUDIT],
    };
  }
}
