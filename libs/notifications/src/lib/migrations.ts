import type { Pool } from 'pg';
import { migrateSchema, quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

export type Migration = SchemaMigration;

/** Append only: a released migration is never edited, a new one is added after it. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'subscriptions, webhook endpoints, events and deliveries',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE ${s}.email_subscriptions (
          id                 uuid PRIMARY KEY,
          agency             text NOT NULL,
          receipt_number     text NOT NULL,
          -- Personal data: kept only while it is needed to send; NULL once unsubscribed or expired.
          email              text,
          language           text NOT NULL CHECK (language IN ('en', 'es')),
          status             text NOT NULL CHECK (status IN ('pending', 'active', 'unsubscribed')),
          confirm_token_hash bytea,
          confirm_code_hash  bytea,
          confirm_attempts   integer NOT NULL DEFAULT 0,
          confirm_expires_at timestamptz,
          unsubscribe_token  text NOT NULL CONSTRAINT email_subscriptions_unsubscribe_token_unique UNIQUE,
          created_at         timestamptz NOT NULL DEFAULT now(),
          confirmed_at       timestamptz,
          unsubscribed_at    timestamptz,
          CHECK ((status = 'unsubscribed') = (email IS NULL))
        );
        CREATE UNIQUE INDEX email_subscriptions_one_per_address
          ON ${s}.email_subscriptions (agency, receipt_number, lower(email)) WHERE email IS NOT NULL;
        CREATE UNIQUE INDEX email_subscriptions_confirm_token
          ON ${s}.email_subscriptions (confirm_token_hash) WHERE confirm_token_hash IS NOT NULL;
        CREATE INDEX email_subscriptions_active ON ${s}.email_subscriptions (agency, receipt_number) WHERE status = 'active';

        CREATE TABLE ${s}.webhook_endpoints (
          id             uuid PRIMARY KEY,
          agency         text NOT NULL,
          -- NULL: every case of the agency.
          receipt_number text,
          url            text NOT NULL,
          -- Needed in clear to sign every request; shown to its owner once, at registration.
          secret         text NOT NULL,
          owner          text NOT NULL,
          description    text,
          status         text NOT NULL CHECK (status IN ('active', 'removed')),
          created_at     timestamptz NOT NULL DEFAULT now(),
          removed_at     timestamptz
        );
        CREATE INDEX webhook_endpoints_active ON ${s}.webhook_endpoints (agency, receipt_number) WHERE status = 'active';
        CREATE INDEX webhook_endpoints_owner ON ${s}.webhook_endpoints (owner);

        CREATE TABLE ${s}.events (
          event_id        text PRIMARY KEY,
          stream_id       text NOT NULL,
          stream_revision bigint NOT NULL,
          source          text NOT NULL,
          time            text NOT NULL,
          data            jsonb NOT NULL,
          received_at     timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE ${s}.deliveries (
          id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
          seq              bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT deliveries_seq_unique UNIQUE,
          event_id         text NOT NULL REFERENCES ${s}.events (event_id),
          subscription_id  uuid NOT NULL,
          channel          text NOT NULL CHECK (channel IN ('email', 'webhook')),
          agency           text NOT NULL,
          receipt_number   text NOT NULL,
          stream_id        text NOT NULL,
          stream_revision  bigint NOT NULL,
          status           text NOT NULL DEFAULT 'pending'
                           CHECK (status IN ('pending', 'sending', 'delivered', 'dead_letter_pending', 'dead_lettered', 'canceled')),
          attempts         integer NOT NULL DEFAULT 0,
          next_attempt_at  timestamptz NOT NULL DEFAULT now(),
          claim_token      uuid,
          lease_expires_at timestamptz,
          last_error       text,
          created_at       timestamptz NOT NULL DEFAULT now(),
          updated_at       timestamptz NOT NULL DEFAULT now(),
          delivered_at     timestamptz,
          dead_lettered_at timestamptz,
          -- The dedupe key: one event reaches one subscription at most once.
          CONSTRAINT deliveries_dedupe UNIQUE (event_id, subscription_id)
        );
        CREATE INDEX deliveries_due ON ${s}.deliveries (next_attempt_at, seq) WHERE status IN ('pending', 'sending', 'dead_letter_pending');
        CREATE INDEX deliveries_open_per_case ON ${s}.deliveries (subscription_id, stream_id, stream_revision, seq) WHERE status IN ('pending', 'sending');
        CREATE INDEX deliveries_by_case ON ${s}.deliveries (receipt_number, seq);
        CREATE INDEX deliveries_by_status ON ${s}.deliveries (status, seq);
      `;
    },
  },
  {
    version: 2,
    name: 'dead letters kept in PostgreSQL when there is no Kafka',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        CREATE TABLE ${s}.dead_letters (
          id        bigserial PRIMARY KEY,
          key       text,
          reason    text NOT NULL CHECK (reason IN ('delivery_failed', 'invalid_message')),
          failed_at timestamptz NOT NULL,
          letter    jsonb NOT NULL
        );
      `;
    },
  },
];

/** Applies the migrations this schema lacks (see migrateSchema); returns the versions applied. */
export function migrate(pool: Pool, schema: string, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return migrateSchema(pool, schema, migrations, 'case-status/notifications');
}
