import { Pool, type PoolClient } from 'pg';
import {
  AppendResult,
  EventHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  START,
  SubscribeOptions,
  Subscription,
  WrongExpectedRevisionError,
} from '../event-store.port';
import { assertValidAppend, resolveRetry } from '../append-validation';
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
    try {
      return await this.appendInTransaction(streamId, events, options.expectedRevision);
    } catch (error) {
      // A retry of an append already stored cannot be written again: its revisions are taken
      // (a conflict) or its ids are (a unique violation). Only then is it worth looking the
      // ids up, so the common append costs no lookup; the retry, or a concurrent identical
      // one that won the race, gets the answer the original got. (The append's client is
      // back in the pool by now: holding it while asking the pool for another would deadlock
      // once every client did the same.)
      if (error instanceof WrongExpectedRevisionError || isUniqueViolation(error, 'events_event_id_unique')) {
        const winner = await findEarlierAppend(this.pool, this.schema, streamId, events);
        if (winner) return winner;
      }
      throw error;
    }
  }

  private appendInTransaction(streamId: string, events: EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return inTransaction(this.pool, (client) => appendWithin(client, this.schema, streamId, events, expectedRevision));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [streamId];
    let bound = '';
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision.toString());
      bound = `AND stream_revision ${backwards ? '<=' : '>='} $2::bigint`;
    }
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${quoteIdent(this.schema)}.events
       WHERE stream_id = $1 ${bound}
       ORDER BY events.stream_revision ${backwards ? 'DESC' : 'ASC'}
       ${limitClause(options.maxCount)}`,
      params,
    );
    return rows.map(toRecordedEvent);
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
 * The append itself, on a client the caller has put in a transaction (the caller commits).
 * The stream row is the lock: every mode writes it first, so two writers to one stream queue
 * on that row, and under READ COMMITTED the second re-checks its WHERE clause against the
 * committed revision and finds its expectation broken. Exported for tests that need to hold
 * an append's transaction open.
 */
export async function appendWithin(
  client: PoolClient,
  schema: string,
  streamId: string,
  events: EventToAppend[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const s = quoteIdent(schema);
  const count = BigInt(events.length);
  const last = await claimRevisions(client, s, streamId, count, expected);
  if (last === undefined) {
    throw new WrongExpectedRevisionError(streamId, expected, await currentRevision(client, s, streamId));
  }
  const { rows } = await client.query<{ stream_revision: string; transaction_id: string; seq: string }>(
    `INSERT INTO ${s}.events (event_id, stream_id, stream_revision, type, data, metadata)
     SELECT e.id, $1, $2::bigint + e.ord - 1, e.type, e.data, e.metadata
     FROM unnest($3::uuid[], $4::text[], $5::jsonb[], $6::jsonb[]) WITH ORDINALITY AS e(id, type, data, metadata, ord)
     ORDER BY e.ord
     RETURNING stream_revision::text, transaction_id::text, seq::text`,
    [
      streamId,
      (last - count + 1n).toString(),
      events.map((event) => event.id),
      events.map((event) => event.type),
      events.map((event) => JSON.stringify(event.data)),
      events.map((event) => JSON.stringify(event.metadata ?? {})),
    ],
  );
  // Delivered at commit, never for a rolled-back append.
  await client.query('SELECT pg_notify($1, $2)', [channelFor(schema), streamId]);
  const lastRow = rows.find((row) => BigInt(row.stream_revision) === last);
  if (!lastRow) throw new Error(`append to ${streamId}: the insert did not return revision ${last}`);
  return { nextExpectedRevision: last, position: { commit: BigInt(lastRow.transaction_id), prepare: BigInt(lastRow.seq) } };
}

/** Moves the stream's revision by `count` if the expectation holds; the new last revision, or undefined on a conflict. */
async function claimRevisions(
  client: PoolClient,
  s: string,
  streamId: string,
  count: bigint,
  expected: ExpectedRevision,
): Promise<bigint | undefined> {
  const n = count.toString();
  let sql: string;
  let params: unknown[];
  if (expected === 'no_stream') {
    sql = `INSERT INTO ${s}.streams (stream_id, revision) VALUES ($1, $2::bigint - 1) ON CONFLICT (stream_id) DO NOTHING RETURNING revision::text`;
    params = [streamId, n];
  } else if (expected === 'stream_exists') {
    sql = `UPDATE ${s}.streams SET revision = revision + $2::bigint WHERE stream_id = $1 RETURNING revision::text`;
    params = [streamId, n];
  } else if (expected === 'any') {
    sql = `INSERT INTO ${s}.streams AS current (stream_id, revision) VALUES ($1, $2::bigint - 1)
           ON CONFLICT (stream_id) DO UPDATE SET revision = current.revision + $2::bigint RETURNING revision::text`;
    params = [streamId, n];
  } else {
    sql = `UPDATE ${s}.streams SET revision = revision + $2::bigint WHERE stream_id = $1 AND revision = $3::bigint RETURNING revision::text`;
    params = [streamId, n, expected.toString()];
  }
  const { rows } = await client.query<{ revision: string }>(sql, params);
  return rows.length === 1 ? BigInt(rows[0].revision) : undefined;
}

async function currentRevision(client: Queryable, s: string, streamId: string): Promise<bigint | 'no_stream'> {
  const { rows } = await client.query<{ revision: string }>(`SELECT revision::text FROM ${s}.streams WHERE stream_id = $1`, [streamId]);
  return rows.length === 1 ? BigInt(rows[0].revision) : 'no_stream';
}

async function findEarlierAppend(db: Queryable, schema: string, streamId: string, events: EventToAppend[]): Promise<AppendResult | undefined> {
  const { rows } = await db.query<Pick<EventRow, 'event_id' | 'stream_id' | 'stream_revision' | 'transaction_id' | 'seq'>>(
    `SELECT event_id::text, stream_id, stream_revision::text, transaction_id::text, seq::text
     FROM ${quoteIdent(schema)}.events WHERE event_id = ANY ($1::uuid[])`,
    [events.map((event) => event.id)],
  );
  return resolveRetry(
    streamId,
    events,
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
