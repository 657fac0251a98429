/**
 * The event store contract: one suite, run by every adapter's integration test.
 * Usage, inside a `*.int-spec.ts`:
 *
 *   describeEventStoreContract('PostgreSQL', async () => {
 *     const store = await createPostgresEventStore({ connection, schema });
 *     return { store, cleanup: () => store.close() };
 *   });
 *
 * Every test works in streams of its own (random prefix), so one store can serve the whole
 * suite and a shared server (EventStoreDB) can keep events of earlier runs.
 */
import { randomUUID } from 'node:crypto';
import {
  AppendResult,
  comparePositions,
  DuplicateEventIdError,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from './lib/event-store.port';

export interface EventStoreContractSubject {
  store: EventStore;
  cleanup: () => Promise<void>;
}

export interface EventStoreContractOptions {
  /** False for stores that can only recognise a reused event id within the same stream (EventStoreDB). */
  detectsEventIdsReusedInOtherStreams?: boolean;
}

/** Unique per call, so tests never see each other's streams. */
export function uniqueStreamPrefix(): string {
  return `t${randomUUID().replace(/-/g, '').slice(0, 12)}-`;
}

export function anEvent(type = 'CaseReceived', data: Record<string, unknown> = { form: 'I-130' }): EventToAppend {
  return { id: randomUUID(), type, data, metadata: { source: 'contract-test' } };
}

export function someEvents(count: number, type = 'CaseReceived'): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => anEvent(type, { index }));
}

