import type { Pool, PoolClient } from 'pg';

/**
 * What every PostgreSQL adapter of the platform needs the same way: safe identifiers,
 * transactions on pooled clients, and versioned migrations per schema.
 */

/**
 * Schema names end up inside SQL text (identifiers cannot be bound as parameters), so only
 * plain lower-case identifiers pass. `maxLength` leaves room for names derived from it.
 */
export function assertSchemaName(schema: string, maxLength = 48): void {
  const pattern = new RegExp(`^[a-z_][a-z0-9_]{0,${maxLength - 1}}$`);
  if (!pattern.test(schema)) {
    throw new TypeError(`invalid schema name "${schema}": use 1-${maxLength} characters of a-z, 0-9 and _, not starting with a digit`);
  }
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * Runs `work` in a transaction on a pooled client; a client whose ROLLBACK failed, or whose
 * connection dropped meanwhile, is discarded, not reused. A COMMIT that failed for a dropped
 * connection may or may not have committed: callers that must know (checkpoints) find out by
 * compare-and-set on the next attempt.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no listener of the pool's: a connection the server drops between
  // two queries of the transaction would otherwise end the process. The failed query says it.
  const onError = (error: Error) => (broken ??= error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}

export interface SchemaMigration {
  readonly version: number;
  readonly name: string;
  /** The schema exists (and is locked) before any migration runs. */
  sql(schema: string): string;
}

/**
 * Applies the migrations `schema` lacks, in version order, in one transaction, recording each
 * in `<schema>.schema_migrations`. The advisory lock (keyed by `lockName` and the schema) is
 * taken before anything else, even CREATE SCHEMA IF NOT EXISTS, which races with itself; so
 * processes starting together serialise and the later ones find nothing left to do.
 * Returns the versions applied.
 */
export function migrateSchema(pool: Pool, schema: string, migrations: readonly SchemaMigration[], lockName: string): Promise<number[]> {
  const s = quoteIdent(schema);
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${lockName}/${schema}`]);
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
    return applied;
  });
}
