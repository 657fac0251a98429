import type { Consumer, EachBatchPayload, KafkaMessage, Kafka } from 'kafkajs';
import { decodeCaseStatusChanged, InvalidCaseStatusChangedMessage, type IncomingKafkaRecord, type ReceivedCaseStatusChange } from '@case-status/integration-events';
import type { DeadLetterPublisher } from './dead-letter';
import type { DeliveryStore } from './delivery-store';
import { DatabaseReachability, isTransientConnectionError, RECONNECT_BACKOFF, retrying } from '@case-status/postgres-support';
import type { Logger } from '@case-status/logging';

export interface StatusChangeConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** Where a new consumer group starts. false (default): only messages produced from now on. */
  fromBeginning?: boolean;
  /**
   * Partitions handled at once (default 6, the topic's partition count). kafkajs keeps order
   * within a partition, and one case is always on one partition, so per-case order holds.
   */
  partitionsConsumedConcurrently?: number;
  /** Longest a fetch waits for new messages; stop() waits for the fetch in flight. Default 5000 ms. */
  maxWaitTimeMs?: number;
  /**
   * How long the group waits for a silent member (a process killed with -9) before its
   * partitions move to the others. Default 10 s (at least the broker's
   * `group.min.session.timeout.ms`, 6 s by default); heartbeats every third of it.
   */
  sessionTimeoutMs?: number;
  store: DeliveryStore;
  deadLetters: DeadLetterPublisher;
  /** Called after deliveries were queued, to wake the worker. */
  onQueued?: (count: number) => void;
  logger: Logger;
}

/**
 * Kafka consumer group on case.status-changed.v1. Per message it only records the event and
 * queues one delivery per matching subscription in PostgreSQL; sending happens in the
 * worker, so a slow endpoint never holds up the partition. kafkajs resolves a batch's
 * offsets only after eachBatch resolved, so every committed offset is of a message whose
 * deliveries are already durable; a message seen again after a crash is deduplicated by
 * the (event, subscription) key.
 */
export class StatusChangeConsumer {
  private consumer: Consumer | undefined;
  private stopping = false;
  /** Messages handled since start (valid or dead-lettered), for monitoring. */
  consumed = 0;
  /** Whether recording the last batch reached the database. */
  readonly database: DatabaseReachability;

  constructor(private readonly options: StatusChangeConsumerOptions) {
    this.database = new DatabaseReachability({
      onDown: (error) => options.logger.warn(`status changes: the database cannot be reached (${error.message}); holding the partition and retrying with backoff`),
      onUp: (downForMs) => options.logger.log(`status changes: the database is reachable again after ${downForMs} ms`),
    });
  }

  get isRunning(): boolean {
    return this.consumer !== undefined;
  }

