import type { Pool, PoolClient } from 'pg';
import { parsePosition, START, type GlobalPosition } from '@case-status/event-contract';
import { inTransaction, quoteIdent } from '@case-status/postgres-support';
import { applyFeedbackBatch } from './apply-feedback-batch';
import { FEEDBACK_STREAM_PREFIX } from './feedback-event';
import { FEEDBACK_PROJECTION_NAME, migrateFeedback } from './feedback.migrations';
import { assertFeedbackSchema, DEFAULT_FEEDBACK_SCHEMA, type FeedbackProjectionSource } from './feedback.projector';
import type { Logger } from '@case-status/logging';

export interface RebuildFeedbackOptions {
  pool: Pool;
  source: FeedbackProjectionSource;
  /** The schema readers use; it is replaced. Default `feedback`. */
  schema?: string;
  /** Events per build transaction. Default 2,000. */
  batchSize?: number;
  logger?: Logger;
  now?: () => Date;
}

export interface RebuildFeedbackResult {
  events: number;
  responses: number;
  durationMs: number;
  replaced: boolean;
}

/**
 * Builds the survey results from the whole store in a fresh schema, then swaps it in: in one
 * transaction that holds the live checkpoint's row (so a live projector cannot commit
 * meanwhile) the build catches up to the head of the store and the schemas are renamed. A
 * running projector notices by its checkpoint compare-and-set failing and carries on from
 * the new checkpoint. Rows of groups no response belongs to any more are simply not there.
 */
export async function rebuildFeedback(options: RebuildFeedbackOptions): Promise<RebuildFeedbackResult> {
  const { pool, source, logger } = options;
  const schema = options.schema ?? DEFAULT_FEEDBACK_SCHEMA;
  assertFeedbackSchema(schema);
  const batchSize = options.batchSize ?? 2_000;
  const started = performance.now();
  const stamp = (options.now ?? (() => new Date()))().getTime();
  const buildSchema = `${schema}_build_${stamp}`;
  const oldSchema = `${schema}_old_${stamp}`;
  const lockKey = `case-status/feedback/rebuild/${schema}`;

  const lockClient = await pool.connect();
  try {
    const { rows } = await lockClient.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [lockKey]);
    if (!rows[0].locked) throw new Error(`a rebuild of ${schema} is already running`);
    try {
      await migrateFeedback(pool, buildSchema);
      let position: GlobalPosition = START;
      let events = 0;
      for (;;) {
        const batch = await source.readAll({ after: position, maxCount: batchSize, streamPrefixes: [FEEDBACK_STREAM_PREFIX] });
        if (batch.length === 0) break;
        await inTransaction(pool, (client) => applyFeedbackBatch(client, batch, { schema: buildSchema, expected: position }));
        position = batch[batch.length - 1].position;
        events += batch.length;
        if (batch.length < batchSize) break;
      }
      const swapped = await inTransaction(pool, (client) => swap(client, { source, schema, buildSchema, oldSchema, batchSize }));
      events += swapped.caughtUp;
      if (swapped.replaced) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(oldSchema)} CASCADE`);
      const { rows: counted } = await pool.query<{ responses: number }>(`SELECT coalesce(sum(responses), 0)::int AS responses FROM ${quoteIdent(schema)}.group_responses`);
      const result = { events, responses: counted[0].responses, durationMs: performance.now() - started, replaced: swapped.replaced };
      logger?.log(`rebuild ${schema}: ${events} events, ${result.responses} responses in ${Math.round(result.durationMs)} ms; swapped in`);
      return result;
    } catch (error) {
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(buildSchema)} CASCADE`).catch(() => undefined);
      throw error;
    } finally {
      await lockClient.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [lockKey]).catch(() => undefined);
    }
  } finally {
    lockClient.release();
  }
}

async function swap(
  client: PoolClient,
  args: { source: FeedbackProjectionSource; schema: string; buildSchema: string; oldSchema: string; batchSize: number },
): Promise<{ caughtUp: number; replaced: boolean }> {
  const { source, schema, buildSchema, oldSchema, batchSize } = args;
  const live = quoteIdent(schema);
  const { rows } = await client.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [`${live}.checkpoint`]);
  const replaced = rows[0].exists;
  if (replaced) await client.query(`SELECT position FROM ${live}.checkpoint WHERE projection = $1 FOR UPDATE`, [FEEDBACK_PROJECTION_NAME]);
  const { rows: built } = await client.query<{ position: string }>(`SELECT position FROM ${quoteIdent(buildSchema)}.checkpoint WHERE projection = $1`, [
    FEEDBACK_PROJECTION_NAME,
  ]);
  let position = parsePosition(built[0].position);
  let caughtUp = 0;
  for (;;) {
    const batch = await source.readAll({ after: position, maxCount: batchSize, streamPrefixes: [FEEDBACK_STREAM_PREFIX] });
    if (batch.length === 0) break;
    await applyFeedbackBatch(client, batch, { schema: buildSchema, expected: position });
    position = batch[batch.length - 1].position;
    caughtUp += batch.length;
    if (batch.length < batchSize) break;
  }
  if (replaced) await client.query(`ALTER SCHEMA ${live} RENAME TO ${quoteIdent(oldSchema)}`);
  await client.query(`ALTER SCHEMA ${quoteIdent(buildSchema)} RENAME TO ${live}`);
  return { caughtUp, replaced };
}
