import type { Kafka } from 'kafkajs';
import { consumeCaseStatusChanged, createTestTopics, describeCaseStatusPublisherContract, uniqueTopicName } from '../testing';
import { KafkaCaseStatusPublisher } from './kafka-case-status-publisher';
import { testKafka } from './kafka-test-env';
import { deadLetterTopicOf, ensureCaseStatusTopics } from './topics';

// Jest's project-level testTimeout is not applied in the root multi-project run; a busy broker
// can take longer than the default 5 s to create topics and hand out a consumer's partitions.
jest.setTimeout(30_000);

const kafka: Kafka = testKafka('publisher-int-spec');

describeCaseStatusPublisherContract('Kafka', async () => {
  const { topic, deleteTopics } = await createTestTopics(kafka, 'contract');
  const publisher = await KafkaCaseStatusPublisher.connect({ kafka, topic });
  return {
    publisher,
    readBack: (count) => consumeCaseStatusChanged({ kafka, topic, count, timeoutMs: 10_000 }),
    cleanup: async () => {
      await publisher.close();
      await deleteTopics();
    },
  };
});

describe('ensureCaseStatusTopics', () => {
  const created: string[] = [];
  afterAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: created.flatMap((t) => [t, deadLetterTopicOf(t)]) }).catch(() => undefined);
    await admin.disconnect();
  });

  it('creates the topic and its dead-letter topic with the declared partitions and settings, once', async () => {
    const topic = uniqueTopicName('ensure');
    created.push(topic);
    const first = await ensureCaseStatusTopics(kafka, { topic, partitions: 6, retentionMs: 3_600_000 });
    expect(first).toEqual([
      { topic, partitions: 6, created: true },
      { topic: `${topic}.dlq`, partitions: 6, created: true },
    ]);
    const again = await ensureCaseStatusTopics(kafka, { topic, partitions: 6 });
    expect(again.map((t) => t.created)).toEqual([false, false]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const { resources } = await admin.describeConfigs({ resources: [{ type: 2, name: topic }], includeSynonyms: false });
      const config = Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
      expect(config).toMatchObject({ 'retention.ms': '3600000', 'min.insync.replicas': '1', 'cleanup.policy': 'delete' });
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses to run against a topic with fewer partitions than declared', async () => {
    const topic = uniqueTopicName('fewer');
    created.push(topic);
    await ensureCaseStatusTopics(kafka, { topic, partitions: 2 });
    await expect(ensureCaseStatusTopics(kafka, { topic, partitions: 6 })).rejects.toThrow(`topic ${topic} has 2 partitions, 6 declared`);
  });

  it('refuses settings that cannot work, naming them', async () => {
    await expect(ensureCaseStatusTopics(kafka, { partitions: 0 })).rejects.toThrow('partitions must be a positive integer, got 0');
    await expect(ensureCaseStatusTopics(kafka, { minInsyncReplicas: 2 })).rejects.toThrow('minInsyncReplicas (2) cannot exceed replicationFactor (1)');
  });
});
