import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import { eventStoreCheck, openEventStore, type EventStore, type EventStoreSettings } from '@case-status/event-store';
import { Metrics, serveApp, type ReadinessCheck } from '@case-status/http-support';
import { silentLogger, type Logger } from '@case-status/logging';
import { createIntakeApp, type IntakeAppOptions } from './intake.app';

export interface IntakeApiOptions extends Omit<IntakeAppOptions, 'eventStore' | 'refusalRetention' | 'closeEventStoreOnShutdown'> {
  /**
   * Where events are recorded: the store the settings name, opened here on `database` (a pool
   * shared with other parts, not ended here, or a connection string) and closed on stop; or a
   * store other parts of the process share (neither closed here nor pruned: its owner keeps it).
   */
  events: { settings: EventStoreSettings; database: Pool | string } | { shared: EventStore };
  /** How long refusals are kept, on a PostgreSQL event store opened here (defaults: 90 days, 100,000 per agency). */
  refusalRetention?: { maxAgeDays?: number; maxPerAgency?: number };
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Operators' messages about the configuration. */
  log?: Logger;
  /** Serve readiness and `/metrics` on this operations server (0 picks a free port); none without it (the platform serves one for all its parts). */
  ops?: { port: number; host: string };
}

export interface IntakeApi {
  /** Where it answers, e.g. `http://127.0.0.1:3001`. */
  url: string;
  app: NestFastifyApplication;
  /** What its readiness depends on (the event store). */
  readiness: readonly ReadinessCheck[];
  /** The operations server (`/health/ready`, `/metrics`), or null without `ops`. */
  opsUrl: string | null;
  /** Closes the servers and the event store it opened. */
  stop(): Promise<void>;
}

/** The intake API as both its own app and the one-process platform run it: opens its event store and listens. */
export async function startIntakeApi(options: IntakeApiOptions): Promise<IntakeApi> {
  const { events, refusalRetention, port, host, log = silentLogger, ops: opsAt, ...appOptions } = options;
  const opened = 'settings' in events ? events : undefined;
  const store = opened ? await openEventStore(opened.settings, opened.database, log) : (events as { shared: EventStore }).shared;
  if (opened?.settings.kind === 'eventstoredb') log.warn('refusals are kept without a retention rule on EventStoreDB: set $maxAge/$maxCount on the intake-refusals-<AGENCY> streams');
  let app: NestFastifyApplication;
  try {
    app = await createIntakeApp({
      ...appOptions,
      eventStore: store,
      closeEventStoreOnShutdown: opened !== undefined,
      ...(opened?.settings.kind === 'postgres' && { refusalRetention: { connection: opened.database, schema: opened.settings.schema, ...refusalRetention } }),
    });
  } catch (error) {
    if (opened) await store.close().catch(() => undefined);
    throw error;
  }
  const readiness = [eventStoreCheck(store)];
  const served = await serveApp(app, { port, host }, opsAt && { checks: readiness, metrics: appOptions.metrics ?? new Metrics(), name: 'intake-ops', ...opsAt });
  return { ...served, app, readiness };
}
