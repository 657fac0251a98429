import { Pool, type PoolClient } from 'pg';
import {
  AppendResult,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  GlobalPosition,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  StreamAppend,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { assertValidAppend, assertValidAppends, resolveRetries } from '../append-validation';
import { silentLogger, type Logger } from '@case-status/logging';
import { guardPool, inTransaction } from '@case-status/postgres-support';
import { migrate } from './migrations';
import { PostgresSubscription } from './postgres-subscription';
import { assertSchemaName, channelFor, EVENT_COLUMNS, EventRow, likePrefix, quoteIdent, toRecordedEvent } from './sql';

export interface PostgresEventStoreOptions {
  /** All tables live in this schema. Default `event_store`. */
  schema?: string;
  /**
   * How often an idle subscription re-reads even without a notification. NOTIFY only says
   * "something was appended"; when an unrelated transaction held the snapshot's xmin back
   * at that moment, the events become readable later without any new notification.
   */
  pollIntervalMs?: number;
  /** Where subscriptions say, once per outage, that the database cannot be reached and when it is back. Default silent. */
  logger?: Logger;
}

export interface CreatePostgresEventStoreOptions extends PostgresEventStoreOptions {
  /** A pool to use (the store will not end it), or a connection string (the store ends its own pool on close). */
  connection: Pool | string;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

const UNIQUE_VIOLATION = '23505';

export class PostgresEventStore implements EventStore {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly pollIntervalMs: number;
  private readonly logger: Logger;
  private readonly subscriptions = new Set<PostgresSubscription>();

  constructor(connection: Pool | string, options: PostgresEventStoreOptions = {}) {
    this.schema = options.schema ?? 'event_store';
    assertSchemaName(this.schema);
    this.ownsPool = typeof connection === 'string';
    // A restart of the database drops every idle connection of the pool at once: that must cost
    // the next query a reconnect, never the process.
    this.pool = guardPool(typeof connection === 'string' ? new Pool({ connectionString: connection }) : connection, (error) =>
      this.logger.warn(`event store: a database connection dropped (${error.message})`),
    );
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.logger = options.logger ?? silentLogger;
  }

  /** The channel every append NOTIFYs at commit, for readers that want to wake up on it. */
  get appendChannel(): string {
    return channelFor(this.schema);
  }

  /** Brings the schema up to date; safe to call from several processes at once. Returns the versions applied. */
  migrate(): Promise<number[]> {
    return migrate(this.pool, this.schema);
  }

  async appendToStream(streamId: string, events: EventToAppend[], options: { expectedRevision: ExpectedRevision }): Promise<AppendResult> {
    assertValidAppend(streamId, events, options.expectedRevision);
    const [result] = await this.append([{ streamId, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    assertValidAppends(appends);
    return this.append(appends);
  }

  /**
   * One stream's append is one statement, atomic on its own, so it runs without BEGIN and
   * COMMIT: one round trip. Several streams' run in one transaction (a conflict on one stream
   * must undo the others' claims): three.
   */
  private async append(appends: StreamAppend[]): Promise<AppendResult[]> {
    try {
      if (appends.length === 1) return await appendWithin(this.pool, this.schema, appends);
      return await inTransaction(this.pool, (client) => appendWithin(client, this.schema, appends));
    } catch (error) {
      // A retry of an append already stored cannot be written again: its revisions are taken
      // (a conflict) or its ids are (a unique violation). Only then is it worth looking the
      // ids up, so the common append costs no lookup; the retry, or a concurrent identical
      // one that won the race, gets the answer the original got. (The append's client is
      // back in the pool by now: holding it while asking the pool for another would deadlock
      // once every client did the same.)
      if (error instanceof WrongExpectedRevisionError || isUniqueViolation(error, 'events_event_id_unique')) {
        const winner = await findEarlierAppends(this.pool, this.schema, appends);
        if (winner) return winner;
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [streamId];
    let bound = '';
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision.toString());
      bound = `AND stream_revision ${backwards ? '<=' : '>='} $2::bigint`;
    }
    const limit = limitClause(options.maxCount);
    const { rows } = await this.pool.query<EventRow>({
      text: `SELECT ${EVENT_COLUMNS} FROM ${quoteIdent(this.schema)}.events
       WHERE stream_id = $1 ${bound}
       ORDER BY events.stream_revision ${backwards ? 'DESC' : 'ASC'}
       ${limit}`,
      values: params,
    });
    return rows.map(toRecordedEvent);
  }

  async readStreams(streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
    const streams = new Map(streamIds.map((streamId): [string, RecordedEvent[]] => [streamId, []]));
    if (streamIds.length === 0) return streams;
    const { rows } = await this.pool.query<EventRow>({
      text: `SELECT ${EVENT_COLUMNS} FROM ${quoteIdent(this.schema)}.events WHERE stream_id = ANY ($1::text[]) ORDER BY events.stream_id, events.stream_revision`,
      values: [streamIds],
    });
    for (const row of rows) streams.get(row.stream_id)?.push(toRecordedEvent(row));
    return streams;
  }

  /**
   * Only events of transactions below the snapshot's xmin: those have finished, so no
   * position at or before the last one returned can still be filled in (docs/adr/0002).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? START;
    const params: unknown[] = [after.commit.toString(), after.prepare.toString()];
    let filter = '';
    if (options.streamPrefixes !== undefined) {
      assertPrefixes(options.streamPrefixes);
      params.push(options.streamPrefixes.map(likePrefix));
      filter = 'AND stream_id LIKE ANY ($3::text[])';
    }
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${quoteIdent(this.schema)}.events
       WHERE (transaction_id, seq) > ($1::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
         ${filter}
       ORDER BY events.transaction_id, events.seq
       ${limitClause(options.maxCount)}`,
      params,
    );
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    if (options.streamPrefixes !== undefined) assertPrefixes(options.streamPrefixes);
    const subscription = new PostgresSubscription({
      pool: this.pool,
      channel: channelFor(this.schema),
      pollIntervalMs: this.pollIntervalMs,
      read: (after, maxCount) => this.readAll({ after, maxCount, streamPrefixes: options.streamPrefixes }),
      handler,
      after: options.after ?? START,
      logger: this.logger,
    });
    this.subscriptions.add(subscription);
    const forget = () => this.subscriptions.delete(subscription);
    subscription.closed.then(forget, forget);
    return subscription;
  }

  /** Stops this store's subscriptions; ends the pool only if the store created it. */
  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }
}

/** Migrates the schema, then returns a store ready to use. */
export async function createPostgresEventStore(options: CreatePostgresEventStoreOptions): Promise<PostgresEventStore> {
  const store = new PostgresEventStore(options.connection, options);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/**
 * The append itself, as one statement: claim every stream's revisions (the stream row is the
 * lock: two writers to one stream queue on it, and under READ COMMITTED the second re-checks
 * its expectation against the committed revision and finds it broken), insert every event in
 * one multi-row insert, but only if every stream was claimed, and NOTIFY (delivered at commit,
 * never for a rolled-back append). Run on its own it is atomic for one stream; for several the
 * caller wraps it in a transaction, as a conflict leaves the other streams' claims made (the
 * caller's rollback undoes them). Exported for tests that need to hold an append's
 * transaction open.
 */
export async function appendWithin(db: Queryable, schema: string, appends: StreamAppend[]): Promise<AppendResult[]> {
  const s = quoteIdent(schema);
  const events = appends.flatMap(({ streamId, events }) => events.map((event, offset) => ({ streamId, offset, event })));
  const { rows } = await db.query<{ stream_id: string; stream_revision: string; transaction_id: string; seq: string | null }>({
    text: `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[]) AS i(stream_id, n, mode, expected)
     ), created AS (
       INSERT INTO ${s}.streams (stream_id, revision) SELECT stream_id, n - 1 FROM input WHERE mode = 'no_stream'
       ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id, revision
     ), anyhow AS (
       INSERT INTO ${s}.streams AS current (stream_id, revision) SELECT stream_id, n - 1 FROM input WHERE mode = 'any'
       ON CONFLICT (stream_id) DO UPDATE SET revision = current.revision + excluded.revision + 1 RETURNING stream_id, revision
     ), moved AS (
       UPDATE ${s}.streams AS current SET revision = current.revision + input.n FROM input
       WHERE current.stream_id = input.stream_id AND (input.mode = 'stream_exists' OR (input.mode = 'revision' AND current.revision = input.expected))
       RETURNING current.stream_id, current.revision
     ), claimed AS (
       SELECT * FROM created UNION ALL SELECT * FROM anyhow UNION ALL SELECT * FROM moved
     ), inserted AS (
       INSERT INTO ${s}.events (event_id, stream_id, stream_revision, type, data, metadata)
       SELECT e.id, e.stream_id, claimed.revision - input.n + 1 + e.k, e.type, e.data, e.metadata
       FROM unnest($5::uuid[], $6::text[], $7::bigint[], $8::text[], $9::jsonb[], $10::jsonb[]) WITH ORDINALITY AS e(id, stream_id, k, type, data, metadata, ord)
       JOIN claimed USING (stream_id) JOIN input USING (stream_id)
       WHERE (SELECT count(*) FROM claimed) = cardinality($1::text[])
       ORDER BY e.ord
       RETURNING stream_id, stream_revision, transaction_id, seq
     ), notified AS (
       SELECT pg_notify($11, $1[1])
     )
     SELECT stream_id, stream_revision::text, transaction_id::text, seq::text, (SELECT count(*) FROM notified) AS notified FROM inserted
     UNION ALL SELECT stream_id, NULL, NULL, NULL, 0 FROM claimed WHERE NOT EXISTS (SELECT FROM inserted)`,
    values: [
      appends.map((a) => a.streamId),
      appends.map((a) => a.events.length),
      appends.map((a) => (typeof a.expectedRevision === 'bigint' ? 'revision' : a.expectedRevision)),
      appends.map((a) => (typeof a.expectedRevision === 'bigint' ? a.expectedRevision.toString() : null)),
      events.map((e) => e.event.id),
      events.map((e) => e.streamId),
      events.map((e) => e.offset),
      events.map((e) => e.event.type),
      events.map((e) => JSON.stringify(e.event.data)),
      events.map((e) => JSON.stringify(e.event.metadata ?? {})),
      channelFor(schema),
    ],
  });
  if (rows.length === 0 || rows[0].seq === null) {
    // Nothing inserted: the rows are the streams that were claimed; the first other one failed.
    const claimed = new Set(rows.map((row) => row.stream_id));
    const failed = appends.find((a) => !claimed.has(a.streamId)) ?? appends[0];
    throw new WrongExpectedRevisionError(failed.streamId, failed.expectedRevision, await currentRevision(db, s, failed.streamId));
  }
  const byStream = new Map<string, { revision: bigint; position: GlobalPosition }[]>();
  for (const row of rows) {
    const stored = byStream.get(row.stream_id) ?? [];
    stored.push({ revision: BigInt(row.stream_revision), position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.seq as string) } });
    byStream.set(row.stream_id, stored);
  }
  return appends.map(({ streamId, events: appended }) => {
    const stored = byStream.get(streamId);
    if (stored?.length !== appended.length) throw new Error(`append to ${streamId}: the insert returned ${stored?.length ?? 0} of ${appended.length} events`);
    const last = stored[stored.length - 1];
    return { nextExpectedRevision: last.revision, position: last.position, positions: stored.map((e) => e.position) };
  });
}

async function currentRevision(client: Queryable, s: string, streamId: string): Promise<bigint | 'no_stream'> {
  const { rows } = await client.query<{ revision: string }>(`SELECT revision::text FROM ${s}.streams WHERE stream_id = $1`, [streamId]);
  return rows.length === 1 ? BigInt(rows[0].revision) : 'no_stream';
}

async function findEarlierAppends(db: Queryable, schema: string, appends: StreamAppend[]): Promise<AppendResult[] | undefined> {
  const { rows } = await db.query<Pick<EventRow, 'event_id' | 'stream_id' | 'stream_revision' | 'transaction_id' | 'seq'>>(
    `SELECT event_id::text, stream_id, stream_revision::text, transaction_id::text, seq::text
     FROM ${quoteIdent(schema)}.events WHERE event_id = ANY ($1::uuid[])`,
    [appends.flatMap((a) => a.events.map((event) => event.id))],
  );
  return resolveRetries(
    appends,
    rows.map((row) => ({
      id: row.event_id,
      streamId: row.stream_id,
      revision: BigInt(row.stream_revision),
      position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.seq) },
    })),
  );
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof Error && 'code' in error && error.code === UNIQUE_VIOLATION && 'constraint' in error && error.constraint === constraint;
}

function limitClause(maxCount: number | undefined): string {
  if (maxCount === undefined) return '';
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new TypeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  return `LIMIT ${maxCount}`;
}

function assertPrefixes(prefixes: string[]): void {
  // An empty list would silently mean "everything" or "nothing"; neither is worth guessing.
  if (prefixes.length === 0) throw new TypeError('streamPrefixes must not be empty; leave it out to read every stream');
}
