import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Pool } from 'pg';
import { PostgresCaseStatusChangeFeed, PostgresReadModels, migrateReadModels } from '@case-status/read-models';
import { createStatusApp } from '@case-status/status-graphql';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('status-api');
  if (!config.caseworkerKeys) logger.warn('CASEWORKER_KEYS_FILE is not set: caseworker queries will refuse every token');
  // The projector migrates too; whichever starts first creates the tables (migrations take a lock).
  const pool = new Pool({ connectionString: config.databaseUrl, max: 1 });
  await migrateReadModels(pool, config.readModelSchema).finally(() => pool.end());
  const app = await createStatusApp({
    queries: new PostgresReadModels({ connection: config.databaseUrl, schema: config.readModelSchema }),
    changeFeed: new PostgresCaseStatusChangeFeed({
      connection: config.databaseUrl,
      schema: config.readModelSchema,
      onError: (error) => logger.error(`change feed: ${error.message}`),
    }),
    caseworkerKeys: config.caseworkerKeys ?? {},
    rateLimit: config.rateLimit,
    trustProxy: config.trustProxy,
    closeOnShutdown: true,
  });
  await app.listen(config.port, config.host);
  const base = `http://${config.host}:${config.port}`;
  logger.log(`listening on ${base}/graphql (GraphiQL: ${base}/graphiql; subscriptions: ws://${config.host}:${config.port}/graphql)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
