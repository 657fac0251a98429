import { Pool } from 'pg';
import { runService } from '@case-status/config';
import { createPostgresEventStore } from '@case-status/event-store';
import { componentCheck, Metrics, startOpsServer } from '@case-status/http-support';
import { consoleLogger } from '@case-status/logging';
import { describeKafkaConnection, measureRelay, openKafkaPublisher, startRelay } from '@case-status/messaging';
import { loadConfig } from './config';

runService('kafka-relay', async () => {
  const config = loadConfig();
  const logger = consoleLogger('kafka-relay');
  // The store's subscription, the checkpoint, and the election's lock.
  const pool = new Pool({ connectionString: config.databaseUrl, max: 5 });
  const store = await createPostgresEventStore({ connection: pool, schema: config.eventStoreSchema, logger });
  logger.log(`Kafka: ${describeKafkaConnection(config.kafka)}`);
  const { publisher, topics } = await openKafkaPublisher({
    connection: config.kafka,
    clientId: 'case-status-kafka-relay',
    topic: config.topic,
    partitions: config.partitions,
    replicationFactor: config.replicationFactor,
    minInsyncReplicas: config.minInsyncReplicas,
  });
  logger.log(`topics: ${topics.map((t) => `${t.topic} (${t.partitions} partitions${t.created ? ', created' : ''})`).join(', ')}`);
  // Several relays may be started: one relays, the others stand by (docs/operations.md).
  const relay = await startRelay({ pool, source: store, publisher, checkpointSchema: config.checkpointSchema, logger, election: {} });
  const metrics = new Metrics();
  measureRelay(metrics, relay);
  const ops = await startOpsServer({
    name: 'relay',
    port: config.healthPort,
    host: config.healthHost,
    metrics,
    // The relay is not ready while Kafka does not acknowledge: its lag grows past the threshold.
    checks: [componentCheck('relay', () => relay.health(), { maxLagMs: config.readyMaxLagMs })],
  });
  logger.log(`health and metrics on ${ops.url}/health/ready, ${ops.url}/metrics`);
  return {
    // Reading the store failed (e.g. PostgreSQL gone): exit, the supervisor restarts from the checkpoint.
    closed: relay.closed,
    stop: async () => {
      await ops.close();
      await relay.stop();
      await publisher.close();
      await store.close();
      await pool.end();
    },
  };
});
