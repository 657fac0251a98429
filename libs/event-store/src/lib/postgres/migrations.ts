import type { Pool } from 'pg';
import { quoteIdent } from './sql';

export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The schema is created (and locked) before any migration runs. */
  sql(schema: string): string;
}

/** Append only: a released migration is never edited, a new one is added after it. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create streams and events',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE ${s}.streams (
          stream_id text PRIMARY KEY,
          revision  bigint NOT NULL CHECK (revision >= 0)
        );
        CREATE TABLE ${s}.events (
          seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
          event_id        uuid NOT NULL CONSTRAINT events_event_id_unique UNIQUE,
          stream_id       text NOT NULL REFERENCES ${s}.streams (stream_id),
          stream_revision bigint NOT NULL,
          type            text NOT NULL,
          data            jsonb NOT NULL,
          metadata        jsonb NOT NULL DEFAULT '{}',
          recorded_at     timestamptz NOT NULL DEFAULT now(),
          CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, stream_revision)
        );
        CREATE INDEX events_global_position ON ${s}.events (transaction_id, seq);
      `;
    },
  },
];

/**
 * Applies the migrations this schema lacks, in one transaction. The advisory lock is taken
 * before anything else (even CREATE SCHEMA IF NOT EXISTS, which races with itself), so two
 * processes starting at once serialise here and the second finds nothing left to do.
 * Returns the versions it applied.
 */
export async function migrate(pool: Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const s = quoteIdent(schema);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`case-status/event-store/${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql(schema));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
