import type { GlobalPosition, RecordedEvent } from '@case-status/event-contract';

/**
 * What the projector needs from the event store: `readAll` in global order with a stream
 * prefix filter, over the shared stored-event contract. `EventStore` from
 * @case-status/event-store satisfies it as is; the app passes one in.
 */
export interface ProjectionSource {
  readAll(options: { after?: GlobalPosition; maxCount?: number; streamPrefixes?: string[] }): Promise<RecordedEvent[]>;
}
