import type { CaseStatusChange } from '@case-status/integration-events';

/** What the relay publishes: one `case.status-changed.v1` per change, defined by the contract. */
export type { CaseStatusChange };

/**
 * Where the relay hands status changes to. Kafka is one implementation
 * (`KafkaCaseStatusPublisher`); an in-process one for the one-process platform is another.
 * `describeCaseStatusPublisherContract` in testing.ts checks any implementation.
 *
 * Contract:
 * - `publish` resolves only once every change of the batch is durably accepted (for Kafka: acknowledged
 *   by all in-sync replicas); if it rejects, any part of the batch may or may not have been
 *   published, and the caller publishes the whole batch again (at-least-once; consumers dedupe
 *   on `attributes.id`).
 * - Changes with the same key reach consumers in the order of the batch, and batches in the order
 *   they were published.
 * - An empty batch is a no-op. A change that breaks the contract's shape (no id, key not the
 *   change's stream) is rejected with a TypeError naming it, before anything is published.
 */
export interface CaseStatusPublisher {
  publish(changes: readonly CaseStatusChange[]): Promise<void>;
  close(): Promise<void>;
}
