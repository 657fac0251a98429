import type { CaseEvent } from '@case-status/case-domain';

/**
 * What the projector needs from the event store: `readAll` in global order with a stream
 * prefix filter. Declared here, in the consumer's terms, because this adapter lib may not
 * depend on the event-store lib; `EventStore` from @case-status/event-store satisfies it as is.
 */
export interface SourcePosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export interface SourceEvent {
  id: string;
  streamId: string;
  revision: bigint;
  position: SourcePosition;
  type: string;
  data: { [key: string]: unknown };
  metadata: { [key: string]: unknown };
  recordedAt: Date;
}

export interface ProjectionSource {
  readAll(options: { after?: SourcePosition; maxCount?: number; streamPrefixes?: string[] }): Promise<SourceEvent[]>;
}

export const CASE_STREAM_PREFIX = 'case-';

/** Same text form as the event store's `formatPosition`, so checkpoints read the same in logs. */
export function formatSourcePosition(position: SourcePosition): string {
  return `${position.commit}:${position.prepare}`;
}

export function parseSourcePosition(text: string): SourcePosition {
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(text);
  if (!match) throw new TypeError(`not a checkpoint position: "${text}" (expected "<commit>:<prepare>")`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

/** A stored case event as the domain sees it; business time travels in `metadata.occurredAt`. */
export function toCaseEvent(recorded: SourceEvent): CaseEvent {
  return { type: recorded.type, data: recorded.data, occurredAt: recorded.metadata['occurredAt'] } as CaseEvent;
}
