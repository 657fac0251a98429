/**
 * The adapter's own translation logic, against a stub of the client (no server involved;
 * the real server is exercised by the contract in eventstoredb-event-store.int-spec.ts when
 * EVENTSTORE_URL is set). These are the parts the contract cannot reach here.
 */
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { type AllStreamResolvedEvent, type EventStoreDBClient, StreamNotFoundError, WrongExpectedVersionError } from '@eventstore/db-client';
import { GlobalPosition, RecordedEvent, WrongExpectedRevisionError } from '../event-store.port';
import { rejectionOf } from '../../testing';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

function recorded(streamId: string, revision: bigint, position: GlobalPosition, type = 'CaseReceived'): AllStreamResolvedEvent {
  return {
    event: { streamId, id: randomUUID(), isJson: true, revision, type, created: new Date(0), data: { revision: Number(revision) }, metadata: undefined, position },
  };
}

function streamingRead(items: AllStreamResolvedEvent[] | (() => AsyncGenerator<AllStreamResolvedEvent>)) {
  const readable = Array.isArray(items) ? Readable.from(items) : Readable.from(items());
  return Object.assign(readable, { cancel: async () => undefined, unsubscribe: async () => undefined });
}

function storeWith(client: Partial<Record<keyof EventStoreDBClient, unknown>>): EventStoreDbEventStore {
  return new EventStoreDbEventStore(client as unknown as EventStoreDBClient);
}

const event = () => ({ id: randomUUID(), type: 'CaseReceived', data: { form: 'I-130' } });

