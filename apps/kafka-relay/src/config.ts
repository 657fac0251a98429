import { loadKafkaConnection, type KafkaConnection } from '@case-status/messaging';

export interface KafkaRelayConfig {
  databaseUrl: string;
  eventStoreSchema: string;
  checkpointSchema: string;
  kafka: KafkaConnection;
  topic: string | undefined;
  partitions: number;
}

/** Reads the environment; throws naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): KafkaRelayConfig {
  const partitions = Number(env['KAFKA_TOPIC_PARTITIONS'] ?? '6');
  if (!Number.isInteger(partitions) || partitions < 1) {
    throw new TypeError(`KAFKA_TOPIC_PARTITIONS must be a positive integer, got "${env['KAFKA_TOPIC_PARTITIONS']}"`);
  }
  return {
    databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status',
    eventStoreSchema: env['EVENT_STORE_SCHEMA'] ?? 'event_store',
    checkpointSchema: env['KAFKA_RELAY_SCHEMA'] ?? 'kafka_relay',
    kafka: loadKafkaConnection(env),
    topic: env['KAFKA_TOPIC'] || undefined,
    partitions,
  };
}
