import { Pool } from 'pg';
import { runService } from '@case-status/config';
import { createPostgresEventStore } from '@case-status/event-store';
import { componentCheck, Metrics, startOpsServer } from '@case-status/http-support';
import { consoleLogger } from '@case-status/logging';
import { startProjections } from '@case-status/projection-runner';
import { caseReadModels, PostgresReadModels, startServedEstimateRecorder } from '@case-status/read-models';
import { loadConfig } from './config';
import { PROJECTIONS } from './projections';

runService('projector', async () => {
  const config = loadConfig();
  const logger = consoleLogger('projector');
  // Each runner holds a LISTEN connection while it runs, plus one for its batch; the record of served estimates one more, the election one more.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 * PROJECTIONS.length + 1 });
  const store = await createPostgresEventStore({ connection: pool, schema: config.eventStoreSchema, logger });
  const metrics = new Metrics();
  const projections = await startProjections(PROJECTIONS, {
    pool,
    source: store,
    schemaOf: config.schemaOf,
    batchSize: config.batchSize,
    // The event store NOTIFYs this channel on every append; polling covers the rest.
    wakeChannel: store.appendChannel,
    lagLogIntervalMs: config.lagLogIntervalMs,
    logger,
    metrics,
    // Several projectors may be started: one projects, the others stand by (docs/operations.md).
    election: {},
    beforeCommitOf: (projection) => (projection === caseReadModels && config.pauseInBatch !== undefined ? pauseIn(config.pauseInBatch) : undefined),
  });
  logger.log(`case streams from ${config.eventStoreSchema}: ${projections.runners.map((r) => `${r.projection.name} into ${r.schema}`).join('; ')}, when elected`);
  // What the estimates told people: today's sample where it is missing, then the scores, every hour.
  const readModels = new PostgresReadModels({ connection: pool, schema: config.schemaOf(caseReadModels), servedSchema: config.servedSchema });
  const served = await startServedEstimateRecorder(readModels.served, { logger });
  const ops = await startOpsServer({
    name: 'projector',
    port: config.healthPort,
    host: config.healthHost,
    metrics,
    checks: projections.runners.map((runner) => componentCheck(`projection:${runner.projection.name}`, () => projections.health(runner), { maxLagMs: config.readyMaxLagMs })),
  });
  logger.log(`health and metrics on ${ops.url}/health/ready, ${ops.url}/metrics`);
  return {
    // Any one failing ends the process, as a failing projector always has.
    closed: projections.closed,
    stop: async () => {
      await ops.close();
      await served.stop();
      await projections.stop();
      await store.close();
      await pool.end();
    },
  };
});

/** The crash test's hook: pause forever inside the N-th batch transaction, before its commit, and say so. */
function pauseIn(batchNumber: number) {
  return async (batch: number) => {
    if (batch !== batchNumber) return;
    console.log(`PAUSED_IN_BATCH ${batch}`);
    await new Promise(() => undefined);
  };
}
