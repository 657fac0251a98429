import type { Pool } from 'pg';
import { assertSchemaName, migrateSchema, quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

const SESSION_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'website sessions',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        -- One row per browser session, keyed by the SHA-256 of the cookie's value: whoever reads
        -- the table cannot present a cookie from it.
        CREATE TABLE ${s}.sessions (
          id_hash      bytea PRIMARY KEY,
          kind         text NOT NULL CHECK (kind IN ('signing-in', 'signed-in')),
          csrf_token   text NOT NULL,
          data         jsonb NOT NULL,
          created_at   timestamptz NOT NULL,
          last_seen_at timestamptz NOT NULL,
          -- When it ends at the latest (sign-in window or absolute timeout), for the sweep.
          expires_at   timestamptz NOT NULL
        );
        CREATE INDEX sessions_expires_at ON ${s}.sessions (expires_at);
        CREATE INDEX sessions_last_seen_at ON ${s}.sessions (last_seen_at);
      `;
    },
  },
];

/** Creates or updates the session tables in `schema`; safe to run from several processes at once. */
export async function migrateSessions(pool: Pool, schema: string): Promise<void> {
  assertSchemaName(schema);
  await migrateSchema(pool, schema, SESSION_MIGRATIONS, 'case-status/identity-sessions');
}
