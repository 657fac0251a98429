import type { Pool } from 'pg';
import type { Logger } from '@case-status/logging';
import type { CaseStatusPublisher } from './case-status-publisher.port';
import { CaseStatusRelay } from './case-status-relay';
import { createKafka } from './kafka-client';
import { KafkaCaseStatusPublisher } from './kafka-case-status-publisher';
import type { KafkaConnection } from './kafka-connection';
import { PostgresRelayCheckpoints } from './relay-checkpoint';
import type { RelaySource } from './relay-source.port';
import { ensureCaseStatusTopics, type EnsuredTopic } from './topics';

export interface KafkaPublisherWiring {
  connection: KafkaConnection;
  clientId: string;
  /** Default `case.status-changed.v1`. */
  topic?: string;
  /** Partitions of a topic created now; default 6. */
  partitions?: number;
}

/**
 * The status-change topics (created when missing: the notifier's consumer needs them too),
 * then the publisher on them: what a relay to Kafka opens first.
 */
export async function openKafkaPublisher(options: KafkaPublisherWiring): Promise<{ publisher: KafkaCaseStatusPublisher; topics: EnsuredTopic[] }> {
  const kafka = createKafka({ ...options.connection, clientId: options.clientId });
  const topics = await ensureCaseStatusTopics(kafka, { ...(options.topic && { topic: options.topic }), ...(options.partitions && { partitions: options.partitions }) });
  return { publisher: await KafkaCaseStatusPublisher.connect({ kafka, topic: options.topic }), topics };
}

export interface RelayWiring {
  /** Holds the relay's checkpoint. */
  pool: Pool;
  source: RelaySource;
  publisher: CaseStatusPublisher;
  /** Schema of the checkpoint table. */
  checkpointSchema: string;
  /** The relay's checkpoint row; default `case.status-changed.v1`. */
  checkpointName?: string;
  logger?: Logger;
}

/** The relay as every service that runs it starts it: its checkpoint table migrated, then relaying from the checkpoint. */
export async function startRelay(options: RelayWiring): Promise<CaseStatusRelay> {
  const checkpoints = new PostgresRelayCheckpoints({ pool: options.pool, schema: options.checkpointSchema, name: options.checkpointName });
  await checkpoints.migrate();
  return CaseStatusRelay.start({ source: options.source, publisher: options.publisher, checkpoints, logger: options.logger });
}
