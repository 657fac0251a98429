import {
  ANY,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type ResolvedEvent,
  START as ESDB_START,
  STREAM_EXISTS,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  AppendResult,
  comparePositions,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  GlobalPosition,
  JsonObject,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  StreamAppend,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { assertValidAppend, assertValidAppends, expectationHolds, resolveRetry } from '../append-validation';

type EsdbRecordedEvent = NonNullable<ResolvedEvent['event']>;

/**
 * The production adapter. EventStoreDB already orders `$all` by commit and enforces expected
 * revisions; what this class adds is the port's idempotency rule, which the server only keeps
 * on a best-effort basis for `any`, and the translation of its errors.
 *
 * Limitation: event ids are checked for duplicates within the target stream only.
 * EventStoreDB has no index by event id, so an id already stored in another stream is not
 * detected (the PostgreSQL adapter detects it).
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly ownsClient: boolean;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  /** A client to use (not disposed on close), or a connection string such as `esdb://localhost:2113?tls=false`. */
  constructor(connection: EventStoreDBClient | string) {
    this.ownsClient = typeof connection === 'string';
    this.client = typeof connection === 'string' ? EventStoreDBClient.connectionString(connection) : connection;
  }

  async appendToStream(streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    assertValidAppend(streamId, events, options.expectedRevision);
    const earlier = await this.findEarlierAppend(streamId, events);
    if (earlier) return earlier;
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) => jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata ?? {} })),
        { expectedRevision: toEsdbExpected(options.expectedRevision) },
      );
      if (!result.position) throw new Error(`append to ${streamId}: the server returned no position (EventStoreDB 20.6 or later is required)`);
      // The server answers the last event's position only; the others are read back.
      const positions =
        events.length === 1
          ? [result.position]
          : (await this.readStream(streamId, { fromRevision: result.nextExpectedRevision - BigInt(events.length) + 1n, maxCount: events.length })).map((e) => e.position);
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position, positions };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        // A concurrent identical retry may have won; it gets the same answer as the winner.
        const winner = await this.findEarlierAppend(streamId, events);
        if (winner) return winner;
        throw new WrongExpectedRevisionError(streamId, options.expectedRevision, error.actualVersion);
      }
      throw error;
    }
  }

  /**
   * Not atomic here: @eventstore/db-client has no multi-stream append (KurrentDB 25.1 has one,
   * `multiStreamAppend` in @kurrent/kurrentdb-client), so the streams are appended one after
   * the other, in the order given. Every stream is read first: a part already stored as given
   * is answered as stored, and every other part's expectation is checked before anything is
   * written, so a conflict known at the start writes nothing. One that arises while appending
   * (a concurrent writer) stops there with WrongExpectedRevisionError, the parts before it
   * appended; retrying the whole call then appends the rest and answers the stored parts as
   * stored (where the PostgreSQL adapter, which never stores part of a call, would refuse a
   * call only partly stored with DuplicateEventIdError).
   */
  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    assertValidAppends(appends);
    const earlier: (AppendResult | undefined)[] = [];
    for (const { streamId, events, expectedRevision } of appends) {
      const recorded = await this.readStream(streamId);
      const stored = findEarlierIn(recorded, streamId, events);
      const last = recorded[recorded.length - 1]?.revision;
      if (!stored && !expectationHolds(expectedRevision, last)) throw new WrongExpectedRevisionError(streamId, expectedRevision, last ?? 'no_stream');
      earlier.push(stored);
    }
    const results: AppendResult[] = [];
    for (const [i, { streamId, events, expectedRevision }] of appends.entries()) {
      results.push(earlier[i] ?? (await this.appendToStream(streamId, events, { expectedRevision })));
    }
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    if (options.maxCount === 0) return [];
    const read = this.client.readStream(streamId, {
      direction: backwards ? BACKWARDS : FORWARDS,
      fromRevision: options.fromRevision ?? (backwards ? END : ESDB_START),
      maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /** One read per stream, all at once: the server has no read of several streams. */
  async readStreams(streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
    const read = await Promise.all(streamIds.map(async (streamId): Promise<[string, RecordedEvent[]]> => [streamId, await this.readStream(streamId)]));
    return new Map(read);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const prefixes = options.streamPrefixes;
    if (prefixes?.length === 0) throw new TypeError('streamPrefixes must not be empty; leave it out to read every stream');
    const events: RecordedEvent[] = [];
    if (maxCount === 0) return events;
    // The server cannot filter a plain read and counts skipped system events against
    // maxCount, so read unbounded and stop once enough user events are collected.
    const read = this.client.readAll({ direction: FORWARDS, fromPosition: toEsdbPosition(after) });
    try {
      for await (const resolved of read) {
        const event = userEventAfter(resolved, after, prefixes);
        if (!event) continue;
        events.push(event);
        if (events.length >= maxCount) break;
      }
    } finally {
      await read.cancel().catch(() => undefined);
    }
    return events;
  }

  subscribeToAll(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    const prefixes = options.streamPrefixes;
    if (prefixes?.length === 0) throw new TypeError('streamPrefixes must not be empty; leave it out to read every stream');
    const after = options.after ?? START;
    const source = this.client.subscribeToAll({
      fromPosition: toEsdbPosition(after),
      filter: prefixes ? streamNameFilter({ prefixes }) : excludeSystemEvents(),
    });
    const subscription = new EventStoreDbSubscription(source, handler, after, prefixes);
    this.subscriptions.add(subscription);
    const forget = () => this.subscriptions.delete(subscription);
    subscription.closed.then(forget, forget);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    if (this.ownsClient) await this.client.dispose();
  }

  /** Case streams are short, so reading the target stream is a cheap way to recognise a retry. */
  private async findEarlierAppend(streamId: string, events: EventToAppend[]): Promise<AppendResult | undefined> {
    return findEarlierIn(await this.readStream(streamId), streamId, events);
  }
}

function findEarlierIn(recorded: RecordedEvent[], streamId: string, events: EventToAppend[]): AppendResult | undefined {
  const wanted = new Set(events.map((event) => event.id.toLowerCase()));
  return resolveRetry(streamId, events, recorded.filter((event) => wanted.has(event.id.toLowerCase())));
}

class EventStoreDbSubscription implements Subscription {
  readonly closed: Promise<void>;
  private stopped = false;

  constructor(
    private readonly source: ReturnType<EventStoreDBClient['subscribeToAll']>,
    private readonly handler: EventHandler,
    private readonly after: GlobalPosition,
    private readonly prefixes: string[] | undefined,
  ) {
    this.closed = this.run();
    this.closed.catch(() => undefined);
  }

  /** Do not await this from inside the handler: it waits for the handler to return. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.source.unsubscribe().catch(() => undefined);
    await this.closed.catch(() => undefined);
  }

  private async run(): Promise<void> {
    let after = this.after;
    try {
      for await (const resolved of this.source) {
        if (this.stopped) return;
        // Whether fromPosition is inclusive has differed between server versions; the
        // comparison makes the checkpoint exclusive either way.
        const event = userEventAfter(resolved, after, this.prefixes);
        if (!event) continue;
        await this.handler(event);
        after = event.position;
      }
    } catch (error) {
      // Unsubscribing cancels the gRPC call, which surfaces here as an error.
      if (this.stopped) return;
      throw error;
    } finally {
      await this.source.unsubscribe().catch(() => undefined);
    }
  }
}

function userEventAfter(resolved: AllStreamResolvedEvent, after: GlobalPosition, prefixes: string[] | undefined): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) return undefined;
  if (comparePositions(event.position, after) <= 0) return undefined;
  if (prefixes && !prefixes.some((prefix) => event.streamId.startsWith(prefix))) return undefined;
  return toRecordedEvent(event);
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      return expected;
  }
}

function toEsdbPosition(position: GlobalPosition): typeof ESDB_START | GlobalPosition {
  return comparePositions(position, START) === 0 ? ESDB_START : { commit: position.commit, prepare: position.prepare };
}

function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  if (!event.position) {
    throw new Error(`event ${event.id} in ${event.streamId} has no position (EventStoreDB 22.6 or later is required)`);
  }
  if (!event.isJson || !isJsonObject(event.data)) {
    throw new TypeError(`event ${event.id} in ${event.streamId} is not a JSON object; this store only writes JSON objects`);
  }
  return {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    position: { commit: event.position.commit, prepare: event.position.prepare },
    type: event.type,
    data: event.data,
    metadata: isJsonObject(event.metadata) ? event.metadata : {},
    recordedAt: event.created,
  };
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}
