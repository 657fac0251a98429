import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage, type Producer } from 'kafkajs';
import { Conditions } from './conditions';
import { KAFKA_BROKERS } from './support';

/** Test-side Kafka: creates and deletes topics, produces, and reads a topic into an array. */
export class TestKafka {
  readonly kafka = new Kafka({ clientId: 'notifications-test', brokers: KAFKA_BROKERS, logLevel: logLevel.NOTHING });
  readonly producer: Producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  private readonly consumers: Consumer[] = [];
  private readonly topics: string[] = [];

  async start(): Promise<void> {
    await this.producer.connect();
  }

  async createTopic(topic: string, numPartitions = 3): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
    await admin.disconnect();
    this.topics.push(topic);
  }

  /** Reads the topic from its beginning; the array fills as messages arrive. */
  async read(topic: string): Promise<{ messages: KafkaMessage[]; until: (predicate: (messages: KafkaMessage[]) => boolean) => Promise<void> }> {
    const messages: KafkaMessage[] = [];
    const conditions = new Conditions();
    const consumer = this.kafka.consumer({ groupId: `reader-${topic}-${Date.now()}`, maxWaitTimeInMs: 200 });
    this.consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
        conditions.check();
      },
    });
    return {
      messages,
      until: (predicate) => conditions.until(() => predicate(messages)),
    };
  }

  /**
   * Forgets a stopped group's committed offsets (the group must have no members), so its next
   * member starts where a group without commits starts. (admin.resetOffsets would do too, but
   * it runs a consumer and waits out a whole fetch.)
   */
  async forgetGroupOffsets(groupId: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]);
    await admin.disconnect();
  }

  async stop(extraTopics: string[] = []): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.disconnect()));
    await this.producer.disconnect();
    const admin = this.kafka.admin();
    await admin.connect();
    const existing = await admin.listTopics();
    await admin.deleteTopics({ topics: [...this.topics, ...extraTopics].filter((t) => existing.includes(t)) }).catch(() => undefined);
    await admin.disconnect();
  }
}
