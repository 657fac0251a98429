import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import { openEventStore, type EventStoreSettings } from '@case-status/event-store';
import { listenApp } from '@case-status/http-support';
import { silentLogger, type Logger } from '@case-status/logging';
import { createIntakeApp, type IntakeAppOptions } from './intake.app';

export interface IntakeApiOptions extends Omit<IntakeAppOptions, 'eventStore' | 'refusalRetention' | 'closeEventStoreOnShutdown'> {
  /** Where events are recorded. */
  eventStore: EventStoreSettings;
  /** The PostgreSQL database of the events: a pool shared with other parts (not ended here), or a connection string. */
  database: Pool | string;
  /** How long refusals are kept, on the PostgreSQL event store (defaults: 90 days, 100,000 per agency). */
  refusalRetention?: { maxAgeDays?: number; maxPerAgency?: number };
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Operators' messages about the configuration. */
  log?: Logger;
}

export interface IntakeApi {
  /** Where it answers, e.g. `http://127.0.0.1:3001`. */
  url: string;
  app: NestFastifyApplication;
  /** Closes the server and the event store it opened. */
  stop(): Promise<void>;
}

/** The intake API as both its own app and the one-process platform run it: opens its event store and listens. */
export async function startIntakeApi(options: IntakeApiOptions): Promise<IntakeApi> {
  const { eventStore: settings, database, refusalRetention, port, host, log = silentLogger, ...appOptions } = options;
  const store = await openEventStore(settings, database, log);
  if (settings.kind === 'eventstoredb') log.warn('refusals are kept without a retention rule on EventStoreDB: set $maxAge/$maxCount on the intake-refusals-<AGENCY> streams');
  let app: NestFastifyApplication;
  try {
    app = await createIntakeApp({
      ...appOptions,
      eventStore: store,
      closeEventStoreOnShutdown: true,
      ...(settings.kind === 'postgres' && { refusalRetention: { connection: database, schema: settings.schema, ...refusalRetention } }),
    });
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
  try {
    return { url: await listenApp(app, port, host), app, stop: () => app.close() };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
