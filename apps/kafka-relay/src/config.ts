import { ConfigError, integer, readConfig, text } from '@case-status/config';
import { healthFields } from '@case-status/http-support';
import { loadKafkaConnection, type KafkaConnection } from '@case-status/messaging';

export interface KafkaRelayConfig {
  databaseUrl: string;
  eventStoreSchema: string;
  checkpointSchema: string;
  kafka: KafkaConnection;
  topic: string | undefined;
  partitions: number;
  /** Replicas of each partition of a topic created now, and how many must acknowledge a write. */
  replicationFactor: number;
  minInsyncReplicas: number;
  /** `/health/*` and `/metrics` (HEALTH_PORT, default 9465). */
  healthPort: number;
  healthHost: string;
  /** Not ready while the relay is further behind than this (READY_MAX_LAG, ms). */
  readyMaxLagMs: number;
}

/** Reads the environment; throws naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KafkaRelayConfig {
  const settings = readConfig(
    {
      DATABASE_URL: text('postgres://postgres@127.0.0.1:5432/case_status'),
      EVENT_STORE_SCHEMA: text('event_store'),
      KAFKA_RELAY_SCHEMA: text('kafka_relay'),
      KAFKA_TOPIC: text(),
      KAFKA_TOPIC_PARTITIONS: integer({ fallback: 6 }),
      KAFKA_TOPIC_REPLICATION_FACTOR: integer({ fallback: 1 }),
      KAFKA_TOPIC_MIN_INSYNC_REPLICAS: integer({ fallback: 1 }),
      ...healthFields(9465),
    },
    env,
  );
  // A topic that needs more in-sync replicas than it has could never be written to.
  if (settings.KAFKA_TOPIC_MIN_INSYNC_REPLICAS > settings.KAFKA_TOPIC_REPLICATION_FACTOR) {
    throw new ConfigError([
      {
        variable: 'KAFKA_TOPIC_MIN_INSYNC_REPLICAS',
        message: `KAFKA_TOPIC_MIN_INSYNC_REPLICAS (${settings.KAFKA_TOPIC_MIN_INSYNC_REPLICAS}) must not exceed KAFKA_TOPIC_REPLICATION_FACTOR (${settings.KAFKA_TOPIC_REPLICATION_FACTOR})`,
      },
    ]);
  }
  return {
    databaseUrl: settings.DATABASE_URL,
    eventStoreSchema: settings.EVENT_STORE_SCHEMA,
    checkpointSchema: settings.KAFKA_RELAY_SCHEMA,
    kafka: loadKafkaConnection(env),
    topic: settings.KAFKA_TOPIC,
    partitions: settings.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: settings.KAFKA_TOPIC_REPLICATION_FACTOR,
    minInsyncReplicas: settings.KAFKA_TOPIC_MIN_INSYNC_REPLICAS,
    healthPort: settings.HEALTH_PORT,
    healthHost: settings.HEALTH_HOST,
    readyMaxLagMs: settings.READY_MAX_LAG,
  };
}
