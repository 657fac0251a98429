import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { componentCheck, Metrics, probeCheck, serveApp, type ReadinessCheck } from '@case-status/http-support';
import { silentLogger, type Logger } from '@case-status/logging';
import { migrateProjection } from '@case-status/projection-runner';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels } from '@case-status/read-models';
import { createStatusApp, type StatusAppOptions } from './status.app';

export interface StatusApiOptions extends Omit<StatusAppOptions, 'queries' | 'changeFeed' | 'closeOnShutdown'> {
  /** The read models' database; the change feed listens on a connection of its own to it. */
  databaseUrl: string;
  /** The queries' pool, shared with other parts (not ended here); default a pool of their own. */
  readPool?: Pool;
  readModelSchema: string;
  /** The weekly case flow's schema (the caseworkers' `weeklyCaseFlow`); default `weekly_case_flow`, the projection's own. */
  flowSchema?: string;
  /**
   * Bring the read models' tables up to date before answering (default true). The projector
   * migrates them too; whichever starts first creates them (migrations take a lock).
   */
  migrate?: boolean;
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Operators' messages (the change feed's failures). */
  log?: Logger;
  /** Serve readiness and `/metrics` on this operations server (0 picks a free port); none without it (the platform serves one for all its parts). */
  ops?: { port: number; host: string };
}

export interface StatusApi {
  /** Where it answers, e.g. `http://127.0.0.1:3002` (GraphQL at `/graphql`). */
  url: string;
  app: NestFastifyApplication;
  /** What its readiness depends on: the read models' database and the change feed. */
  readiness: readonly ReadinessCheck[];
  /** The operations server (`/health/ready`, `/metrics`), or null without `ops`. */
  opsUrl: string | null;
  /** Closes the servers, the queries and the change feed. */
  stop(): Promise<void>;
}

/** The status API as both its own app and the one-process platform run it: read models, change feed, server. */
export async function startStatusApi(options: StatusApiOptions): Promise<StatusApi> {
  const { databaseUrl, readPool, readModelSchema, flowSchema, migrate = true, port, host, log = silentLogger, ops: opsAt, ...appOptions } = options;
  if (migrate) {
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    await migrateProjection(pool, caseReadModels, readModelSchema).finally(() => pool.end());
  }
  const queries = new PostgresReadModels({ connection: readPool ?? databaseUrl, schema: readModelSchema, ...(flowSchema !== undefined && { flowSchema }) });
  const changeFeed = new PostgresCaseStatusChangeFeed({
    connection: databaseUrl,
    schema: readModelSchema,
    onError: (error) => log.error(`change feed: ${error.message}`),
    onReconnected: (downForMs) => log.log(`change feed: reconnected after ${downForMs} ms`),
  });
  const app = await createStatusApp({
    ...appOptions,
    queries,
    changeFeed,
    closeOnShutdown: true,
  });
  const readiness = [probeCheck('database', () => queries.ping()), componentCheck('live-updates', () => changeFeed.health())];
  const served = await serveApp(app, { port, host }, opsAt && { checks: readiness, metrics: appOptions.metrics ?? new Metrics(), name: 'status-ops', ...opsAt });
  return { ...served, app, readiness };
}
