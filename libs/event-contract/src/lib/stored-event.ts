import type { CaseEvent } from '@case-status/case-domain';

/**
 * The shapes of stored events as every reader sees them, whatever store holds them: the
 * event store's adapters produce them, the projector and the relay consume them. A contract
 * of its own so that readers need not depend on the store's adapters.
 */

/**
 * A place in the global order of all events. Two bigints, as EventStoreDB's `$all` position:
 * for PostgreSQL `commit` is the appending transaction's id and `prepare` the event's sequence
 * number, so that readers can order by what has finished committing (see docs/adr/0002).
 * Compare with `comparePositions`; never do arithmetic on it.
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** Before the first event of the store. */
export const START: GlobalPosition = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** `commit:prepare`, for logs, JSON and checkpoints kept as text. */
export function formatPosition(p: GlobalPosition): string {
  return `${p.commit}:${p.prepare}`;
}

export function parsePosition(text: string): GlobalPosition {
  const match = /^(\d{1,20}):(\d{1,20})$/.exec(text);
  if (!match) throw new TypeError(`not a global position: "${text}" (expected "<commit>:<prepare>")`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export type JsonObject = { [key: string]: unknown };

export interface RecordedEvent {
  id: string;
  streamId: string;
  /** 0-based position in its stream. */
  revision: bigint;
  position: GlobalPosition;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recordedAt: Date;
}

/** Case streams are `case-<AGENCY>-<receipt>`; readers of all streams filter on this prefix. */
export const CASE_STREAM_PREFIX = 'case-';

/** A stored case event as the domain sees it: business time travels in `metadata.occurredAt`. */
export function toCaseEvent(recorded: Pick<RecordedEvent, 'type' | 'data' | 'metadata'>): CaseEvent {
  return { type: recorded.type, data: recorded.data, occurredAt: recorded.metadata['occurredAt'] } as CaseEvent;
}
