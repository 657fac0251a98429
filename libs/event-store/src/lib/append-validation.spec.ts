import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, EventToAppend } from './event-store.port';
import { assertValidAppend, resolveRetry, StoredEventRef } from './append-validation';

const event = (): EventToAppend => ({ id: randomUUID(), type: 'CaseReceived', data: {} });
const stored = (e: EventToAppend, streamId: string, revision: bigint): StoredEventRef => ({
  id: e.id,
  streamId,
  revision,
  position: { commit: 7n, prepare: 100n + revision },
});

describe('resolveRetry', () => {
  const [a, b, c] = [event(), event(), event()];

  it('treats an append none of whose ids is stored as new', () => {
    expect(resolveRetry('case-1', [a, b], [])).toBeUndefined();
  });

  it('answers an append stored exactly like this with the revision and position of its last event', () => {
    expect(resolveRetry('case-1', [a, b], [stored(b, 'case-1', 4n), stored(a, 'case-1', 3n)])).toEqual({
      nextExpectedRevision: 4n,
      position: { commit: 7n, prepare: 104n },
    });
  });

  it('matches ids regardless of letter case', () => {
    const upper = { ...a, id: a.id.toUpperCase() };

    expect(resolveRetry('case-1', [upper], [stored(a, 'case-1', 0n)])?.nextExpectedRevision).toBe(0n);
  });

  it.each<[string, EventToAppend[], StoredEventRef[], string]>([
    ['only part of the batch is stored', [a, c], [stored(a, 'case-1', 0n)], a.id],
    ['a later part of the batch is stored', [c, b], [stored(b, 'case-1', 1n)], b.id],
    ['the ids are stored in another order', [b, a], [stored(a, 'case-1', 0n), stored(b, 'case-1', 1n)], b.id],
    ['the ids are stored with a gap between them', [a, b], [stored(a, 'case-1', 0n), stored(b, 'case-1', 2n)], a.id],
    ['the ids are stored in another stream', [a], [stored(a, 'case-2', 0n)], a.id],
  ])('refuses the append when %s', (_, events, refs, offendingId) => {
    let error: unknown;
    try {
      resolveRetry('case-1', events, refs);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(error).toMatchObject({ eventId: offendingId, streamId: 'case-1' });
  });
});

describe('assertValidAppend', () => {
  it('accepts a well-formed append', () => {
    expect(() => assertValidAppend('case-1', [event()], 0n)).not.toThrow();
  });

  it.each<[string, () => void]>([
    ['an empty stream id', () => assertValidAppend('', [event()], 'any')],
    ['no events', () => assertValidAppend('case-1', [], 'any')],
    ['a negative expected revision', () => assertValidAppend('case-1', [event()], -1n)],
    ['an id that is not a UUID', () => assertValidAppend('case-1', [{ ...event(), id: 'receipt-1' }], 'any')],
    ['the same id twice', () => {
      const e = event();
      assertValidAppend('case-1', [e, { ...e, id: e.id.toUpperCase() }], 'any');
    }],
  ])('refuses %s', (_, append) => {
    expect(append).toThrow(TypeError);
  });
});
