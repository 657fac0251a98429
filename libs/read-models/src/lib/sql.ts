import type { Pool, PoolClient } from 'pg';

/**
 * Schema names end up inside SQL text (identifiers cannot be bound as parameters), so only
 * plain lower-case identifiers are accepted. At most 40 characters: a rebuild derives
 * `<schema>_build_<13 digits>` from it, which must stay under PostgreSQL's 63-byte limit.
 */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,39}$/.test(schema)) {
    throw new TypeError(`invalid read-model schema name "${schema}": use 1-40 characters of a-z, 0-9 and _, not starting with a digit`);
  }
}

export function quoteIdent(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** The channel `pg_notify` announces committed status changes on; one per read-model schema name. */
export function statusChangeChannel(schema: string): string {
  return `${schema}_status_changed`;
}

/** Runs `work` in a transaction on a pooled client; a client whose ROLLBACK failed is discarded, not reused. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
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
    client.release(broken);
  }
}
