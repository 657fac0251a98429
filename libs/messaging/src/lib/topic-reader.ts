import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { decodeCaseStatusChanged, headersAsStrings, type ReceivedCaseStatusChange } from '@case-status/integration-events';

/** One record of a status-change topic as `readTopic` returns it. */
export interface ConsumedRecord {
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: Buffer | null;
  /** The record's timestamp (ms since the epoch): when the producer made it. */
  timestamp: number;
  /** The decoded change, or why the record is not one. */
  decoded: ReceivedCaseStatusChange | { error: string };
}

/**
 * Reads a topic from the beginning with a fresh consumer group (committing nothing anyone else
 * uses) until `until` holds for what was read, or `timeoutMs` (default 20 s) passes: then it
 * returns what there is. For tests, smoke checks and operators, not for the notifier's
 * processing (that needs a stable group and committed offsets).
 */
export async function readTopic(options: { kafka: Kafka; topic: string; until: (records: ConsumedRecord[]) => boolean; timeoutMs?: number }): Promise<ConsumedRecord[]> {
  const consumer = options.kafka.consumer({ groupId: `read-topic-${randomUUID()}`, allowAutoTopicCreation: false });
  const records: ConsumedRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, options.timeoutMs ?? 20_000);
      const check = () => {
        if (options.until(records)) {
          clearTimeout(timer);
          resolve();
        }
      };
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const headers = headersAsStrings(message.headers ?? {});
          let decoded: ConsumedRecord['decoded'];
          try {
            decoded = decodeCaseStatusChanged(message);
          } catch (error) {
            decoded = { error: error instanceof Error ? error.message : String(error) };
          }
          records.push({ partition, offset: message.offset, key: message.key?.toString() ?? null, headers, value: message.value, timestamp: Number(message.timestamp), decoded });
          check();
        },
      });
      check();
    });
  } finally {
    await consumer.disconnect();
  }
  return records;
}

