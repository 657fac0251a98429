import { encodeCaseStatusChanged, type CaseStatusChange, type IncomingKafkaRecord } from '@case-status/integration-events';
import type { CaseStatusPublisher } from '@case-status/messaging';

/** What takes the changes: the notifier's in-process entry (`Notifier.accept`). */
export interface StatusChangeSink {
  accept(messages: readonly IncomingKafkaRecord[]): Promise<void>;
}

/**
 * The relay's publisher port without a broker: each change is encoded exactly as it would go
 * to Kafka (CloudEvents binary mode) and handed to the notifier in the same process. `publish`
 * resolves once the notifier has recorded the batch durably, so the relay's checkpoint moves
 * only after that, as with Kafka's acknowledgement; a batch published again after a crash is
 * deduplicated by the notifier on the CloudEvents id.
 */
export class InProcessCaseStatusPublisher implements CaseStatusPublisher {
  private closed = false;

  constructor(private readonly sink: StatusChangeSink) {}

  async publish(changes: readonly CaseStatusChange[]): Promise<void> {
    if (this.closed) throw new Error('the in-process status change publisher is closed');
    if (changes.length === 0) return;
    // Encoding checks every change first, so a bad one stops the batch before any is handed over.
    const records = changes.map(encodeCaseStatusChanged);
    await this.sink.accept(records.map((record) => ({ key: record.key, value: record.value, headers: record.headers })));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
