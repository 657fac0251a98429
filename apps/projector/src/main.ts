import { Pool } from 'pg';
import { createPostgresEventStore } from '@case-status/event-store';
import { FeedbackProjector } from '@case-status/feedback';
import { consoleLogger } from '@case-status/logging';
import { CaseReadModelProjector } from '@case-status/read-models';
import { loadConfig } from './config';

const logger = consoleLogger('projector');

async function main(): Promise<void> {
  const config = loadConfig();
  // Each projector holds a LISTEN connection while it runs, plus one for its batch.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 6 });
  const store = await createPostgresEventStore({ connection: pool, schema: config.eventStoreSchema });
  const projector = new CaseReadModelProjector({
    pool,
    source: store,
    schema: config.readModelSchema,
    batchSize: config.batchSize,
    // The event store NOTIFYs this channel on every append; polling covers the rest.
    wakeChannel: store.appendChannel,
    lagLogIntervalMs: config.lagLogIntervalMs,
    logger,
    beforeCommit:
      config.pauseInBatch === undefined
        ? undefined
        : async (batch) => {
            if (batch !== config.pauseInBatch) return;
            console.log(`PAUSED_IN_BATCH ${batch}`);
            await new Promise(() => undefined);
          },
  });
  await projector.init();
  logger.log(`projecting case streams from ${config.eventStoreSchema} into ${config.readModelSchema}, from ${projector.lag().position}`);
  // Survey results: feedback streams only, its own schema and checkpoint (docs/feedback.md).
  const feedback = new FeedbackProjector({ pool, source: store, schema: config.feedbackSchema, batchSize: config.batchSize, wakeChannel: store.appendChannel, logger });
  await feedback.init();
  logger.log(`projecting feedback streams into ${config.feedbackSchema}, from ${feedback.checkpoint}`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([projector.stop(), feedback.stop()]);
    await store.close();
    await pool.end();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown().then(() => process.exit(0)));
  // Either one failing ends the process, as a failing projector always has.
  await Promise.all([projector.start(), feedback.start()]);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
