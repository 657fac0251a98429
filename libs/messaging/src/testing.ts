/**
 * Test support for `CaseStatusPublisher` implementations and for consumers of
 * `case.status-changed.v1`. Usage, inside a `*.int-spec.ts`:
 *
 *   describeCaseStatusPublisherContract('Kafka', async () => {
 *     const topic = uniqueTopicName('contract');
 *     ...create the topic, connect a publisher...
 *     return { publisher, readBack: (count) => consumeCaseStatusChanged({ kafka, topic, count }), cleanup };
 *   });
 *
 * Each test uses fresh case keys, and every subject is made fresh per test.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { CaseStatusChangedV1 } from '@case-status/integration-events';
import { changeOf, statusChanged } from '@case-status/integration-events/testing';
import type { CaseStatusChange, CaseStatusPublisher } from './lib/case-status-publisher.port';
import { ensureCaseStatusTopics, type TopicSettings } from './lib/topics';
import { readTopic } from './lib/topic-reader';

export { aCaseHistory, aReceiptNumber, storedCaseEvent } from './lib/test-events';

/** A topic name no other test uses (topics are never auto-created, so create it too). */
export function uniqueTopicName(label = 'test'): string {
  return `t.${label}.${randomUUID().slice(0, 8)}`;
}

let receiptCounter = 0;

/** A well-formed change for a fresh USCIS case unless `receiptNumber` is given; `overrides` patch the data. */
export function aCaseStatusChange(options: { receiptNumber?: string; revision?: number; data?: Partial<CaseStatusChangedV1> } = {}): CaseStatusChange {
  const receiptNumber = options.receiptNumber ?? `IOE${String(Date.now() % 1e7).padStart(7, '0')}${String(receiptCounter++ % 1000).padStart(3, '0')}`;
  const revision = options.revision ?? 0;
  const occurredAt = new Date(Date.UTC(2025, 0, 1, 12, 0, revision)).toISOString();
  return changeOf({
    ...statusChanged({ receiptNumber, occurredAt, recordedAt: occurredAt, streamRevision: String(revision), position: `${1000 + revision}:${revision}` }),
    ...options.data,
  });
}

/** What a publisher's consumer received, reduced to what the contract is about. */
export interface ReceivedChange {
  key: string;
  id: string;
  data: CaseStatusChangedV1;
}

export interface CaseStatusPublisherContractSubject {
  publisher: CaseStatusPublisher;
  /** Everything published from the subject's start, once at least `count` arrived (or a timeout passed: then what there is). */
  readBack(count: number): Promise<ReceivedChange[]>;
  cleanup(): Promise<void>;
}

/** The `CaseStatusPublisher` contract, for any implementation. */
export function describeCaseStatusPublisherContract(name: string, makeSubject: () => Promise<CaseStatusPublisherContractSubject>): void {
  describe(`CaseStatusPublisher contract: ${name}`, () => {
    let subject: CaseStatusPublisherContractSubject;
    // Creating and deleting topics on a busy broker can take longer than Jest's default 5 s.
    beforeEach(async () => {
      subject = await makeSubject();
    }, 30_000);
    afterEach(async () => {
      await subject.cleanup();
    }, 30_000);

    it('delivers every change of a batch with its key, id and payload', async () => {
      const changes = [aCaseStatusChange(), aCaseStatusChange(), aCaseStatusChange()];
      await subject.publisher.publish(changes);
      const received = await subject.readBack(3);
      expect(sortById(received)).toEqual(sortById(changes.map((c) => ({ key: c.key, id: c.attributes.id, data: c.data }))));
    });

    it("keeps one case's changes in order, within a batch and across batches", async () => {
      const receipt = aCaseStatusChange().data.receiptNumber;
      const other = aCaseStatusChange().data.receiptNumber;
      const mine = (revision: number) => aCaseStatusChange({ receiptNumber: receipt, revision });
      const theirs = (revision: number) => aCaseStatusChange({ receiptNumber: other, revision });
      await subject.publisher.publish([mine(0), theirs(0), mine(1), mine(2)]);
      await subject.publisher.publish([theirs(1), mine(3)]);
      const received = await subject.readBack(6);
      const revisionsOf = (receiptNumber: string) => received.filter((r) => r.data.receiptNumber === receiptNumber).map((r) => r.data.streamRevision);
      expect(revisionsOf(receipt)).toEqual(['0', '1', '2', '3']);
      expect(revisionsOf(other)).toEqual(['0', '1']);
    });

    it('treats an empty batch as nothing to do', async () => {
      await expect(subject.publisher.publish([])).resolves.toBeUndefined();
      const marker = aCaseStatusChange();
      await subject.publisher.publish([marker]);
      const received = await subject.readBack(1);
      expect(received.map((r) => r.id)).toEqual([marker.attributes.id]);
    });

    it('rejects a batch with a malformed change, naming it, and publishes none of that batch', async () => {
      const good = aCaseStatusChange();
      const bad = aCaseStatusChange({ data: { statusCode: 'NOT_A_STATUS' as CaseStatusChangedV1['statusCode'] } });
      const error = await subject.publisher.publish([good, bad]).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain(bad.attributes.id);
      expect((error as Error).message).toContain('statusCode');

      const marker = aCaseStatusChange();
      await subject.publisher.publish([marker]);
      const received = await subject.readBack(1);
      expect(received.map((r) => r.id)).toEqual([marker.attributes.id]);
    });

    it('rejects a change whose key is not its case stream', async () => {
      const change = { ...aCaseStatusChange(), key: 'case-USCIS-SOMEONEELSE0000' };
      await expect(subject.publisher.publish([change])).rejects.toThrow(/key "case-USCIS-SOMEONEELSE0000" is not the stream of receipt number/);
    });

    it('refuses to publish once closed', async () => {
      await subject.publisher.close();
      await expect(subject.publisher.publish([aCaseStatusChange()])).rejects.toThrow(/closed/);
    });
  });
}

function sortById<T extends { id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.id.localeCompare(b.id));
}

/** Creates a unique status-change topic (and its DLQ) for one test; `deleteTopics` removes them. */
export async function createTestTopics(kafka: Kafka, label: string, settings: Omit<TopicSettings, 'topic'> = {}): Promise<{ topic: string; deleteTopics: () => Promise<void> }> {
  const topic = uniqueTopicName(label);
  await ensureCaseStatusTopics(kafka, { ...settings, topic });
  return {
    topic,
    deleteTopics: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: [topic, `${topic}.dlq`] });
      } finally {
        await admin.disconnect();
      }
    },
  };
}

/** The decoded changes of a topic (from the beginning), once at least `count` arrived. */
export async function consumeCaseStatusChanged(options: { kafka: Kafka; topic: string; count: number; timeoutMs?: number }): Promise<ReceivedChange[]> {
  const records = await readTopic({ ...options, until: (r) => r.length >= options.count });
  return records.map((record) => {
    if ('error' in record.decoded) throw new Error(`record ${record.partition}/${record.offset} of ${options.topic} is not a valid change: ${record.decoded.error}`);
    return { key: record.decoded.streamId, id: record.decoded.eventId, data: record.decoded.data };
  });
}
