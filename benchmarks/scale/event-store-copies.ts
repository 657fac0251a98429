import type { Pool } from 'pg';
import { Checkpoint } from '@case-status/projection-runner';
import type { GlobalPosition } from '@case-status/event-contract';
import { RECEIPT_DIGITS } from '../query/lifecycles';

/**
 * The event store side of growing by copies (what `cloneCases` does for the read models):
 * the base cases' events, copied with set-based SQL under new receipt numbers (case
 * m = k · base + n is base case n), as the store would hold them had they been appended:
 *
 * - a `streams` row per copied case with its last revision, written in the same transaction
 *   as its events (the foreign key and the optimistic-concurrency row appends rely on);
 * - `events` rows with fresh event ids, the stream's revisions 0…, the same type, data and
 *   metadata, except `receiptNumber` in the CaseReceived data; `seq` and `transaction_id`
 *   come from the table's own defaults, so each statement is one transaction in the global
 *   order, after everything before it, as a large append would be.
 *
 * The read models' checkpoint is then moved past the copies (they are projected by
 * `cloneCases`), so the projection runner goes on from the next appended event.
 */

const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/**
 * Keeps the base cases' events (every stream of `eventStoreSchema` now: call it right after
 * the base cases are appended) in `baseSchema`, numbered as `cloneEvents` needs them.
 */
export async function keepBaseEvents(pool: Pool, options: { eventStoreSchema: string; baseSchema: string; base: number }): Promise<number> {
  const es = q(options.eventStoreSchema);
  const b = q(options.baseSchema);
  await pool.query(
    `CREATE TABLE ${b}.base_events AS
     SELECT s.agency, s.head, s.w, s.n, e.stream_revision, e.type, e.data, e.metadata
     FROM (SELECT stream_id, data ->> 'agency' AS agency, d.w, left(data ->> 'receiptNumber', length(data ->> 'receiptNumber') - d.w) AS head,
                  right(data ->> 'receiptNumber', d.w)::bigint AS n
           FROM ${es}.events CROSS JOIN LATERAL (SELECT ($1::jsonb ->> (data ->> 'agency'))::int AS w) d
           WHERE stream_revision = 0 AND type = 'CaseReceived') s
     JOIN ${es}.events e USING (stream_id)`,
    [JSON.stringify(RECEIPT_DIGITS)],
  );
  const { rows } = await pool.query<{ events: number; cases: number; low: number; high: number; total: number }>(
    `SELECT count(*)::int AS events, count(DISTINCT n)::int AS cases, min(n)::int AS low, max(n)::int AS high, (SELECT count(*)::int FROM ${es}.events) AS total FROM ${b}.base_events`,
  );
  const found = rows[0];
  if (found.cases !== options.base || found.low !== 0 || found.high !== options.base - 1 || found.events !== found.total) {
    throw new Error(`the event store must hold exactly the base cases 0…${options.base - 1}; found ${JSON.stringify(found)}`);
  }
  await pool.query(`CREATE TABLE ${b}.base_streams AS SELECT agency, head, w, n, max(stream_revision) AS revision FROM ${b}.base_events GROUP BY agency, head, w, n`);
  return found.events;
}

