import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { EventStoreDbEventStore, createPostgresEventStore, type EventStore } from '@case-status/event-store';
import { createIntakeApp, type RefusalRetentionOptions } from '@case-status/intake';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('intake-api');
  let store: EventStore;
  let retention: RefusalRetentionOptions | undefined;
  if (config.eventStore.kind === 'postgres') {
    store = await createPostgresEventStore({ connection: config.eventStore.databaseUrl, schema: config.eventStore.schema });
    retention = { connection: config.eventStore.databaseUrl, schema: config.eventStore.schema, ...config.refusalRetention };
  } else {
    store = new EventStoreDbEventStore(config.eventStore.url);
    logger.warn('refusals are kept without a retention rule on EventStoreDB: set $maxAge/$maxCount on the intake-refusals-<AGENCY> streams');
  }
  const app = await createIntakeApp({ eventStore: store, agencyKeys: config.agencyKeys, rateLimit: config.rateLimit, trustProxy: config.trustProxy, refusalRetention: retention, closeEventStoreOnShutdown: true });
  await app.listen(config.port, config.host);
  const base = `http://${config.host}:${config.port}`;
  const counts = config.rateLimit.redisUrl ? 'shared through Redis' : 'in memory (set REDIS_URL to share them between instances)';
  logger.log(`listening on ${base} (events: POST ${base}/v1/cases/{receiptNumber}/events; OpenAPI: ${base}/openapi.json, ${base}/docs); rate limit counts ${counts}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
