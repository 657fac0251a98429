import type { Pool } from 'pg';
import { migrateSchema, quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

export type Migration = SchemaMigration;

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

/** Applies the migrations this schema lacks (see migrateSchema); returns the versions applied. */
export function migrate(pool: Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return migrateSchema(pool, schema, migrations, 'case-status/event-store');
}
