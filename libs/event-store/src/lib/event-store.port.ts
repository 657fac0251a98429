/**
 * The one narrow interface every event store adapter implements (PostgreSQL, EventStoreDB).
 * The contract suite in `testing.ts` checks each adapter against it. Positions and recorded
 * events are the shared contract of @case-status/event-contract.
 */
import type { GlobalPosition, JsonObject, RecordedEvent } from '@case-status/event-contract';

export {  START, comparePositions, formatPosition, parsePosition, toCaseEvent } from '@case-status/event-contract';
export type { GlobalPosition, JsonObject, RecordedEvent } from '@case-status/event-contract';

/**
 * What the writer expects the stream to be before the append:
 * - `no_stream`: the stream must not exist yet;
 * - `stream_exists`: the stream must exist, at any revision;
 * - `any`: no check;
 * - a bigint: the stream's last event must be at exactly this revision (0-based).
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

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

export interface AppendResult {
  /** The revision of the last event now in the stream. */
  nextExpectedRevision: bigint;
  /** The global position of the last appended event. */
  position: GlobalPosition;
  /** The global position of each appended event, in the order given (the last one is `position`). */
  positions: GlobalPosition[];
}

/** One stream's part of a multi-stream append. */
export interface StreamAppend {
  streamId: string;
  events: EventToAppend[];
  expectedRevision: ExpectedRevision;
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
  /**
   * Settles when the subscription ends: resolves after `stop()`, rejects on a handler or store
   * error; an unreachable database is waited out, not an end (PostgreSQL adapter).
   */
  readonly closed: Promise<void>;
  /** Whether its last read reached the store, where the adapter knows; for readiness. */
  readonly database?: 'up' | 'down';
}

export interface EventStore {
  /**
   * Appends atomically, if `expectedRevision` holds (else WrongExpectedRevisionError, nothing
   * written). If every event id is already stored as exactly this append (same stream, same
   * order), writes nothing and returns the original result; if only some are, or elsewhere,
   * DuplicateEventIdError. An empty list, a non-UUID id or an id given twice is a TypeError.
   */
  appendToStream(streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult>;
  /**
   * Appends to several streams at once (say, the cases of one intake batch), each with its own
   * expected revision; answers one result per stream, in the order given. All or nothing where
   * the adapter can (PostgreSQL: one transaction; EventStoreDB: see its adapter): if any
   * stream's expectation fails, WrongExpectedRevisionError names that stream and nothing is
   * written. Idempotent like `appendToStream`, over the whole call: a retry of a call whose
   * every event is stored as exactly this call gets the original results; if only some of its
   * ids are stored, DuplicateEventIdError. Each stream's part is checked as `appendToStream`
   * checks it; a stream given twice, or an id given twice anywhere in the call, is a TypeError.
   */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]>;
  /** An empty array for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Several whole streams at once (one query where the adapter can), each forwards; every id asked is a key, a missing stream's value empty. */
  readStreams(streamIds: string[]): Promise<Map<string, RecordedEvent[]>>;
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
