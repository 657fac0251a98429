import { Pool } from 'pg';
import { createPostgresEventStore } from '@case-status/event-store';
import { rebuildFeedback } from '@case-status/feedback';
import { consoleLogger } from '@case-status/logging';
import { rebuildReadModels } from '@case-status/read-models';
import { loadConfig } from './config';

/** `npm run projections:rebuild`: rebuilds the read models from the event store and swaps them in. */
async function main(): Promise<void> {
  const config = loadConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  try {
    const store = await createPostgresEventStore({ connection: pool, schema: config.eventStoreSchema });
    const result = await rebuildReadModels({
      pool,
      source: store,
      schema: config.readModelSchema,
      logger: consoleLogger('rebuild'),
    });
    const rate = Math.round(result.events / (result.durationMs / 1000));
    console.log(`[rebuild] ${config.readModelSchema}: ${result.events} events (${rate}/s), ${result.cases} cases; ${result.replaced ? 'replaced the old models' : 'created'}`);
    const feedback = await rebuildFeedback({ pool, source: store, schema: config.feedbackSchema });
    console.log(`[rebuild] ${config.feedbackSchema}: ${feedback.events} events, ${feedback.responses} survey responses; ${feedback.replaced ? 'replaced the old results' : 'created'}`);
    await store.close();
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
