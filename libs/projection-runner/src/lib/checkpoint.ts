import type { Pool } from 'pg';
import { formatPosition, parsePosition, type GlobalPosition } from '@case-status/event-contract';
import { assertSchemaName, migrateSchema, quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

/** Anything that runs a query: a pool, or a client inside a transaction. */
export interface Queryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * Version 0 of every schema that keeps checkpoints: `<schema>.checkpoint`, one row per named
 * position, and (for a projection's schema) the projection's row at the start. Written so that
 * it also completes a table an earlier release created itself (the read models' and the survey
 * results' first migrations did), so upgrading keeps every row where it was.
 */
function checkpointMigration(startRow?: string): SchemaMigration {
  return {
    version: 0,
    name: 'checkpoint',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE IF NOT EXISTS ${s}.checkpoint (
          projection        text PRIMARY KEY,
          position          text NOT NULL,
          events_projected  bigint NOT NULL DEFAULT 0,
          last_recorded_at  timestamptz
        );
        -- Set by a migration that adds tables what was projected before has no rows in:
        -- the runner then rebuilds the schema from the store once before it carries on.
        ALTER TABLE ${s}.checkpoint ADD COLUMN IF NOT EXISTS rebuild_required boolean NOT NULL DEFAULT false;
        ${startRow === undefined ? '' : `INSERT INTO ${s}.checkpoint (projection, position) VALUES (${quoteLiteral(startRow)}, '0:0') ON CONFLICT (projection) DO NOTHING;`}
      `;
    },
  };
}

function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Applies what `schema` lacks of the checkpoint table (with a row for `startRow` at the start,
 * if given) and then of `migrations` (see migrateSchema: one transaction, serialised across
 * processes). Returns the versions applied.
 */
export async function migrateWithCheckpoint(pool: Pool, schema: string, migrations: readonly SchemaMigration[], startRow?: string): Promise<number[]> {
  if (migrations.some((migration) => migration.version < 1)) throw new RangeError('version 0 is the checkpoint table; number migrations from 1');
  return migrateSchema(pool, schema, [checkpointMigration(startRow), ...migrations], 'case-status/checkpoint');
}

export interface StoredCheckpoint {
  position: GlobalPosition;
  eventsProjected: number;
  /** When the last event passed was recorded in the store; null when unknown. */
  lastRecordedAt: Date | null;
  rebuildRequired: boolean;
}

/** The checkpoint is not where this writer expected it: another writer (a second instance, a rebuild's swap, an operator's reset) moved it. */
export class CheckpointMovedError extends Error {
  constructor(
    readonly checkpoint: string,
    readonly schema: string,
    readonly expected: string,
  ) {
    super(`checkpoint ${checkpoint} in ${schema} is no longer at ${expected}; reload it and read again`);
    this.name = 'CheckpointMovedError';
  }
}

/**
 * One named position in `<schema>.checkpoint`. Moved only by compare-and-set, so of two
 * writers that read the same position only one moves it; a writer that moves it inside the
 * transaction of its own writes makes the two one (exactly-once in effect).
 */
export class Checkpoint {
  constructor(
    readonly schema: string,
    readonly name: string,
  ) {
    assertSchemaName(schema, 63);
    if (name.length === 0) throw new TypeError('a checkpoint needs a non-empty name');
  }

  /** Undefined before the first move. */
  async load(db: Queryable): Promise<StoredCheckpoint | undefined> {
    const { rows } = await db.query<{ position: string; events_projected: string; last_recorded_at: Date | null; rebuild_required: boolean }>(
      `SELECT position, events_projected::text, last_recorded_at, rebuild_required FROM ${quoteIdent(this.schema)}.checkpoint WHERE projection = $1`,
      [this.name],
    );
    if (rows.length === 0) return undefined;
    const row = rows[0];
    return { position: parsePosition(row.position), eventsProjected: Number(row.events_projected), lastRecordedAt: row.last_recorded_at, rebuildRequired: row.rebuild_required };
  }

  /**
   * Moves the position from `from` (undefined: there is no row yet) to `to`, counting `events`
   * more. False when it was not at `from`: another writer moved it, and this one must write
   * nothing. Inside a transaction the row lock serialises two writers; the loser waits for the
   * winner's commit and then finds the position changed.
   */
  async advance(db: Queryable, move: { from: GlobalPosition | undefined; to: GlobalPosition; events: number; lastRecordedAt?: Date | null }): Promise<boolean> {
    const s = quoteIdent(this.schema);
    const values = [this.name, formatPosition(move.to), move.events, move.lastRecordedAt ?? null];
    const moved = move.from
      ? await db.query(
          `UPDATE ${s}.checkpoint SET position = $2, events_projected = events_projected + $3, last_recorded_at = coalesce($4, last_recorded_at)
           WHERE projection = $1 AND position = $5`,
          [...values, formatPosition(move.from)],
        )
      : await db.query(`INSERT INTO ${s}.checkpoint (projection, position, events_projected, last_recorded_at) VALUES ($1, $2, $3, $4) ON CONFLICT (projection) DO NOTHING`, values);
    return moved.rowCount === 1;
  }

  /** As `advance`, but throws CheckpointMovedError instead of returning false. */
  async move(db: Queryable, move: Parameters<Checkpoint['advance']>[1]): Promise<void> {
    if (!(await this.advance(db, move))) throw new CheckpointMovedError(this.name, this.schema, move.from ? formatPosition(move.from) : 'its start');
  }
}
