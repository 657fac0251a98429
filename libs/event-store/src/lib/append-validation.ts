import { AppendResult, DuplicateEventIdError, EventToAppend, ExpectedRevision, GlobalPosition } from './event-store.port';

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
  return { nextExpectedRevision: last.revision, position: last.position };
}
