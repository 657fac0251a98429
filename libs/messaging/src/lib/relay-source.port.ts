import type { GlobalPosition, RecordedEvent } from '@case-status/event-contract';

/**
 * What the relay needs from the event store, over the shared stored-event contract.
 * `EventStore` from @case-status/event-store satisfies it as is; the app passes one in.
 */
export interface SourceSubscription {
  stop(): Promise<void>;
  readonly closed: Promise<void>;
  /** Whether its last read reached the store, where the adapter knows. */
  readonly database?: 'up' | 'down';
}

export interface RelaySource {
  /** Events of one stream, oldest first. */
  readStream(streamId: string, options?: { fromRevision?: bigint; maxCount?: number }): Promise<RecordedEvent[]>;
  /** Every event after `after`, in global order, one handler call at a time; never skips one. */
  subscribeToAll(handler: (event: RecordedEvent) => Promise<void>, options?: { after?: GlobalPosition; streamPrefixes?: string[] }): SourceSubscription;
}
