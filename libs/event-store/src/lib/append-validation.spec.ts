import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, EventToAppend } from './event-store.port';
import { assertValidAppend, expectationHolds, resolveRetries, resolveRetry, StoredEventRef } from './append-validation';

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

  it('answers an append stored exactly like this with the revision and position of its last event, and every position in order', () => {
    expect(resolveRetry('case-1', [a, b], [stored(b, 'case-1', 4n), stored(a, 'case-1', 3n)])).toEqual({
      nextExpectedRevision: 4n,
      position: { commit: 7n, prepare: 104n },
      positions: [
        { commit: 7n, prepare: 103n },
        { commit: 7n, prepare: 104n },
      ],
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

describe('resolveRetries', () => {
  const [a, b, c] = [event(), event(), event()];
  const call = [
    { streamId: 'case-1', events: [a, b], expectedRevision: 'no_stream' as const },
    { streamId: 'case-2', events: [c], expectedRevision: 'no_stream' as const },
  ];

  it('treats a call none of whose ids is stored as new', () => {
    expect(resolveRetries(call, [])).toBeUndefined();
  });

  it('answers a call stored exactly like this with every stream\'s original result', () => {
    const results = resolveRetries(call, [stored(a, 'case-1', 0n), stored(b, 'case-1', 1n), stored(c, 'case-2', 0n)]);

    expect(results?.map((result) => result.nextExpectedRevision)).toEqual([1n, 0n]);
  });

  it('refuses a call only one of whose streams is stored, naming that stream', () => {
    expect(() => resolveRetries(call, [stored(c, 'case-2', 0n)])).toThrow(expect.objectContaining({ code: 'DUPLICATE_EVENT_ID', streamId: 'case-2', eventId: c.id }));
  });
});

describe('expectationHolds', () => {
  it.each<[string, Parameters<typeof expectationHolds>[0], bigint | undefined, boolean]>([
    ['no_stream on no stream', 'no_stream', undefined, true],
    ['no_stream on a stream', 'no_stream', 0n, false],
    ['stream_exists on a stream', 'stream_exists', 3n, true],
    ['stream_exists on no stream', 'stream_exists', undefined, false],
    ['any on no stream', 'any', undefined, true],
    ['an exact revision that is the last', 3n, 3n, true],
    ['an exact revision that is not', 2n, 3n, false],
    ['an exact revision on no stream', 0n, undefined, false],
  ])('%s', (_, expected, last, holds) => {
    expect(expectationHolds(expected, last)).toBe(holds);
  });
});