  async start(): Promise<void> {
    const { kafka, groupId, topic } = this.options;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.options.maxWaitTimeMs ?? 5000,
      sessionTimeout,
      heartbeatInterval: Math.floor(sessionTimeout / 3),
    });
    this.consumer = consumer;
    this.stopping = false;
    if (!this.options.fromBeginning) await this.startNewGroupAtTheEnd();
    await consumer.connect();
    // A partition without a committed offset is read from its start: the group's offsets are
    // committed from the outset (above), so only a partition added later has none.
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: true,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 6,
      // The batch's offsets are resolved (and then committed) only after eachBatch resolved.
      eachBatchAutoResolve: true,
      eachBatch: (payload) => this.handle(payload),
    });
  }

  /**
   * A new group starts at the topic's end (subscribers are not sent its history), by committing
   * the end offsets before it consumes. Left to kafkajs ("latest" for a partition without a
   * committed offset), a member that restarts or rebalances before its first commit on a
   * partition (a broker lost, the coordinator moved) would start that partition at its end
   * again, skipping whatever arrived in between.
   */
  private async startNewGroupAtTheEnd(): Promise<void> {
    // A coordinator still loading (a new cluster, a broker just lost) answers with a retriable error.
    await retrying(() => this.commitEndOffsetsOfNewGroup(), { retriable: isRetriableKafkaError, attempts: 10, policy: RECONNECT_BACKOFF });
  }

  private async commitEndOffsetsOfNewGroup(): Promise<void> {
    const { kafka, groupId, topic, logger } = this.options;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      if (committed && committed.partitions.some((partition) => Number(partition.offset) >= 0)) return;
      const ends = await admin.fetchTopicOffsets(topic);
      try {
        await admin.setOffsets({ groupId, topic, partitions: ends.map(({ partition, offset }) => ({ partition, offset })) });
        logger.log(`consumer group ${groupId} is new: it starts at the end of ${topic}`);
      } catch (error) {
        // Another instance started the group meanwhile (it has members): it committed the end itself.
        const { groups } = await admin.describeGroups([groupId]);
        if (!groups[0] || groups[0].members.length === 0) throw error;
      }
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }

  /** One fetch of one partition: its valid changes are recorded in one transaction. */
  private async handle({ batch, heartbeat }: EachBatchPayload): Promise<void> {
    const changes: ReceivedCaseStatusChange[] = [];
    for (const message of batch.messages) {
      const change = await this.parseOrDeadLetter(batch.topic, batch.partition, message);
      if (change) changes.push(change);
    }
    const queued = await this.record(changes, heartbeat);
    this.consumed += batch.messages.length;
    if (queued > 0) this.options.onQueued?.(queued);
    await heartbeat();
  }

  /**
   * Records the batch, waiting out a database restart: the partition is held (heartbeats keep
   * it this member's) and nothing past the batch is committed until it is recorded. On stop the
   * error goes to kafkajs, which commits nothing of the batch: it is read again later.
   */
  private async record(changes: readonly ReceivedCaseStatusChange[], heartbeat: () => Promise<void>): Promise<number> {
    for (;;) {
      try {
        const queued = await this.options.store.recordStatusChanges(changes);
        this.database.succeeded();
        return queued;
      } catch (error) {
        if (this.stopping || !isTransientConnectionError(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.database.failed(error as Error)));
        await heartbeat();
      }
    }
  }

  private parseOrDeadLetter(topic: string, partition: number, message: KafkaMessage): Promise<ReceivedCaseStatusChange | null> {
    // Throwing here (DLQ unavailable) makes kafkajs retry the batch, not skip it.
    return parseOrDeadLetter(message, { topic, partition, offset: message.offset, described: `${topic} partition ${partition} offset ${message.offset}` }, this.options.deadLetters, this.options.logger);
  }
}

/** kafkajs marks the errors worth trying again (a coordinator loading, a leader moving). */
const isRetriableKafkaError = (error: unknown) => (error as { retriable?: unknown } | null)?.retriable === true;

/** Where a message came from: what its dead letter records and the warning names. */
export interface MessageOrigin {
  topic: string;
  partition: number;
  offset: string;
  described: string;
}

/**
 * The status change a message carries, or null once a message that can never be delivered
 * has been dead-lettered (and a warning logged). Rejects if the dead letter cannot be kept.
 */
export async function parseOrDeadLetter(message: IncomingKafkaRecord, origin: MessageOrigin, deadLetters: DeadLetterPublisher, logger: Logger): Promise<ReceivedCaseStatusChange | null> {
  try {
    return decodeCaseStatusChanged(message);
  } catch (error) {
    if (!(error instanceof InvalidCaseStatusChangedMessage)) throw error;
    const key = message.key?.toString() ?? null;
    logger.warn(`${origin.described} cannot be delivered, dead-lettering: ${error.message}`);
    await deadLetters.publish(key, {
      reason: 'invalid_message',
      lastError: error.message,
      failedAt: new Date().toISOString(),
      original: { topic: origin.topic, partition: origin.partition, offset: origin.offset, key, headers: stringHeaders(message.headers), value: message.value?.toString() ?? null },
    });
    return null;
  }
}

/** Headers as text, for a dead letter. */
function stringHeaders(headers: KafkaMessage['headers'] | IncomingKafkaRecord['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = (Array.isArray(value) ? value : [value]).map((v) => v.toString()).join(', ');
  }
  return out;
}
