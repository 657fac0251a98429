import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AgencyTokenVerifier } from '@case-status/agency-auth';
import { EVENT_STORE, instrumentEventStore, traceEventStore, type EventStore } from '@case-status/event-store';
import type { Metrics } from '@case-status/http-support';
import { AGENCY_KEYS, AgencyAuthGuard, INTAKE_AUDIENCE, INTAKE_TOKEN_VERIFIER, type AgencyKeys } from './agency-auth';
import { IntakeController } from './intake.controller';
import { ProblemFilter } from './problem.filter';
import { RecordBatchEventsHandler, RecordCaseEventsHandler } from './record-case-events.handler';
import { RefusalLog } from './refusal-log';
import { ListRefusalsHandler, RecordRefusalsHandler } from './refusals.handlers';
import { REFUSAL_RETENTION_OPTIONS, RefusalRetention, type RefusalRetentionOptions } from './refusal-retention';

export interface IntakeModuleOptions {
  /** The event store to record into, or a provider that makes one. */
  eventStore: EventStore | Omit<Provider<EventStore>, 'provide'>;
  agencyKeys: AgencyKeys;
  /** Delete old refusals on a schedule (PostgreSQL event store only); kept for ever without it. */
  refusalRetention?: RefusalRetentionOptions;
  /** Close the event store when the application shuts down (when the app made it for itself). */
  closeEventStoreOnShutdown?: boolean;
  /** Append latency and conflicts are measured into these; none without it. */
  metrics?: Metrics;
}

/** The store as the options give it, before it is measured. */
const GIVEN_EVENT_STORE = Symbol('GIVEN_EVENT_STORE');

@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * The agency-facing intake: HTTP routes and token checks in front of @nestjs/cqrs handlers,
 * which the controller reaches only through the command and query buses.
 */
@Module({})
export class IntakeModule {
  static forRoot(options: IntakeModuleOptions): DynamicModule {
    const given: Provider =
      'appendToStream' in options.eventStore
        ? { provide: GIVEN_EVENT_STORE, useValue: options.eventStore }
        : ({ ...options.eventStore, provide: GIVEN_EVENT_STORE } as Provider);
    const { metrics } = options;
    return {
      module: IntakeModule,
      imports: [CqrsModule.forRoot()],
      controllers: [IntakeController],
      providers: [
        given,
        { provide: EVENT_STORE, inject: [GIVEN_EVENT_STORE], useFactory: (store: EventStore) => traceEventStore(metrics ? instrumentEventStore(store, metrics) : store) },
        { provide: AGENCY_KEYS, useValue: options.agencyKeys },
        // Made here, so a bad key configuration stops the application at start-up.
        { provide: INTAKE_TOKEN_VERIFIER, useValue: new AgencyTokenVerifier(options.agencyKeys, INTAKE_AUDIENCE) },
        { provide: APP_FILTER, useClass: ProblemFilter },
        AgencyAuthGuard,
        RecordCaseEventsHandler,
        RecordBatchEventsHandler,
        RecordRefusalsHandler,
        ListRefusalsHandler,
        RefusalLog,
        ...(options.refusalRetention ? [{ provide: REFUSAL_RETENTION_OPTIONS, useValue: options.refusalRetention }, RefusalRetention] : []),
        ...(options.closeEventStoreOnShutdown ? [EventStoreCloser] : []),
      ],
      exports: [EVENT_STORE],
    };
  }
}
