import { AppendResult, DuplicateEventIdError, EventToAppend, ExpectedRevision, GlobalPosition, StreamAppend } from './event-store.port';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Refuses appends that no adapter could store faithfully, before anything is written, so both
 * adapters fail the same way (a TypeError is a caller's bug, not a conflict).
 */
export function assertValidAppend(streamId: string, events: EventToAppend[], expected: ExpectedRevision): void {
  if (streamId.length === 0) throw new TypeError('stream id must not be empty');
  if (events.length === 0) throw new TypeError(`append to ${streamId}: no events to append`);
  if (typeof expected === 'bigint' && expected < 0n) {
    throw new TypeError(`append to ${streamId}: expected revision must be >= 0n, got ${expected}`);
  }
  const seen = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new TypeError(`append to ${streamId}: event id "${event.id}" is not a UUID`);
    const id = event.id.toLowerCase();
    if (seen.has(id)) throw new TypeError(`append to ${streamId}: event id ${event.id} appears twice in one append`);
    seen.add(id);
  }
}

/** `assertValidAppend` for every stream of a multi-stream append, plus: at least one stream, each stream once, each id once in the whole call. */
export function assertValidAppends(appends: StreamAppend[]): void {
  if (appends.length === 0) throw new TypeError('a multi-stream append needs at least one stream');
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const { streamId, events, expectedRevision } of appends) {
    assertValidAppend(streamId, events, expectedRevision);
    if (streams.has(streamId)) throw new TypeError(`stream ${streamId} appears twice in one multi-stream append`);
    streams.add(streamId);
    for (const event of events) {
      const id = event.id.toLowerCase();
      if (ids.has(id)) throw new TypeError(`event id ${event.id} appears twice in one multi-stream append`);
      ids.add(id);
    }
  }
}

/** Whether a stream whose last revision is `last` (undefined: no stream) meets the expectation. */
export function expectationHolds(expected: ExpectedRevision, last: bigint | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return last === undefined;
  if (expected === 'stream_exists') return last !== undefined;
  return last === expected;
}

export interface StoredEventRef {
  id: string;
  streamId: string;
  revision: bigint;
  position: GlobalPosition;
}

/**
 * Decides what a (possibly retried) append means, given which of its event ids are already
 * stored: `undefined` when none is (a new append), the original result when all of them are
 * stored as exactly this append (same stream, same order, consecutive revisions), and a
 * DuplicateEventIdError for anything in between, because storing the rest would split one
 * submission into two and answering "done" would hide that part of it is elsewhere.
 */
export function resolveRetry(streamId: string, events: EventToAppend[], stored: StoredEventRef[]): AppendResult | undefined {
  if (stored.length === 0) return undefined;
  const byId = new Map(stored.map((ref) => [ref.id.toLowerCase(), ref]));
  // Reported in the error: the first submitted id that is already stored.
  const offendingId = events.find((event) => byId.has(event.id.toLowerCase()))?.id ?? stored[0].id;
  const first = byId.get(events[0].id.toLowerCase());
  const isThisAppend =
    first !== undefined &&
    events.every((event, index) => {
      const ref = byId.get(event.id.toLowerCase());
      return ref !== undefined && ref.streamId === streamId && ref.revision === first.revision + BigInt(index);
    });
  const last = byId.get(events[events.length - 1].id.toLowerCase());
  if (!isThisAppend || !last) throw new DuplicateEventIdError(offendingId, streamId);
  return { nextExpectedRevision: last.revision, position: last.position, positions: events.map((event) => (byId.get(event.id.toLowerCase()) as StoredEventRef).position) };
}

/**
 * `resolveRetry` over a whole multi-stream append: `undefined` when none of its ids is stored,
 * the original results when every stream's part is stored as exactly that part, and a
 * DuplicateEventIdError (naming the first stream found stored) when only some are.
 */
export function resolveRetries(appends: StreamAppend[], stored: StoredEventRef[]): AppendResult[] | undefined {
  if (stored.length === 0) return undefined;
  const results = appends.map(({ streamId, events }) => {
    const ids = new Set(events.map((event) => event.id.toLowerCase()));
    return resolveRetry(streamId, events, stored.filter((ref) => ids.has(ref.id.toLowerCase())));
  });
  if (results.every((result) => result !== undefined)) return results as AppendResult[];
  const storedAt = results.findIndex((result) => result !== undefined);
  const part = appends[storedAt];
  throw new DuplicateEventIdError(part.events[0].id, part.streamId);
}
