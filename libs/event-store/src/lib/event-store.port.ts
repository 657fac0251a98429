/**
 * The one narrow interface every event store adapter implements (PostgreSQL, EventStoreDB).
 * The contract suite in `testing.ts` checks each adapter against it.
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

/**
 * What the writer expects the stream to be before the append:
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: the stream must exist, at any revision;
 * - `any`: no check;
 * - a bigint: the stream's last event must be at exactly this revision (0-based).
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export type JsonObject = { [key: string]: unknown };

export interface EventToAppend {
  /**
   * A UUID, unique across the whole store; appending an id that is already stored is
   * idempotent (see `EventStore.appendToStream`).
   */
  id: string;
  type: string;
  data: JsonObject;
  metadata?: JsonObject;
}

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

export interface AppendResult {
  /** The revision of the last event now in the stream. */
  nextExpectedRevision: bigint;
  /** The global position of the last appended event. */
  position: GlobalPosition;
}

export interface ReadStreamOptions {
  /** Inclusive; forwards from 0n by default, backwards from the end by default. */
  fromRevision?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
}

export interface StreamFilter {
  /** Only streams whose id starts with one of these prefixes (taken literally). Not empty: leave it out for every stream. */
  streamPrefixes?: string[];
}

export interface ReadAllOptions extends StreamFilter {
  /** Exclusive: events strictly after this position. Defaults to START. */
  after?: GlobalPosition;
  /** Default: no limit. */
  maxCount?: number;
}

export interface SubscribeOptions extends StreamFilter {
  /** Exclusive: deliver events strictly after this checkpoint. Defaults to START. */
  after?: GlobalPosition;
}

/**
 * Called once per event, in global order, never concurrently. The subscription waits for the
 * returned promise before the next event, so the handler can persist its checkpoint; if it
 * throws, the subscription stops and reports the error through `closed`.
 */
export type EventHandler = (event: RecordedEvent) => Promise<void>;

export interface Subscription {
  /** Stops delivering; resolves once the handler is no longer running. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves after `stop()`, rejects on a handler or store error. */
  readonly closed: Promise<void>;
}

export interface EventStore {
  /**
   * Appends atomically, if `expectedRevision` holds (else WrongExpectedRevisionError, nothing
   * written). If every event id is already stored as exactly this append (same stream, same
   * order), writes nothing and returns the original result; if only some are, or elsewhere,
   * DuplicateEventIdError. An empty list, a non-UUID id or an id given twice is a TypeError.
   */
  appendToStream(streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /** An empty array for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events in global order; only ever events whose position can no longer be preceded by a later commit. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(handler: EventHandler, options?: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or `no_stream`. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, but it is at ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An event id is already stored, but not as the same append (other stream, other position). */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`event id ${eventId} is already stored, but not as part of this append to ${streamId}`);
    this.name = 'DuplicateEventIdError';
  }
}
