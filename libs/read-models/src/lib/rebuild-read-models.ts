import type { Pool, PoolClient } from 'pg';
import { applyBatch } from './apply-batch';
import { migrateReadModels, PROJECTION_NAME } from './read-model.migrations';
import { CASE_STREAM_PREFIX, parsePosition, type GlobalPosition } from '@case-status/event-contract';
import type { ProjectionSource } from './projection-source.port';
import { assertSchemaName, inTransaction, quoteIdent, statusChangeChannel } from './sql';
import type { Logger } from '@case-status/logging';

/** Another rebuild of the same schema holds the lock; this one did nothing. */
export class RebuildRunningError extends Error {
  constructor(readonly schema: string) {
    super(`a rebuild of ${schema} is already running`);
    this.name = 'RebuildRunningError';
  }
}

export interface RebuildOptions {
  pool: Pool;
  source: ProjectionSource;
  /** The schema readers use; it is replaced. Default `read_models`. */
  schema?: string;
  /** Events per build transaction. Default 2,000. */
  batchSize?: number;
  logger?: Logger;
  now?: () => Date;
}

export interface RebuildResult {
  /** Events read from the store into the new read models. */
  events: number;
  /** Cases in the new read models. */
  cases: number;
  durationMs: number;
  /** The schema the new models were built in before it was renamed. */
  buildSchema: string;
  /** Whether an existing schema was replaced (false when there was none). */
  replaced: boolean;
}

/**
 * Builds the read models from the whole store in a fresh schema, then swaps it in: in one
 * transaction that holds the live checkpoint's row lock (so the live projector cannot commit
 * meanwhile), the build catches up to the head of the store and the schemas are renamed.
 * Readers see the old models until that commit and the complete new ones after it; the old
 * schema is dropped afterwards. A running projector notices the swap by its checkpoint
 * compare-and-set failing, and carries on from the new checkpoint.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, source, logger } = options;
  const schema = options.schema ?? 'read_models';
  assertSchemaName(schema);
  const batchSize = options.batchSize ?? 2_000;
  const started = performance.now();
  const stamp = (options.now ?? (() => new Date()))().getTime();
  const buildSchema = `${schema}_build_${stamp}`;
  const oldSchema = `${schema}_old_${stamp}`;

  // One rebuild per target at a time; a second one fails fast instead of racing the first.
  const lockClient = await pool.connect();
  let events = 0;
  try {
    const { rows } = await lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [`case-status/read-models/rebuild/${schema}`]);
    if (!rows[0].locked) throw new RebuildRunningError(schema);
    try {
      await migrateReadModels(pool, buildSchema);
      let position: GlobalPosition = { commit: 0n, prepare: 0n };
      for (;;) {
        const batch = await source.readAll({ after: position, maxCount: batchSize, streamPrefixes: [CASE_STREAM_PREFIX] });
        if (batch.length === 0) break;
        await inTransaction(pool, async (client) => {
          // Durability comes from the swap's own (synchronous) commit: WAL is replayed in order,
          // so if the swap survives a crash, every build batch before it does too.
          await client.query('SET LOCAL synchronous_commit = off');
          await applyBatch(client, batch, { schema: buildSchema, expected: position });
        });
        position = batch[batch.length - 1].position;
        events += batch.length;
        if (events % (batchSize * 25) < batch.length) logger?.log(`rebuild ${schema}: ${events} events projected into ${buildSchema}`);
        if (batch.length < batchSize) break;
      }
      const swapped = await inTransaction(pool, (client) => swap(client, { source, schema, buildSchema, oldSchema, position, batchSize }));
      events += swapped.caughtUp;
      if (swapped.replaced) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(oldSchema)} CASCADE`);
      const { rows: counted } = await pool.query<{ cases: number }>(`SELECT count(*)::int AS cases FROM ${quoteIdent(schema)}.case_status`);
      const result = { events, cases: counted[0].cases, durationMs: performance.now() - started, buildSchema, replaced: swapped.replaced };
      logger?.log(`rebuild ${schema}: ${events} events, ${result.cases} cases in ${Math.round(result.durationMs)} ms; swapped in`);
      return result;
    } catch (error) {
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(buildSchema)} CASCADE`).catch(() => undefined);
      throw error;
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`case-status/read-models/rebuild/${schema}`]).catch(() => undefined);
    }
  } finally {
    lockClient.release();
  }
}

async function swap(
  client: PoolClient,
  args: { source: ProjectionSource; schema: string; buildSchema: string; oldSchema: string; position: GlobalPosition; batchSize: number },
): Promise<{ caughtUp: number; replaced: boolean }> {
  const { source, schema, buildSchema, oldSchema, batchSize } = args;
  const live = quoteIdent(schema);
  const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`${live}.checkpoint`]);
  const replaced = rows[0].exists;
  if (replaced) {
    // Waits for a live batch in progress, then keeps the live projector from committing until the swap is done.
    await client.query(`SELECT position FROM ${live}.checkpoint WHERE projection = $1 FOR UPDATE`, [PROJECTION_NAME]);
  }
  const { rows: built } = await client.query<{ position: string }>(`SELECT position FROM ${quoteIdent(buildSchema)}.checkpoint WHERE projection = $1`, [PROJECTION_NAME]);
  let position = parsePosition(built[0].position);
  let caughtUp = 0;
  for (;;) {
    const batch = await source.readAll({ after: position, maxCount: batchSize, streamPrefixes: [CASE_STREAM_PREFIX] });
    if (batch.length === 0) break;
    // These events reach readers for the first time with this commit, so they are announced.
    await applyBatch(client, batch, { schema: buildSchema, expected: position, notifyChannel: statusChangeChannel(schema) });
    position = batch[batch.length - 1].position;
    caughtUp += batch.length;
    if (batch.length < batchSize) break;
  }
  if (replaced) await client.query(`ALTER SCHEMA ${live} RENAME TO ${quoteIdent(oldSchema)}`);
  await client.query(`ALTER SCHEMA ${quoteIdent(buildSchema)} RENAME TO ${live}`);
  return { caughtUp, replaced };
}
