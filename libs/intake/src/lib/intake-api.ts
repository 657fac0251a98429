import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Pool } from 'pg';
import { eventStoreCheck, openEventStore, type EventStoreSettings } from '@case-status/event-store';
import { listenApp, Metrics, startOpsServer, type OpsServer, type ReadinessCheck } from '@case-status/http-support';
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
  const { eventStore: settings, database, refusalRetention, port, host, log = silentLogger, ops: opsAt, ...appOptions } = options;
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
  const readiness = [eventStoreCheck(store)];
  let ops: OpsServer | undefined;
  try {
    if (opsAt) ops = await startOpsServer({ checks: readiness, metrics: appOptions.metrics ?? new Metrics(), name: 'intake-ops', ...opsAt });
    const url = await listenApp(app, port, host);
    const stop = async () => {
      await ops?.close();
      await app.close();
    };
    return { url, app, readiness, opsUrl: ops?.url ?? null, stop };
  } catch (error) {
    await ops?.close().catch(() => undefined);
    await app.close().catch(() => undefined);
    throw error;
  }
}
