import { quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

export type ReadModelMigration = SchemaMigration;

/**
 * Append only: a released migration is never edited, a new one is added after it. (The
 * checkpoint table these once created is the runner's version 0 now, which completes a table
 * created here before, so only new schemas see the difference.)
 */
export const READ_MODEL_MIGRATIONS: readonly ReadModelMigration[] = [
  {
    version: 1,
    name: 'case status, history, cohort statistics, checkpoint',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
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
  {
    version: 2,
    name: 'processing-time estimate counts',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        -- Counts per cohort for the estimates (estimate.projection.ts). Rows at zero are deleted,
        -- and a count can never go below one without failing its batch. The keys include the
        -- count, so an estimate reads a cohort's rows from the index alone (rows of one cohort
        -- are written at many different times and would otherwise sit on as many heap pages).
        CREATE TABLE ${s}.estimate_pending (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          received_on date NOT NULL, entry_on date NOT NULL,
          cases integer NOT NULL CHECK (cases > 0),
          PRIMARY KEY (agency, form_type, office, received_on, entry_on) INCLUDE (cases)
        );
        CREATE TABLE ${s}.estimate_decided (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          decided_on date NOT NULL, duration_days integer NOT NULL, entry_days integer NOT NULL,
          cases integer NOT NULL CHECK (cases > 0),
          PRIMARY KEY (agency, form_type, office, decided_on, duration_days, entry_days) INCLUDE (cases)
        );
        CREATE TABLE ${s}.estimate_durations (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          duration_days integer NOT NULL, entry_days integer NOT NULL,
          cases integer NOT NULL CHECK (cases > 0),
          PRIMARY KEY (agency, form_type, office, duration_days, entry_days) INCLUDE (cases)
        );
        CREATE TABLE ${s}.estimate_decided_received (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          received_on date NOT NULL,
          cases integer NOT NULL CHECK (cases > 0),
          PRIMARY KEY (agency, form_type, office, received_on) INCLUDE (cases)
        );
        CREATE TABLE ${s}.estimate_step_gaps (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          step text NOT NULL, gap_days integer NOT NULL,
          cases integer NOT NULL CHECK (cases > 0),
          PRIMARY KEY (agency, form_type, office, step, gap_days) INCLUDE (cases)
        );
        -- Goes up whenever a batch changes any count of the cohort, so a reader may keep a
        -- cohort's counts until it does. Not a statistic: a rebuild numbers it anew.
        CREATE TABLE ${s}.estimate_cohort_version (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          version bigint NOT NULL,
          PRIMARY KEY (agency, form_type, office) INCLUDE (version)
        );

        -- Cases projected before this migration have no counts yet, and the facts they need
        -- (transfer and step dates) are only in the event store: the projector rebuilds such a
        -- schema once before it carries on (ProjectionRunner.init).
        UPDATE ${s}.checkpoint SET rebuild_required = events_projected > 0;
      `;
    },
  },
  {
    version: 3,
    name: 'public status texts without appointment times and places or evidence due dates',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        -- Anyone with a receipt number reads case_status.status_text; texts projected before
        -- named the appointment's time and office and the evidence due date. Re-projecting
        -- from the store words them anew (ProjectionRunner.init rebuilds once).
        UPDATE ${s}.checkpoint SET rebuild_required = events_projected > 0;
      `;
    },
  },
  {
    version: 4,
    name: 'a public revision that moves only with the public timeline',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        -- case_status.revision is the case stream's, which private events (an access code
        -- sent, a representative appointed or withdrawn) move too: anyone watching a receipt
        -- number saw when they happened. The public revision is that of the latest event of
        -- the public timeline; re-projecting sets it for the cases already projected.
        ALTER TABLE ${s}.case_status ADD COLUMN public_revision bigint NOT NULL DEFAULT -1;
        UPDATE ${s}.checkpoint SET rebuild_required = events_projected > 0;
      `;
    },
  },
];
