import { Pool } from 'pg';
import { createPostgresEventStore } from '@case-status/event-store';
import { consoleLogger } from '@case-status/logging';
import { ProjectionRunner } from '@case-status/projection-runner';
import { caseReadModels } from '@case-status/read-models';
import { loadConfig } from './config';
import { PROJECTIONS } from './projections';

const logger = consoleLogger('projector');

async function main(): Promise<void> {
  const config = loadConfig();
  // Each runner holds a LISTEN connection while it runs, plus one for its batch.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 * PROJECTIONS.length });
  const store = await createPostgresEventStore({ connection: pool, schema: config.eventStoreSchema });
  const runners = PROJECTIONS.map(
    (projection) =>
      new ProjectionRunner(projection, {
        pool,
        source: store,
        schema: config.schemaOf(projection),
        batchSize: config.batchSize,
        // The event store NOTIFYs this channel on every append; polling covers the rest.
        wakeChannel: store.appendChannel,
        lagLogIntervalMs: config.lagLogIntervalMs,
        logger,
        beforeCommit: projection === caseReadModels && config.pauseInBatch !== undefined ? pauseIn(config.pauseInBatch) : undefined,
      }),
  );
  for (const runner of runners) await runner.init();
  logger.log(`projecting case streams from ${config.eventStoreSchema}: ${runners.map((r) => `${r.projection.name} into ${r.schema} from ${r.checkpoint}`).join('; ')}`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all(runners.map((runner) => runner.stop()));
    await store.close();
    await pool.end();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown().then(() => process.exit(0)));
  // Any one failing ends the process, as a failing projector always has.
  await Promise.all(runners.map((runner) => runner.start()));
}

/** The crash test's hook: pause forever inside the N-th batch transaction, before its commit, and say so. */
function pauseIn(batchNumber: number) {
  return async (batch: number) => {
    if (batch !== batchNumber) return;
    console.log(`PAUSED_IN_BATCH ${batch}`);
    await new Promise(() => undefined);
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
