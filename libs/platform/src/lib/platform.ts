import 'reflect-metadata';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '@case-status/embedded-postgres';
import { createPostgresEventStore } from '@case-status/event-store';
import { createIntakeApp, type AgencyKeys } from '@case-status/intake';
import { CaseReadModelProjector, PostgresCaseStatusChangeFeed, PostgresReadModels } from '@case-status/read-models';
import { createStatusApp } from '@case-status/status-graphql';

export interface PlatformOptions {
  /** Where the embedded database keeps its files between runs. */
  dataDir: string;
  /** 0 picks a free port. */
  intakePort: number;
  statusPort: number;
  agencyKeys: AgencyKeys;
  host?: string;
  eventStoreSchema?: string;
  readModelSchema?: string;
  /** Called when the in-process projector fails; the caller decides whether to stop. */
  onProjectorError?: (error: Error) => void;
  logger?: boolean;
}

export interface Platform {
  intakeUrl: string;
  statusUrl: string;
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * Intake, projector and status API in one process on the embedded database, composed from
 * the same functions the separate apps use. The embedded database is one PostgreSQL session
 * shared by every connection, so the read side's queries get a single connection: its named
 * prepared statements would collide if two connections prepared the same name.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const host = options.host ?? '127.0.0.1';
  const eventStoreSchema = options.eventStoreSchema ?? 'event_store';
  const readModelSchema = options.readModelSchema ?? 'read_models';
  // Undone last-first, on stop or when a later step of starting fails.
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    const errors: unknown[] = [];
    for (const close of closers.splice(0).reverse()) await close().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'the platform did not stop cleanly');
  };

  try {
    const db = await startEmbeddedPostgres({ dataDir: options.dataDir });
    closers.push(() => db.stop());

    const pool = new Pool({ connectionString: db.connectionString, max: 4 });
    closers.push(() => pool.end());
    const store = await createPostgresEventStore({ connection: pool, schema: eventStoreSchema });
    closers.push(() => store.close());

    const projector = new CaseReadModelProjector({
      pool,
      source: store,
      schema: readModelSchema,
      wakeChannel: store.appendChannel,
      logger: options.logger === false ? undefined : { log: (m) => console.log(`[projector] ${m}`), error: (m) => console.error(`[projector] ${m}`) },
    });
    // Migrates the read models before the status API queries them.
    await projector.init();
    const projecting = projector.start().catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      (options.onProjectorError ?? ((e: Error) => console.error(`[projector] stopped: ${e.stack ?? e.message}`)))(failure);
    });
    closers.push(async () => {
      await projector.stop();
      await projecting;
    });

    const readPool = new Pool({ connectionString: db.connectionString, max: 1 });
    closers.push(() => readPool.end());

    const intake = await createIntakeApp({ eventStore: store, agencyKeys: options.agencyKeys, logger: options.logger });
    closers.push(() => intake.close());
    await intake.listen(options.intakePort, host);

    const status = await createStatusApp({
      queries: new PostgresReadModels({ connection: readPool, schema: readModelSchema }),
      changeFeed: new PostgresCaseStatusChangeFeed({
        connection: db.connectionString,
        schema: readModelSchema,
        onError: (error) => console.error(`[status] change feed: ${error.message}`),
      }),
      caseworkerKeys: {},
      // Closes the change feed; the read pool is ours and ended after the app.
      closeOnShutdown: true,
      logger: options.logger,
    });
    closers.push(() => status.close());
    await status.listen(options.statusPort, host);

    return {
      intakeUrl: urlOf(intake.getHttpServer().address(), host),
      statusUrl: urlOf(status.getHttpServer().address(), host),
      databaseUrl: db.connectionString,
      stop: closeAll,
    };
  } catch (error) {
    await closeAll().catch(() => undefined);
    throw error;
  }
}

function urlOf(address: string | { port: number } | null, host: string): string {
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
