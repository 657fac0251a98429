import { Module, type DynamicModule } from '@nestjs/common';
import { provide, type ProvidedBy } from '../shared/provided-by';
import { CASE_EVENTS, CaseEventsResolver, type CaseEventSource } from './case-events.resolver';
import { CaseworkerResolver } from './caseworker.resolver';
import { IntakeRefusalsResolver } from './intake-refusals.resolver';

/**
 * The caseworkers' queries (`backlog`, `cases`, a case's events …), for agency tokens with the
 * `caseworker` role. Its guards admit agency tokens wherever the API needs them (webhooks,
 * delivery log, survey results). Without `caseEvents` (the event store, read only), `caseEvents` and `intakeRefusals` answer CASE_RECORD_UNAVAILABLE.
 */
@Module({})
export class CaseworkerModule {
  static forRoot(caseEvents: ProvidedBy<CaseEventSource> | undefined): DynamicModule {
    return {
      module: CaseworkerModule,
      providers: [caseEvents ? provide(CASE_EVENTS, caseEvents) : { provide: CASE_EVENTS, useValue: null }, CaseworkerResolver, CaseEventsResolver, IntakeRefusalsResolver],
    };
  }
}
