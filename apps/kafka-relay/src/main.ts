import { Pool } from 'pg';
import { createPostgresEventStore } from '@case-status/event-store';
import { consoleLogger } from '@case-status/logging';
import { describeKafkaConnection, openKafkaPublisher, startRelay } from '@case-status/messaging';
import { loadConfig } from './config';

const logger = consoleLogger('kafka-relay');

async function main(): Promise<void> {
  const config = loadConfig();
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  const store = await createPostgresEventStore({ connection: pool, schema: config.eventStoreSchema });
  logger.log(`Kafka: ${describeKafkaConnection(config.kafka)}`);
  const { publisher, topics } = await openKafkaPublisher({ connection: config.kafka, clientId: 'case-status-kafka-relay', topic: config.topic, partitions: config.partitions });
  logger.log(`topics: ${topics.map((t) => `${t.topic} (${t.partitions} partitions${t.created ? ', created' : ''})`).join(', ')}`);
  const relay = await startRelay({ pool, source: store, publisher, checkpointSchema: config.checkpointSchema, logger });

  const shutdown = async (signal: string) => {
    logger.log(`${signal}: stopping`);
    await relay.stop();
    await publisher.close();
    await store.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // Reading the store failed (e.g. PostgreSQL gone): exit, the supervisor restarts from the checkpoint.
  relay.closed.catch((error: unknown) => {
    console.error(`[kafka-relay] stopped: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
