/**
 * The status API as apps/status-api composes it over PostgreSQL read models, with its clock
 * pinned to AS_OF: the estimate benchmark asks for estimates as of a day its generated
 * histories are in full swing, whatever today's date is. Everything else is production's:
 * same app, same read models, public rate limit counting (raised so it never refuses).
 *
 *   AS_OF=2025-10-01T12:00:00Z DATABASE_URL=… READ_MODEL_SCHEMA=… STATUS_PORT=3002 node tools/run-ts.mjs benchmarks/estimate/status-api-as-of.ts
 */
import 'reflect-metadata';
import { PostgresCaseStatusChangeFeed, PostgresReadModels } from '@case-status/read-models';
import { createStatusApp } from '@case-status/public-api';

async function main(): Promise<void> {
  const asOf = new Date(process.env['AS_OF'] ?? '');
  if (Number.isNaN(asOf.getTime())) throw new Error(`AS_OF must be an ISO 8601 time, not "${process.env['AS_OF']}"`);
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status';
  const schema = process.env['READ_MODEL_SCHEMA'] ?? 'read_models';
  const app = await createStatusApp({
    queries: new PostgresReadModels({ connection: databaseUrl, schema }),
    changeFeed: new PostgresCaseStatusChangeFeed({ connection: databaseUrl, schema }),
    caseworkerKeys: {},
    rateLimit: { max: 1_000_000, timeWindow: 60_000 },
    clock: () => asOf,
    closeOnShutdown: true,
    logger: false,
  });
  await app.listen(Number(process.env['STATUS_PORT'] ?? 3002), '127.0.0.1');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void app.close().then(() => process.exit(0)));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
