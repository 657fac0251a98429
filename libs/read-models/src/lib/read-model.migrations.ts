import type { Pool } from 'pg';
import { quoteIdent } from './sql';

export interface ReadModelMigration {
  readonly version: number;
  readonly name: string;
  sql(schema: string): string;
}

/** The one projection whose checkpoint lives in `checkpoint`. */
export const PROJECTION_NAME = 'case-read-models';

/** Append only: a released migration is never edited, a new one is added after it. */
export const READ_MODEL_MIGRATIONS: readonly ReadModelMigration[] = [
  {
    version: 1,
    name: 'case status, history, cohort statistics, checkpoint',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE ${s}.checkpoint (
          projection        text PRIMARY KEY,
          position          text NOT NULL,
          events_projected  bigint NOT NULL DEFAULT 0,
          last_recorded_at  timestamptz
        );
        INSERT INTO ${s}.checkpoint (projection, position) VALUES ('${PROJECTION_NAME}', '0:0');

        -- One row per case stream. fold is the projector's own state for the case (the
        -- domain state plus what the public view needs), so a batch loads only the cases
        -- it touches. Public columns are null until the case is received.
        CREATE TABLE ${s}.case_status (
          stream_id               text PRIMARY KEY,
          revision                bigint NOT NULL,
          fold                    jsonb NOT NULL,
          agency                  text,
          receipt_number          text,
          form_type               text,
          office                  text,
          step                    text,
          status_code             text,
          status_text             jsonb,
          next_step               jsonb,
          received_at             timestamptz,
          received_at_text        text,
          last_changed_at         text,
          decision                jsonb,
          open_evidence_requests  jsonb NOT NULL DEFAULT '[]',
          upcoming_appointments   jsonb NOT NULL DEFAULT '[]',
          is_pending              boolean NOT NULL DEFAULT false
        );
        CREATE INDEX case_status_receipt ON ${s}.case_status (receipt_number);
        CREATE INDEX case_status_by_agency ON ${s}.case_status (agency, received_at, receipt_number);
        CREATE INDEX case_status_by_cohort ON ${s}.case_status (agency, form_type, office, received_at, receipt_number);
        CREATE INDEX case_status_by_code ON ${s}.case_status (agency, status_code, received_at, receipt_number);
        CREATE INDEX case_status_pending ON ${s}.case_status (agency, form_type, office, received_at) WHERE is_pending;

        CREATE TABLE ${s}.case_history (
          stream_id         text NOT NULL,
          revision          bigint NOT NULL,
          event_id          text NOT NULL,
          event_type        text NOT NULL,
          occurred_at       timestamptz NOT NULL,
          occurred_at_text  text NOT NULL,
          step              text NOT NULL,
          title             jsonb NOT NULL,
          PRIMARY KEY (stream_id, revision)
        );
        CREATE INDEX case_history_timeline ON ${s}.case_history (stream_id, occurred_at, revision);

        -- Cohort statistics, kept incrementally: each case contributes one count to one row
        -- of one of these tables (or none), and a batch moves that count when the case changes.
        CREATE TABLE ${s}.cohort_completed (
          agency         text NOT NULL,
          form_type      text NOT NULL,
          office         text NOT NULL,
          decided_on     date NOT NULL,
          duration_days  integer NOT NULL,
          cases          integer NOT NULL,
          PRIMARY KEY (agency, form_type, office, decided_on, duration_days)
        );
        CREATE TABLE ${s}.cohort_pending (
          agency       text NOT NULL,
          form_type    text NOT NULL,
          office       text NOT NULL,
          received_on  date NOT NULL,
          cases        integer NOT NULL,
          PRIMARY KEY (agency, form_type, office, received_on)
        );
      `;
    },
  },
];

/**
 * Applies the migrations this schema lacks, in one transaction, under an advisory lock taken
 * before CREATE SCHEMA (which races with itself), so projectors starting together serialise.
 */
export async function migrateReadModels(pool: Pool, schema: string, migrations: readonly ReadModelMigration[] = READ_MODEL_MIGRATIONS): Promise<number[]> {
  const s = quoteIdent(schema);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`case-status/read-models/${schema}`]);
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