/** The rejection of `promise`; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Polls `probe` until `done` holds; returns the last value. Stores may hold back events briefly (docs/adr/0002). */
export async function eventually<T>(probe: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function readAllOf(store: EventStore, prefix: string, count: number): Promise<RecordedEvent[]> {
  return eventually(
    () => store.readAll({ streamPrefixes: [prefix] }),
    (events) => events.length >= count,
  );
}

export interface Collector {
  events: RecordedEvent[];
  subscription: Subscription;
  /** Resolves once at least `count` events arrived; never throws, the caller asserts. */
  received(count: number): Promise<RecordedEvent[]>;
}

export function collect(store: EventStore, options: SubscribeOptions): Collector {
  const events: RecordedEvent[] = [];
  const subscription = store.subscribeToAll(async (event) => {
    events.push(event);
  }, options);
  return {
    events,
    subscription,
    received: (count) => eventually(() => events, (list) => list.length >= count),
  };
}

const ids = (events: { id: string }[]) => events.map((event) => event.id);

export function describeEventStoreContract(
  name: string,
  factory: () => Promise<EventStoreContractSubject>,
  options: EventStoreContractOptions = {},
): void {
  describe(`${name} event store contract`, () => {
    let subject: EventStoreContractSubject;
    let store: EventStore;
    let prefix: string;

    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });
    afterAll(async () => {
      await subject?.cleanup();
    });
    beforeEach(() => {
      prefix = uniqueStreamPrefix();
    });

    describe('appendToStream and readStream', () => {
      it('stores events and reads them back with 0-based bigint revisions, data and metadata', async () => {
        const stream = `${prefix}case-1`;
        const events = [anEvent('CaseReceived', { form: 'I-130', nested: { office: 'NBC' } }), anEvent('InReview'), { ...anEvent('EvidenceRequested'), metadata: undefined }];

        const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        const read = await store.readStream(stream);

        expect(result.nextExpectedRevision).toBe(2n);
        expect(ids(read)).toEqual(ids(events));
        expect(read.map((event) => event.revision)).toEqual([0n, 1n, 2n]);
        expect(read.map((event) => event.type)).toEqual(['CaseReceived', 'InReview', 'EvidenceRequested']);
        expect(read[0]).toMatchObject({ streamId: stream, data: { form: 'I-130', nested: { office: 'NBC' } }, metadata: { source: 'contract-test' } });
        expect(read[2].metadata).toEqual({});
        expect(read[0].recordedAt).toBeInstanceOf(Date);
        expect(typeof read[0].position.commit).toBe('bigint');
        expect(read[2].position).toEqual(result.position);
      });

      it('gives later events of a stream later global positions', async () => {
        const stream = `${prefix}case-1`;
        await store.appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, someEvents(2), { expectedRevision: 1n });

        const positions = (await store.readStream(stream)).map((event) => event.position);

        for (let i = 1; i < positions.length; i++) expect(comparePositions(positions[i - 1], positions[i])).toBe(-1);
      });

      it('returns an empty array for a stream that does not exist', async () => {
        await expect(store.readStream(`${prefix}never-written`)).resolves.toEqual([]);
        await expect(store.readStream(`${prefix}never-written`, { direction: 'backwards' })).resolves.toEqual([]);
      });

      it('reads forwards from a revision, and at most maxCount events', async () => {
        const stream = `${prefix}case-1`;
        const events = someEvents(5);
        await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        const read = await store.readStream(stream, { fromRevision: 2n, maxCount: 2 });

        expect(read.map((event) => event.revision)).toEqual([2n, 3n]);
        expect(ids(read)).toEqual(ids(events.slice(2, 4)));
      });

      it('reads backwards from the end, or from a revision', async () => {
        const stream = `${prefix}case-1`;
        await store.appendToStream(stream, someEvents(5), { expectedRevision: 'no_stream' });

        const fromEnd = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
        const fromRevision = await store.readStream(stream, { direction: 'backwards', fromRevision: 1n });

        expect(fromEnd.map((event) => event.revision)).toEqual([4n, 3n]);
        expect(fromRevision.map((event) => event.revision)).toEqual([1n, 0n]);
      });

      it('orders revisions as numbers, not as text, in both directions', async () => {
        const stream = `${prefix}case-1`;
        await store.appendToStream(stream, someEvents(12), { expectedRevision: 'no_stream' });

        const forwards = await store.readStream(stream, { fromRevision: 8n });
        const backwards = await store.readStream(stream, { direction: 'backwards', maxCount: 3 });

        expect(forwards.map((event) => event.revision)).toEqual([8n, 9n, 10n, 11n]);
        expect(backwards.map((event) => event.revision)).toEqual([11n, 10n, 9n]);
      });

      it('readStreams reads several streams at once, each forwards, a missing one as empty', async () => {
        const [one, two, missing] = [`${prefix}case-1`, `${prefix}case-2`, `${prefix}case-3`];
        const first = someEvents(12);
        const second = someEvents(2);
        await store.appendToStream(one, first, { expectedRevision: 'no_stream' });
        await store.appendToStream(two, second, { expectedRevision: 'no_stream' });

        const read = await store.readStreams([two, missing, one]);

        expect([...read.keys()]).toEqual([two, missing, one]);
        expect(ids(read.get(one) ?? [])).toEqual(ids(first));
        expect((read.get(one) ?? []).map((event) => event.revision)).toEqual(first.map((_, i) => BigInt(i)));
        expect(ids(read.get(two) ?? [])).toEqual(ids(second));
        expect(read.get(missing)).toEqual([]);
        expect(await store.readStreams([])).toEqual(new Map());
      });

      it('refuses an empty append, an id that is not a UUID, and an id given twice, storing nothing', async () => {
        const stream = `${prefix}case-1`;
        const event = anEvent();

        expect(await rejectionOf(store.appendToStream(stream, [], { expectedRevision: 'any' }))).toBeInstanceOf(TypeError);
        expect(await rejectionOf(store.appendToStream(stream, [{ ...event, id: 'receipt-123' }], { expectedRevision: 'any' }))).toBeInstanceOf(TypeError);
        expect(await rejectionOf(store.appendToStream(stream, [event, event], { expectedRevision: 'any' }))).toBeInstanceOf(TypeError);
        await expect(store.readStream(stream)).resolves.toEqual([]);
      });
    });

    describe('expected revision', () => {
      async function conflictOf(stream: string, expectedRevision: ExpectedRevision): Promise<unknown> {
        return rejectionOf(store.appendToStream(stream, [anEvent()], { expectedRevision }));
      }

      it('no_stream creates the stream; a second no_stream append fails with the actual revision', async () => {
        const stream = `${prefix}case-1`;
        await store.appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' });

        const error = await conflictOf(stream, 'no_stream');

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: stream, expected: 'no_stream', actual: 1n });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('an exact revision appends when it is the last revision', async () => {
        const stream = `${prefix}case-1`;
        await store.appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(stream, someEvents(3), { expectedRevision: 1n });

        expect(result.nextExpectedRevision).toBe(4n);
        expect((await store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
      });

      it.each([
        ['behind', 0n],
        ['ahead', 5n],
      ])('an exact revision that is %s fails with the actual revision and stores nothing', async (_, expected) => {
        const stream = `${prefix}case-1`;
        await store.appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' });

        const error = await conflictOf(stream, expected);

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ expected, actual: 1n });
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('an exact revision on a missing stream fails with actual no_stream', async () => {
        const stream = `${prefix}case-1`;

        const error = await conflictOf(stream, 0n);

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ expected: 0n, actual: 'no_stream' });
        expect(await store.readStream(stream)).toEqual([]);
      });

      it('stream_exists appends to an existing stream and fails on a missing one with actual no_stream', async () => {
        const existing = `${prefix}case-1`;
        const missing = `${prefix}case-2`;
        await store.appendToStream(existing, someEvents(1), { expectedRevision: 'no_stream' });

        const result = await store.appendToStream(existing, someEvents(1), { expectedRevision: 'stream_exists' });
        const error = await conflictOf(missing, 'stream_exists');

        expect(result.nextExpectedRevision).toBe(1n);
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ expected: 'stream_exists', actual: 'no_stream' });
        expect(await store.readStream(missing)).toEqual([]);
      });

      it('any appends whether or not the stream exists', async () => {
        const stream = `${prefix}case-1`;

        const first = await store.appendToStream(stream, someEvents(2), { expectedRevision: 'any' });
        const second = await store.appendToStream(stream, someEvents(1), { expectedRevision: 'any' });

        expect(first.nextExpectedRevision).toBe(1n);
        expect(second.nextExpectedRevision).toBe(2n);
      });

      it.each<[string, ExpectedRevision]>([
        ['the same exact revision', 0n],
        ['no_stream on a new stream', 'no_stream'],
      ])('of 10 concurrent writers expecting %s, exactly one wins and the others get a conflict', async (_, expected) => {
        const stream = `${prefix}case-1`;
        if (expected === 0n) await store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' });
        const before = await store.readStream(stream);
        const batches = Array.from({ length: 10 }, () => someEvents(2, 'InReview'));

        const outcomes = await Promise.allSettled(batches.map((events) => store.appendToStream(stream, events, { expectedRevision: expected })));

        const winners = outcomes.flatMap((outcome, index) => (outcome.status === 'fulfilled' ? [{ index, result: outcome.value }] : []));
        const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as unknown] : []));
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(9);
        const lastRevision = BigInt(before.length + 1);
        expect(winners[0].result.nextExpectedRevision).toBe(lastRevision);
        for (const error of losers) {
          expect(error).toBeInstanceOf(WrongExpectedRevisionError);
          expect(error).toMatchObject({ actual: lastRevision });
        }
        expect(ids(await store.readStream(stream))).toEqual([...ids(before), ...ids(batches[winners[0].index])]);
      });
    });

    describe('idempotency', () => {
      it('answers a retried append with the original result and stores nothing twice', async () => {
        const stream = `${prefix}case-1`;
        const events = someEvents(2);
        const original = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        const retry = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });

        expect(retry).toEqual(original);
        expect(ids(await store.readStream(stream))).toEqual(ids(events));
      });

      it('answers a retry with the original result even after the stream moved on', async () => {
        const stream = `${prefix}case-1`;
        const events = someEvents(2);
        const original = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, someEvents(3), { expectedRevision: 1n });

        const retries = [
          await store.appendToStream(stream, events, { expectedRevision: 'no_stream' }),
          await store.appendToStream(stream, events, { expectedRevision: 'any' }),
          await store.appendToStream(stream, events, { expectedRevision: 1n }),
        ];

        expect(retries).toEqual([original, original, original]);
        expect(await store.readStream(stream)).toHaveLength(5);
      });

      it('refuses a batch that only partly overlaps a stored append, storing none of it', async () => {
        const stream = `${prefix}case-1`;
        const stored = someEvents(2);
        await store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });
        const fresh = anEvent();

        const error = await rejectionOf(store.appendToStream(stream, [stored[1], fresh], { expectedRevision: 'any' }));

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: stored[1].id, streamId: stream });
        expect(ids(await store.readStream(stream))).toEqual(ids(stored));
      });

      it('refuses stored ids submitted in another order', async () => {
        const stream = `${prefix}case-1`;
        const stored = someEvents(2);
        await store.appendToStream(stream, stored, { expectedRevision: 'no_stream' });

        const error = await rejectionOf(store.appendToStream(stream, [stored[1], stored[0]], { expectedRevision: 'any' }));

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      const acrossStreams = options.detectsEventIdsReusedInOtherStreams === false ? it.skip : it;
      acrossStreams('refuses an id already stored in another stream', async () => {
        const event = anEvent();
        await store.appendToStream(`${prefix}case-1`, [event], { expectedRevision: 'no_stream' });

        const error = await rejectionOf(store.appendToStream(`${prefix}case-2`, [event], { expectedRevision: 'no_stream' }));

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId: event.id, streamId: `${prefix}case-2` });
        expect(await store.readStream(`${prefix}case-2`)).toEqual([]);
      });

      it.each<[string, ExpectedRevision]>([
        ['no_stream', 'no_stream'],
        ['an exact revision', 0n],
        ['any', 'any'],
      ])('answers 5 concurrent identical appends expecting %s all the same, storing the events once', async (_, expected) => {
        const stream = `${prefix}case-1`;
        if (expected !== 'no_stream') await store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' });
        const events = someEvents(3, 'DecisionIssued');

        const results = await Promise.all(Array.from({ length: 5 }, () => store.appendToStream(stream, events, { expectedRevision: expected })));

        const stored = await store.readStream(stream);
        const distinct = new Set(results.map((result: AppendResult) => `${result.nextExpectedRevision}@${result.position.commit}:${result.position.prepare}`));
        expect(distinct.size).toBe(1);
        expect(results[0].nextExpectedRevision).toBe(stored[stored.length - 1].revision);
        expect(results[0].position).toEqual(stored[stored.length - 1].position);
        expect(ids(stored).filter((id) => ids(events).includes(id))).toEqual(ids(events));
      });
    });

    describe('appendToStreams', () => {
      it('appends to several streams at once, each checked against its own expected revision, answering per stream', async () => {
        const [one, two, three] = [`${prefix}case-1`, `${prefix}case-2`, `${prefix}case-3`];
        await store.appendToStream(two, someEvents(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(three, someEvents(1), { expectedRevision: 'no_stream' });
        const parts = [
          { streamId: one, events: someEvents(3), expectedRevision: 'no_stream' as const },
          { streamId: two, events: someEvents(1), expectedRevision: 1n },
          { streamId: three, events: someEvents(2), expectedRevision: 'stream_exists' as const },
        ];

        const results = await store.appendToStreams(parts);

        expect(results.map((result) => result.nextExpectedRevision)).toEqual([2n, 2n, 2n]);
        for (const [i, part] of parts.entries()) {
          const read = await store.readStream(part.streamId);
          const appended = read.slice(read.length - part.events.length);
          expect(ids(appended)).toEqual(ids(part.events));
          expect(results[i].positions).toEqual(appended.map((event) => event.position));
          expect(results[i].position).toEqual(appended[appended.length - 1].position);
        }
      });

      it('any creates a stream or appends to it', async () => {
        await store.appendToStream(`${prefix}case-1`, someEvents(1), { expectedRevision: 'no_stream' });

        const results = await store.appendToStreams([
          { streamId: `${prefix}case-1`, events: someEvents(1), expectedRevision: 'any' },
          { streamId: `${prefix}case-2`, events: someEvents(1), expectedRevision: 'any' },
        ]);

        expect(results.map((result) => result.nextExpectedRevision)).toEqual([1n, 0n]);
      });

      it('writes nothing when one stream\'s expectation fails, and names that stream with its actual revision', async () => {
        const [fresh, moved] = [`${prefix}case-1`, `${prefix}case-2`];
        await store.appendToStream(moved, someEvents(2), { expectedRevision: 'no_stream' });

        const error = await rejectionOf(
          store.appendToStreams([
            { streamId: fresh, events: someEvents(2), expectedRevision: 'no_stream' },
            { streamId: moved, events: someEvents(1), expectedRevision: 0n },
          ]),
        );

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: moved, expected: 0n, actual: 1n });
        expect(await store.readStream(fresh)).toEqual([]);
        expect(await store.readStream(moved)).toHaveLength(2);
        // The failed call claimed nothing: the fresh stream can still be created.
        await expect(store.appendToStream(fresh, someEvents(1), { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
      });

      it('answers a retried call with the original results and stores nothing twice', async () => {
        const parts = [
          { streamId: `${prefix}case-1`, events: someEvents(2), expectedRevision: 'no_stream' as const },
          { streamId: `${prefix}case-2`, events: someEvents(1), expectedRevision: 'no_stream' as const },
        ];
        const original = await store.appendToStreams(parts);

        const retry = await store.appendToStreams(parts);

        expect(retry).toEqual(original);
        expect(await store.readStream(`${prefix}case-1`)).toHaveLength(2);
        expect(await store.readStream(`${prefix}case-2`)).toHaveLength(1);
      });

      it('refuses a stream given twice, an id given twice across streams, and an empty call, storing nothing', async () => {
        const shared = anEvent();
        const attempts = [
          store.appendToStreams([]),
          store.appendToStreams([
            { streamId: `${prefix}case-1`, events: someEvents(1), expectedRevision: 'any' },
            { streamId: `${prefix}case-1`, events: someEvents(1), expectedRevision: 'any' },
          ]),
          store.appendToStreams([
            { streamId: `${prefix}case-1`, events: [shared], expectedRevision: 'any' },
            { streamId: `${prefix}case-2`, events: [{ ...shared, id: shared.id.toUpperCase() }], expectedRevision: 'any' },
          ]),
          store.appendToStreams([{ streamId: `${prefix}case-1`, events: [], expectedRevision: 'any' }]),
        ];

        for (const attempt of attempts) expect(await rejectionOf(attempt)).toBeInstanceOf(TypeError);
        expect(await store.readStream(`${prefix}case-1`)).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('returns the events of all streams in global order', async () => {
        const a = someEvents(2);
        const b = someEvents(1);
        const c = someEvents(2);
        await store.appendToStream(`${prefix}case-a`, a, { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}case-b`, b, { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}case-a`, c, { expectedRevision: 1n });

        const all = await readAllOf(store, prefix, 5);

        expect(ids(all)).toEqual(ids([...a, ...b, ...c]));
        expect(all.map((event) => event.streamId)).toEqual([`${prefix}case-a`, `${prefix}case-a`, `${prefix}case-b`, `${prefix}case-a`, `${prefix}case-a`]);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1].position, all[i].position)).toBe(-1);
      });

      it('returns only events strictly after the given position, at most maxCount', async () => {
        const events = someEvents(5);
        await store.appendToStream(`${prefix}case-1`, events, { expectedRevision: 'no_stream' });
        const all = await readAllOf(store, prefix, 5);

        const page = await store.readAll({ after: all[1].position, maxCount: 2, streamPrefixes: [prefix] });
        const rest = await store.readAll({ after: page[1].position, streamPrefixes: [prefix] });

        expect(ids(page)).toEqual(ids(events.slice(2, 4)));
        expect(ids(rest)).toEqual(ids(events.slice(4)));
      });

      it('filters by stream prefix, taking LIKE wildcards in a prefix literally', async () => {
        const wanted = anEvent();
        const unwanted = anEvent();
        const other = anEvent();
        await store.appendToStream(`${prefix}case_1-x`, [wanted], { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}caseX1-x`, [unwanted], { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}refusal-1`, [other], { expectedRevision: 'no_stream' });
        await readAllOf(store, prefix, 3);

        const filtered = await store.readAll({ streamPrefixes: [`${prefix}case_`, `${prefix}refusal-`] });
        const percent = await store.readAll({ streamPrefixes: [`${prefix}%`] });

        expect(ids(filtered)).toEqual([wanted.id, other.id]);
        expect(percent).toEqual([]);
      });
    });

    describe('subscribeToAll', () => {
      it('delivers existing events, then new ones, in order and one at a time', async () => {
        const existing = someEvents(3);
        const later = someEvents(2, 'InReview');
        await store.appendToStream(`${prefix}case-1`, existing, { expectedRevision: 'no_stream' });
        const delivered: RecordedEvent[] = [];
        let running = 0;
        let overlapped = false;
        const subscription = store.subscribeToAll(
          async (event) => {
            running += 1;
            overlapped ||= running > 1;
            await new Promise((resolve) => setTimeout(resolve, 5));
            delivered.push(event);
            running -= 1;
          },
          { streamPrefixes: [prefix] },
        );
        try {
          await eventually(() => delivered, (list) => list.length >= 3);
          await store.appendToStream(`${prefix}case-2`, later, { expectedRevision: 'no_stream' });
          await eventually(() => delivered, (list) => list.length >= 5);
        } finally {
          await subscription.stop();
        }

        expect(ids(delivered)).toEqual(ids([...existing, ...later]));
        expect(overlapped).toBe(false);
      });

      it('resumes from a checkpoint with exactly the remaining events', async () => {
        const first = someEvents(5);
        await store.appendToStream(`${prefix}case-1`, first, { expectedRevision: 'no_stream' });
        const firstRun: RecordedEvent[] = [];
        const subscription: Subscription = store.subscribeToAll(
          async (event) => {
            firstRun.push(event);
            // Stop from inside the handler (without waiting): delivery must end right after this event.
            if (firstRun.length === 2) void subscription.stop();
          },
          { streamPrefixes: [prefix] },
        );
        await subscription.closed;
        const checkpoint = firstRun[firstRun.length - 1].position;
        const second = someEvents(2);
        await store.appendToStream(`${prefix}case-2`, second, { expectedRevision: 'no_stream' });

        const resumed = collect(store, { after: checkpoint, streamPrefixes: [prefix] });
        await resumed.received(5);
        // Long enough for a wrongly re-delivered or extra event to show up.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await resumed.subscription.stop();

        expect(ids(firstRun)).toEqual(ids(first.slice(0, 2)));
        expect(ids(resumed.events)).toEqual(ids([...first.slice(2), ...second]));
      });

      it('delivers only streams matching the prefix filter', async () => {
        const wanted = someEvents(2);
        await store.appendToStream(`${prefix}other-1`, someEvents(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}case-1`, wanted, { expectedRevision: 'no_stream' });
        await store.appendToStream(`${prefix}other-2`, someEvents(1), { expectedRevision: 'no_stream' });
        await readAllOf(store, prefix, 5);

        const collector = collect(store, { streamPrefixes: [`${prefix}case-`] });
        await collector.received(2);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await collector.subscription.stop();

        expect(ids(collector.events)).toEqual(ids(wanted));
      });

      it('closes with the handler error and delivers nothing after it', async () => {
        await store.appendToStream(`${prefix}case-1`, someEvents(3), { expectedRevision: 'no_stream' });
        const failure = new Error('projection failed');
        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll(
          async (event) => {
            seen.push(event);
            if (seen.length === 2) throw failure;
          },
          { streamPrefixes: [prefix] },
        );

        const error = await rejectionOf(subscription.closed);
        await store.appendToStream(`${prefix}case-1`, someEvents(1), { expectedRevision: 2n });
        await new Promise((resolve) => setTimeout(resolve, 300));

        expect(error).toBe(failure);
        expect(seen).toHaveLength(2);
        await expect(subscription.stop()).resolves.toBeUndefined();
      });

      it('stop() ends delivery and resolves closed', async () => {
        const collector = collect(store, { streamPrefixes: [prefix] });

        await collector.subscription.stop();
        await store.appendToStream(`${prefix}case-1`, someEvents(1), { expectedRevision: 'no_stream' });
        await new Promise((resolve) => setTimeout(resolve, 300));

        await expect(collector.subscription.closed).resolves.toBeUndefined();
        expect(collector.events).toEqual([]);
      });
    });
  });
}
