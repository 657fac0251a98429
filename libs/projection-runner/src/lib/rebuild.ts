import type { Pool, PoolClient } from 'pg';
import type { GlobalPosition } from '@case-status/event-contract';
import type { Logger } from '@case-status/logging';
import { guardPool, inTransaction, quoteIdent } from '@case-status/postgres-support';
import { applyBatch } from './apply-batch';
import { Checkpoint } from './checkpoint';
import { migrateProjection } from './migrate-projection';
import { assertProjectionSchema, type Projection, type ProjectionSource } from './projection';

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
  /** The schema readers use; it is replaced. Default the projection's. */
  schema?: string;
  /** Events per build transaction. Default 2,000. */
  batchSize?: number;
  logger?: Logger;
  now?: () => Date;
}

export interface RebuildResult {
  /** Events read from the store into the new schema. */
  events: number;
  durationMs: number;
  /** The schema the projection was built in before it was renamed. */
  buildSchema: string;
  /** Whether an existing schema was replaced (false when there was none). */
  replaced: boolean;
}

/** The advisory lock a rebuild of `schema` holds while it runs. */
export function rebuildLockKey(schema: string): string {
  return `case-status/rebuild/${schema}`;
}

/**
 * Builds the projection from the whole store in a fresh schema, then swaps it in: in one
 * transaction that first takes the live checkpoint row (so a live runner cannot commit
 * meanwhile, and one waiting on it finds its compare-and-set failing), the build catches up to
 * the head of the store and the schemas are renamed. Readers see the old tables until that
 * commit and the complete new ones after it; the old schema is dropped afterwards. A running
 * runner reloads the new checkpoint and carries on from it.
 */
export async function rebuildProjection(projection: Projection, options: RebuildOptions): Promise<RebuildResult> {
  const { pool, source, logger } = options;
  guardPool(pool, (error) => logger?.warn(`rebuild: a database connection dropped (${error.message})`));
  const schema = options.schema ?? projection.schema;
  assertProjectionSchema(schema);
  const batchSize = options.batchSize ?? 2_000;
  const started = performance.now();
  const stamp = (options.now ?? (() => new Date()))().getTime();
  const buildSchema = `${schema}_build_${stamp}`;
  const oldSchema = `${schema}_old_${stamp}`;
  const build = new Checkpoint(buildSchema, projection.name);
  const read = (after: GlobalPosition | undefined) => source.readAll({ after, maxCount: batchSize, streamPrefixes: [...projection.streamPrefixes] });

  // One rebuild per schema at a time; a second one fails fast instead of racing the first.
  const lockClient = await pool.connect();
  try {
    const { rows } = await lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [rebuildLockKey(schema)]);
    if (!rows[0].locked) throw new RebuildRunningError(schema);
    try {
      await migrateProjection(pool, projection, buildSchema);
      let position = (await build.load(pool))?.position;
      let events = 0;
      for (;;) {
        const batch = await read(position);
        if (batch.length === 0) break;
        await inTransaction(pool, async (tx) => {
          // Durability comes from the swap's own (synchronous) commit: WAL is replayed in order,
          // so if the swap survives a crash, every build batch before it does too.
          await tx.query('SET LOCAL synchronous_commit = off');
          await applyBatch(tx, projection, build, position, batch, { schema: buildSchema, liveSchema: undefined });
        });
        position = batch[batch.length - 1].position;
        events += batch.length;
        if (events % (batchSize * 25) < batch.length) logger?.log(`rebuild ${schema}: ${events} events projected into ${buildSchema}`);
        if (batch.length < batchSize) break;
      }

      const swapped = await inTransaction(pool, async (tx) => {
        const replaced = await holdLiveCheckpoint(tx, schema, projection.name);
        let caughtUp = 0;
        for (;;) {
          const batch = await read(position);
          if (batch.length === 0) break;
          // These events reach readers for the first time with this commit, so they are announced.
          await applyBatch(tx, projection, build, position, batch, { schema: buildSchema, liveSchema: schema });
          position = batch[batch.length - 1].position;
          caughtUp += batch.length;
          if (batch.length < batchSize) break;
        }
        if (replaced) await tx.query(`ALTER SCHEMA ${quoteIdent(schema)} RENAME TO ${quoteIdent(oldSchema)}`);
        await tx.query(`ALTER SCHEMA ${quoteIdent(buildSchema)} RENAME TO ${quoteIdent(schema)}`);
        return { caughtUp, replaced };
      });
      events += swapped.caughtUp;
      if (swapped.replaced) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(oldSchema)} CASCADE`);
      const result = { events, durationMs: performance.now() - started, buildSchema, replaced: swapped.replaced };
      logger?.log(`rebuild ${schema}: ${events} events in ${Math.round(result.durationMs)} ms; swapped in`);
      return result;
    } catch (error) {
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(buildSchema)} CASCADE`).catch(() => undefined);
      throw error;
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [rebuildLockKey(schema)]).catch(() => undefined);
    }
  } finally {
    lockClient.release();
  }
}

/**
 * Takes the live checkpoint row (creating it if the live runner has not written one yet),
 * waiting for a live batch in progress, and leaves it at a position no writer can expect: a
 * live batch that waits on the row then fails its compare-and-set rather than committing into
 * tables that are about to be renamed away. False when there is no live schema to replace.
 */
async function holdLiveCheckpoint(tx: PoolClient, schema: string, name: string): Promise<boolean> {
  const live = quoteIdent(schema);
  const { rows } = await tx.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${live}.checkpoint`]);
  if (!rows[0].exists) return false;
  await tx.query(`INSERT INTO ${live}.checkpoint (projection, position) VALUES ($1, 'replaced') ON CONFLICT (projection) DO UPDATE SET position = excluded.position`, [name]);
  return true;
}
