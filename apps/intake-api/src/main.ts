import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { EventStoreDbEventStore, createPostgresEventStore, type EventStore } from '@case-status/event-store';
import { createIntakeApp } from '@case-status/intake';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const config = loadConfig();
  const store: EventStore =
    config.eventStore.kind === 'postgres'
      ? await createPostgresEventStore({ connection: config.eventStore.databaseUrl, schema: config.eventStore.schema })
      : new EventStoreDbEventStore(config.eventStore.url);
  const app = await createIntakeApp({ eventStore: store, agencyKeys: config.agencyKeys, closeEventStoreOnShutdown: true });
  await app.listen(config.port, config.host);
  const base = `http://${config.host}:${config.port}`;
  new Logger('intake-api').log(`listening on ${base} (events: POST ${base}/v1/cases/{receiptNumber}/events; OpenAPI: ${base}/openapi.json, ${base}/docs)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
