import type { Kafka } from 'kafkajs';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { RECONNECT_BACKOFF, retrying } from '@case-status/postgres-support';

/** The dead-letter topic of a topic: where a consumer puts records it cannot process. */
export const deadLetterTopicOf = (topic: string) => `${topic}.dlq`;

export const CASE_STATUS_CHANGED_DLQ = deadLetterTopicOf(CASE_STATUS_CHANGED_V1.topic);

export interface TopicSettings {
  /** Default `case.status-changed.v1`; its dead-letter topic is `<topic>.dlq`. */
  topic?: string;
  /** Partitions of the topic (the DLQ gets the same, so a record keeps its partition). Default 6. */
  partitions?: number;
  /** Default 1 (one broker); production: 3. */
  replicationFactor?: number;
  /** Default 1 here; production: 2 with replication 3. */
  minInsyncReplicas?: number;
  /** Default 7 days. */
  retentionMs?: number;
  /** Default 30 days: dead letters wait for a person. */
  deadLetterRetentionMs?: number;
}

export interface EnsuredTopic {
  topic: string;
  partitions: number;
  created: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates the status-change topic and its dead-letter topic with declared partitions and
 * settings (the broker does not auto-create topics). Topics that exist are left as they are;
 * one with fewer partitions than declared is an error, because silently adding partitions
 * would move keys and break per-case order.
 */
export async function ensureCaseStatusTopics(kafka: Kafka, settings: TopicSettings = {}): Promise<EnsuredTopic[]> {
  const topic = settings.topic ?? CASE_STATUS_CHANGED_V1.topic;
  const partitions = settings.partitions ?? 6;
  const replicationFactor = settings.replicationFactor ?? 1;
  const minInsync = settings.minInsyncReplicas ?? 1;
  for (const [name, value] of Object.entries({ partitions, replicationFactor, minInsyncReplicas: minInsync })) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (minInsync > replicationFactor) throw new RangeError(`minInsyncReplicas (${minInsync}) cannot exceed replicationFactor (${replicationFactor})`);
  const config = (retentionMs: number) => [
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'retention.ms', value: String(retentionMs) },
    { name: 'min.insync.replicas', value: String(minInsync) },
  ];
  const wanted = [
    { topic, numPartitions: partitions, replicationFactor, configEntries: config(settings.retentionMs ?? 7 * DAY_MS) },
    { topic: deadLetterTopicOf(topic), numPartitions: partitions, replicationFactor, configEntries: config(settings.deadLetterRetentionMs ?? 30 * DAY_MS) },
  ];

  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) {
      try {
        await admin.createTopics({ topics: missing, waitForLeaders: true });
      } catch (error) {
        // Another process may have created them in between; a broker that does not know of the
        // new topics yet is waited for below; anything else is real.
        if (!isTopicExists(error) && !isNotYetKnown(error)) throw error;
      }
    }
    // Every broker learns of new topics from the controllers a little later: the one asked may not know them yet.
    const metadata = await retrying(() => admin.fetchTopicMetadata({ topics: wanted.map((t) => t.topic) }), {
      retriable: isNotYetKnown,
      attempts: 10,
      policy: RECONNECT_BACKOFF,
    });
    return wanted.map((t) => {
      const found = metadata.topics.find((m) => m.name === t.topic);
      const actual = found?.partitions.length ?? 0;
      if (actual < t.numPartitions) {
        throw new Error(`topic ${t.topic} has ${actual} partitions, ${t.numPartitions} declared; add partitions deliberately (it moves keys), not on start-up`);
      }
      return { topic: t.topic, partitions: actual, created: missing.some((m) => m.topic === t.topic) };
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Right after a topic is created, a broker may answer its metadata with
 * UNKNOWN_TOPIC_OR_PARTITION until the controllers' news reaches it; kafkajs' wait for leaders
 * in createTopics retries only LEADER_NOT_AVAILABLE.
 */
function isNotYetKnown(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE';
}

function isTopicExists(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const withDetails = error as Error & { type?: string; errors?: { type?: string }[] };
  if (withDetails.type === 'TOPIC_ALREADY_EXISTS') return true;
  return Array.isArray(withDetails.errors) && withDetails.errors.length > 0 && withDetails.errors.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
}
