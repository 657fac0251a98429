import { Pool } from 'pg';
import { createPostgresEventStore } from '@case-status/event-store';
import { consoleLogger } from '@case-status/logging';
import { rebuildProjection } from '@case-status/projection-runner';
import { loadConfig } from './config';
import { PROJECTIONS } from './projections';

/** `npm run projections:rebuild [name...]`: rebuilds every projection (or those named) from the event store and swaps each in. */
async function main(): Promise<void> {
  const config = loadConfig();
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !PROJECTIONS.some((projection) => projection.name === name));
  if (unknown.length > 0) throw new Error(`no projection named ${unknown.join(', ')}; there are ${PROJECTIONS.map((p) => p.name).join(', ')}`);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 3 });
  try {
    const store = await createPostgresEventStore({ connection: pool, schema: config.eventStoreSchema });
    for (const projection of PROJECTIONS.filter((p) => names.length === 0 || names.includes(p.name))) {
      const schema = config.schemaOf(projection);
      const result = await rebuildProjection(projection, { pool, source: store, schema, logger: consoleLogger('rebuild') });
      const rate = Math.round(result.events / (result.durationMs / 1000));
      console.log(`[rebuild] ${projection.name} in ${schema}: ${result.events} events (${rate}/s); ${result.replaced ? 'replaced the old tables' : 'created'}`);
    }
    await store.close();
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