describe('EventStoreDbEventStore (stubbed client)', () => {
  it.each([
    ['no_stream', 'no_stream'],
    ['stream_exists', 'stream_exists'],
    ['any', 'any'],
    [7n, 7n],
  ] as const)('passes expected revision %s to the server as %s, with metadata defaulting to {}', async (expected, sent) => {
    const appendToStream = jest.fn(async () => ({ success: true, nextExpectedRevision: 8n, position: { commit: 5n, prepare: 5n } }));
    const store = storeWith({ appendToStream, readStream: () => streamingRead([]) });
    const submitted = event();

    const result = await store.appendToStream('case-1', [submitted], { expectedRevision: expected });

    expect(result).toEqual({ nextExpectedRevision: 8n, position: { commit: 5n, prepare: 5n }, positions: [{ commit: 5n, prepare: 5n }] });
    expect(appendToStream).toHaveBeenCalledWith(
      'case-1',
      [expect.objectContaining({ id: submitted.id, type: 'CaseReceived', data: { form: 'I-130' }, metadata: {}, contentType: 'application/json' })],
      { expectedRevision: sent },
    );
  });

  it('translates WrongExpectedVersionError into WrongExpectedRevisionError with the actual revision', async () => {
    const store = storeWith({
      appendToStream: async () => {
        throw new WrongExpectedVersionError(undefined, { streamName: 'case-1', expected: 0n, current: 3n });
      },
      readStream: () => streamingRead([]),
    });

    const error = await rejectionOf(store.appendToStream('case-1', [event()], { expectedRevision: 0n }));

    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'case-1', expected: 0n, actual: 3n });
  });

  it('answers a retry from the events already in the stream, without writing', async () => {
    const stored = recorded('case-1', 4n, { commit: 9n, prepare: 9n });
    const appendToStream = jest.fn();
    const store = storeWith({ appendToStream, readStream: () => streamingRead([stored]) });
    const retried = { id: stored.event?.id ?? '', type: 'CaseReceived', data: {} };

    const result = await store.appendToStream('case-1', [retried], { expectedRevision: 'any' });

    expect(result).toEqual({ nextExpectedRevision: 4n, position: { commit: 9n, prepare: 9n }, positions: [{ commit: 9n, prepare: 9n }] });
    expect(appendToStream).not.toHaveBeenCalled();
  });

  it('appendToStreams checks every stream before writing: a conflict on the second stream writes nothing', async () => {
    const appendToStream = jest.fn();
    const readStream = jest.fn((streamId: string) => streamingRead(streamId === 'case-2' ? [recorded('case-2', 0n, { commit: 3n, prepare: 3n })] : []));
    const store = storeWith({ appendToStream, readStream });

    const error = await rejectionOf(
      store.appendToStreams([
        { streamId: 'case-1', events: [event()], expectedRevision: 'no_stream' },
        { streamId: 'case-2', events: [event()], expectedRevision: 'no_stream' },
      ]),
    );

    expect(error).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: 'case-2', actual: 0n });
    expect(appendToStream).not.toHaveBeenCalled();
  });

  it('appendToStreams appends the streams one after the other, in the order given', async () => {
    const appendToStream = jest.fn(async (streamId: string) => ({ success: true, nextExpectedRevision: 0n, position: { commit: streamId === 'case-1' ? 1n : 2n, prepare: 0n } }));
    const store = storeWith({ appendToStream, readStream: () => streamingRead([]) });

    const results = await store.appendToStreams([
      { streamId: 'case-1', events: [event()], expectedRevision: 'no_stream' },
      { streamId: 'case-2', events: [event()], expectedRevision: 'no_stream' },
    ]);

    expect(appendToStream.mock.calls.map(([streamId]) => streamId)).toEqual(['case-1', 'case-2']);
    expect(results.map((result) => result.position.commit)).toEqual([1n, 2n]);
  });

  it('reads a stream the server does not know as empty', async () => {
    const store = storeWith({
      readStream: () =>
        streamingRead(async function* () {
          // The client raises this while iterating, before any event.
          const missing: AllStreamResolvedEvent[] = [];
          yield* missing;
          throw new StreamNotFoundError(undefined, 'case-1');
        }),
    });

    await expect(store.readStream('case-1')).resolves.toEqual([]);
  });

  it('reads $all without system events, without the event at `after`, by prefix and up to maxCount', async () => {
    const after = { commit: 10n, prepare: 10n };
    const readAll = jest.fn(() =>
      streamingRead([
        recorded('case-1', 0n, after), // fromPosition is inclusive on the server
        recorded('$stats-127.0.0.1:2113', 0n, { commit: 11n, prepare: 11n }),
        recorded('case-1', 1n, { commit: 12n, prepare: 12n }, '$metadata'),
        recorded('refusal-1', 0n, { commit: 13n, prepare: 13n }),
        recorded('case-2', 0n, { commit: 14n, prepare: 14n }),
        recorded('case-3', 0n, { commit: 15n, prepare: 15n }),
        recorded('case-4', 0n, { commit: 16n, prepare: 16n }),
      ]),
    );
    const store = storeWith({ readAll });

    const events = await store.readAll({ after, maxCount: 2, streamPrefixes: ['case-'] });

    expect(events.map((e) => e.streamId)).toEqual(['case-2', 'case-3']);
    expect(events[0]).toMatchObject({ revision: 0n, position: { commit: 14n, prepare: 14n }, metadata: {}, data: { revision: 0 } });
    expect(readAll).toHaveBeenCalledWith(expect.objectContaining({ fromPosition: after }));
  });

  it('subscribes from the checkpoint exclusively and closes with the handler error', async () => {
    const after = { commit: 20n, prepare: 20n };
    const subscribeToAll = jest.fn(() =>
      streamingRead([recorded('case-1', 0n, after), recorded('case-1', 1n, { commit: 21n, prepare: 21n }), recorded('case-1', 2n, { commit: 22n, prepare: 22n })]),
    );
    const store = storeWith({ subscribeToAll });
    const failure = new Error('projection failed');
    const seen: RecordedEvent[] = [];

    const subscription = store.subscribeToAll(
      async (e) => {
        seen.push(e);
        throw failure;
      },
      { after, streamPrefixes: ['case-'] },
    );

    expect(await rejectionOf(subscription.closed)).toBe(failure);
    expect(seen.map((e) => e.revision)).toEqual([1n]);
    expect(subscribeToAll).toHaveBeenCalledWith(expect.objectContaining({ fromPosition: after, filter: expect.objectContaining({ prefixes: ['case-'] }) }));
  });
});
