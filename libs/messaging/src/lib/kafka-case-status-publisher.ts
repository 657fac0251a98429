import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { CASE_STATUS_CHANGED_V1, encodeCaseStatusChanged } from '@case-status/integration-events';
import type { CaseStatusChange, CaseStatusPublisher } from './case-status-publisher.port';

export interface KafkaCaseStatusPublisherOptions {
  kafka: Kafka;
  /** Default `case.status-changed.v1`. */
  topic?: string;
}

/**
 * `CaseStatusPublisher` on Kafka: one idempotent kafkajs producer (acks from all in-sync
 * replicas, one request in flight so kafkajs' retries never reorder a partition), records in
 * CloudEvents binary mode keyed by the case's stream id. A batch is one `send`: kafkajs groups
 * it into one produce request per broker.
 */
export class KafkaCaseStatusPublisher implements CaseStatusPublisher {
  readonly topic: string;
  private closed = false;

  private constructor(
    private readonly producer: Producer,
    topic: string,
  ) {
    this.topic = topic;
  }

  static async connect(options: KafkaCaseStatusPublisherOptions): Promise<KafkaCaseStatusPublisher> {
    const producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // Murmur2, as the Java client: other producers of the same keys pick the same partitions.
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    return new KafkaCaseStatusPublisher(producer, options.topic ?? CASE_STATUS_CHANGED_V1.topic);
  }

  async publish(changes: readonly CaseStatusChange[]): Promise<void> {
    if (this.closed) throw new Error('the Kafka case status publisher is closed');
    // Encode all first: one malformed change fails the batch before anything is sent.
    const messages = changes.map(encodeCaseStatusChanged);
    if (messages.length === 0) return;
    await this.producer.send({ topic: this.topic, acks: -1, messages });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.producer.disconnect();
  }
}
