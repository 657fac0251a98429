import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { componentCheck, Metrics, probeCheck, serveApp, type ReadinessCheck } from '@case-status/http-support';
import { guardPool, readReplicaState } from '@case-status/postgres-support';
import { silentLogger, type Logger } from '@case-status/logging';
import { migrateProjection } from '@case-status/projection-runner';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels } from '@case-status/read-models';
import { createStatusApp, type StatusAppOptions } from './status.app';

export interface StatusApiOptions extends Omit<StatusAppOptions, 'queries' | 'changeFeed' | 'closeOnShutdown'> {
  /** The read models' database; the change feed listens on a connection of its own to it. */
  databaseUrl: string;
  /** The queries' pool, shared with other parts (not ended here); default a pool of their own. */
  readPool?: Pool;
  /**
   * Answer lookups from a hot standby of the read models' database instead (the change feed
   * stays on the primary: a standby can't LISTEN). Readiness is down while the standby is
   * further behind than `maxLagMs` or not streaming, and `/metrics` reports how far behind it is.
   */
  readReplica?: { url: string; maxLagMs: number };
  readModelSchema: string;
  /** The record of served estimates (default `served_estimates`), whose accuracy `estimateAccuracy` publishes. */
  servedSchema?: string;
  /** The weekly case flow's schema (the caseworkers' `weeklyCaseFlow`); default `weekly_case_flow`, the projection's own. */
  flowSchema?: string;
  /**
   * Bring the read models' tables up to date before answering (default true). The projector
   * migrates them too; whichever starts first creates them (migrations take a lock). The same
   * for the record of served estimates.
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
  const { databaseUrl, readPool, readReplica, readModelSchema, servedSchema, flowSchema, migrate = true, port, host, log = silentLogger, ops: opsAt, ...appOptions } = options;
  if (migrate) {
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    // On the primary, also with a read replica: a standby takes no writes.
    await migrateProjection(pool, caseReadModels, readModelSchema)
      .then(() => new PostgresReadModels({ connection: pool, schema: readModelSchema, servedSchema }).served.migrate())
      .finally(() => pool.end());
  }
  const replicaPool = readReplica && guardPool(new Pool({ connectionString: readReplica.url }));
  const queries = new PostgresReadModels({ connection: replicaPool ?? readPool ?? databaseUrl, schema: readModelSchema, servedSchema, ...(flowSchema !== undefined && { flowSchema }) });
  const changeFeed = new PostgresCaseStatusChangeFeed({
    connection: databaseUrl,
    schema: readModelSchema,
    onError: (error) => log.error(`change feed: ${error.message}`),
    onReconnected: (downForMs) => log.log(`change feed: reconnected after ${downForMs} ms`),
  });
  const metrics = appOptions.metrics ?? new Metrics();
  const app = await createStatusApp({
    ...appOptions,
    queries,
    changeFeed,
    closeOnShutdown: true,
  });
  const readiness = [
    probeCheck('database', () => queries.ping()),
    componentCheck('live-updates', () => changeFeed.health()),
    ...(replicaPool && readReplica ? [replicaCheck(replicaPool, readReplica.maxLagMs, metrics)] : []),
  ];
  const served = await serveApp(app, { port, host }, opsAt && { checks: readiness, metrics, name: 'status-ops', ...opsAt });
  const stop = async () => {
    await served.stop();
    await replicaPool?.end();
  };
  return { ...served, stop, app, readiness };
}

/** The standby the lookups read from: how stale it may be, as a readiness check and a gauge scraped with it. */
function replicaCheck(pool: Pool, maxLagMs: number, metrics: Metrics): ReadinessCheck {
  metrics.gauge({
    name: 'case_status_read_replica_lag_seconds',
    help: 'How stale the lookups may be: the age of the last change the read replica replayed while newer ones wait, 0 when it has replayed all it received.',
    async collect() {
      // Unreachable: the scrape still answers (readiness says why); the series keeps its last value.
      const state = await readReplicaState(pool).catch(() => null);
      if (state) this.set(state.lagMs / 1000);
    },
  });
  return {
    name: 'read-replica',
    check: async () => {
      const { standby, streaming, lagMs } = await readReplicaState(pool);
      const state = { lagMs, maxLagMs, standby, streaming };
      if (streaming === false) return { status: 'down', detail: 'not streaming from the primary', ...state };
      if (lagMs > maxLagMs) return { status: 'down', detail: `${lagMs} ms behind the primary (at most ${maxLagMs} ms while ready)`, ...state };
      return { status: 'up', ...state };
    },
  };
}