/** Adds copies `firstCopy … lastCopy` of the kept base cases to the store; returns how many events were written. */
export async function cloneEvents(
  pool: Pool,
  options: { eventStoreSchema: string; baseSchema: string; base: number; firstCopy: number; lastCopy: number; log: (line: string) => void },
): Promise<number> {
  const es = q(options.eventStoreSchema);
  const b = q(options.baseSchema);
  const client = await pool.connect();
  let written = 0;
  try {
    await client.query(`SET statement_timeout = '20min'`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    // The global-order index is not a constraint: rebuilt once at the end rather than row by row.
    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
       WHERE ns.nspname = $1 AND t.relname = 'events' AND NOT i.indisprimary AND NOT i.indisunique`,
      [options.eventStoreSchema],
    );
    for (const index of indexes) await client.query(`DROP INDEX ${es}.${q(index.name)}`);
    const step = 10;
    for (let first = options.firstCopy; first <= options.lastCopy; first += step) {
      const last = Math.min(options.lastCopy, first + step - 1);
      const started = performance.now();
      await client.query('BEGIN');
      try {
        await client.query(
          `INSERT INTO ${es}.streams (stream_id, revision)
           SELECT 'case-' || s.agency || '-' || s.head || lpad((k * $3::int + s.n)::text, s.w, '0'), s.revision
           FROM generate_series($1::int, $2::int) AS k CROSS JOIN ${b}.base_streams s`,
          [first, last, options.base],
        );
        const { rowCount } = await client.query(
          `INSERT INTO ${es}.events (event_id, stream_id, stream_revision, type, data, metadata)
           SELECT gen_random_uuid(), 'case-' || e.agency || '-' || r.receipt, e.stream_revision, e.type,
                  CASE WHEN e.type = 'CaseReceived' THEN jsonb_set(e.data, '{receiptNumber}', to_jsonb(r.receipt)) ELSE e.data END, e.metadata
           FROM generate_series($1::int, $2::int) AS k CROSS JOIN ${b}.base_events e
           CROSS JOIN LATERAL (SELECT e.head || lpad((k * $3::int + e.n)::text, e.w, '0') AS receipt) r
           ORDER BY k, e.n, e.stream_revision`,
          [first, last, options.base],
        );
        await client.query('COMMIT');
        written += rowCount ?? 0;
        options.log(`  events of copies ${first}-${last} of ${options.lastCopy}: ${(rowCount ?? 0).toLocaleString('en-US')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    const started = performance.now();
    for (const index of indexes) await client.query(index.definition);
    options.log(`  ${indexes.length} event index recreated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return written;
  } finally {
    client.release();
  }
}

/** The position of the last event in the store's global order. */
async function lastPosition(pool: Pool, eventStoreSchema: string): Promise<GlobalPosition> {
  const { rows } = await pool.query<{ commit: string; prepare: string }>(
    `SELECT transaction_id::text AS commit, seq::text AS prepare FROM ${q(eventStoreSchema)}.events ORDER BY transaction_id DESC, seq DESC LIMIT 1`,
  );
  return { commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare) };
}

/**
 * Moves the checkpoint of `projection` in `readModelSchema` to the last event of the store,
 * counting `events` more: the copies are in the read models already. Compare-and-set, as
 * the runner itself moves it.
 */
export async function skipCopiedEvents(pool: Pool, options: { projection: string; readModelSchema: string; eventStoreSchema: string; events: number }): Promise<void> {
  const checkpoint = new Checkpoint(options.readModelSchema, options.projection);
  const stored = await checkpoint.load(pool);
  if (!stored) throw new Error(`${options.readModelSchema} has no checkpoint for ${options.projection}`);
  await checkpoint.move(pool, { from: stored.position, to: await lastPosition(pool, options.eventStoreSchema), events: options.events });
}

/**
 * Events and stream rows of `expectedSchema` (appended for real) that `schema` does not hold
 * identically, and the other way round; event ids and recording times excepted.
 */
export async function differingEvents(pool: Pool, options: { schema: string; expectedSchema: string }): Promise<{ streams: number; events: number }> {
  const s = q(options.schema);
  const e = q(options.expectedSchema);
  const columns = 'stream_id, stream_revision, type, data, metadata';
  const { rows } = await pool.query<{ streams: number; events: number }>(
    `WITH picked AS (SELECT stream_id FROM ${e}.streams)
     SELECT (SELECT count(*)::int FROM ((SELECT * FROM ${e}.streams EXCEPT SELECT * FROM ${s}.streams WHERE stream_id IN (SELECT stream_id FROM picked))
                                        UNION ALL (SELECT * FROM ${s}.streams WHERE stream_id IN (SELECT stream_id FROM picked) EXCEPT SELECT * FROM ${e}.streams)) d) AS streams,
            (SELECT count(*)::int FROM ((SELECT ${columns} FROM ${e}.events EXCEPT SELECT ${columns} FROM ${s}.events WHERE stream_id IN (SELECT stream_id FROM picked))
                                        UNION ALL (SELECT ${columns} FROM ${s}.events WHERE stream_id IN (SELECT stream_id FROM picked) EXCEPT SELECT ${columns} FROM ${e}.events)) d) AS events`,
  );
  return rows[0];
}
