import type { Pool } from 'pg';
import { migrateSchema, quoteIdent, type SchemaMigration } from '@case-status/postgres-support';
import { defaultNotificationKeys, NotificationKeys } from './notification-keys';
import { hashSecret } from './tokens';

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
  {
    version: 3,
    name: 'unsubscribe tokens kept as hashes, webhook secrets sealed, confirmation throttle',
    sql: (schema) => {
      const s = quoteIdent(schema);
      // Tokens already mailed keep working through their hash; the clear column goes. The
      // derived tokens of later emails and the sealed secrets need the key, so
      // protectStoredSecrets fills them in right after this (see migrate).
      return `
        ALTER TABLE ${s}.email_subscriptions
          ADD COLUMN unsubscribe_token_hash bytea,
          ADD COLUMN unsubscribe_key_id text,
          ADD COLUMN legacy_unsubscribe_token_hash bytea;
        UPDATE ${s}.email_subscriptions SET legacy_unsubscribe_token_hash = sha256(convert_to(unsubscribe_token, 'UTF8'));
        ALTER TABLE ${s}.email_subscriptions DROP COLUMN unsubscribe_token;
        CREATE UNIQUE INDEX email_subscriptions_unsubscribe_token
          ON ${s}.email_subscriptions (unsubscribe_token_hash) WHERE unsubscribe_token_hash IS NOT NULL;
        CREATE UNIQUE INDEX email_subscriptions_legacy_unsubscribe_token
          ON ${s}.email_subscriptions (legacy_unsubscribe_token_hash) WHERE legacy_unsubscribe_token_hash IS NOT NULL;

        ALTER TABLE ${s}.webhook_endpoints
          ADD COLUMN secret_sealed text,
          ALTER COLUMN secret DROP NOT NULL,
          ADD CONSTRAINT webhook_endpoints_secret_kept CHECK (secret IS NOT NULL OR secret_sealed IS NOT NULL);
        CREATE INDEX webhook_endpoints_active_owner ON ${s}.webhook_endpoints (owner) WHERE status = 'active';

        -- Confirmation emails per address and per case in a window; keys are keyed digests, never addresses.
        CREATE TABLE ${s}.confirmation_throttle (
          key               bytea PRIMARY KEY,
          window_started_at timestamptz NOT NULL,
          count             integer NOT NULL
        );
      `;
    },
  },
  {
    version: 4,
    name: 'the trace context of each consumed change, for its deliveries to continue',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        ALTER TABLE ${s}.events
          ADD COLUMN traceparent text,
          ADD COLUMN tracestate text;
      `;
    },
  },
  {
    version: 5,
    name: 'paused webhook endpoints and the record of staff actions on deliveries',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        ALTER TABLE ${s}.webhook_endpoints ADD COLUMN paused_at timestamptz;
        -- Who re-drove which deliveries, or paused or resumed which endpoint, and when.
        CREATE TABLE ${s}.delivery_actions (
          id           bigserial PRIMARY KEY,
          agency       text NOT NULL,
          actor        text NOT NULL,
          action       text NOT NULL CHECK (action IN ('redrive', 'pause', 'resume')),
          endpoint_id  uuid,
          delivery_ids uuid[] NOT NULL DEFAULT '{}',
          at           timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX delivery_actions_by_agency ON ${s}.delivery_actions (agency, id);
        CREATE INDEX deliveries_dead_per_endpoint ON ${s}.deliveries (subscription_id) WHERE status = 'dead_lettered';
      `;
    },
  },
  {
    version: 6,
    name: 'webhook endpoints of representatives of record',
    // A representative's endpoint delivers only while they are of record on its case (checked at each delivery).
    sql: (schema) => `ALTER TABLE ${quoteIdent(schema)}.webhook_endpoints ADD COLUMN representative_id text;`,
  },
];

/**
 * Applies the migrations this schema lacks (see migrateSchema), then protects what is still
 * stored the old way or under an older key (protectStoredSecrets). Returns the versions applied.
 */
export async function migrate(pool: Pool, schema: string, keys?: NotificationKeys, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied = await migrateSchema(pool, schema, migrations, 'case-status/notifications');
  if (migrations.some((migration) => migration.version === 3)) await protectStoredSecrets(pool, schema, defaultNotificationKeys(keys));
  return applied;
}

/**
 * Seals webhook secrets still in clear or sealed with one of this process's older keys, and
 * gives every subscription whose unsubscribe token is of no key, or of an older key, one of
 * the current key. A subscription's previous token (from emails already sent) keeps working
 * through legacy_unsubscribe_token_hash, so a key rotation breaks no link but those of the
 * rotation before. Rows of a key this process does not know (another instance already on a
 * newer key, mid-rotation) are left alone, so two processes never rewrite each other's rows
 * back and forth. Safe to run from several processes at once: each row is rewritten only if
 * it still needs it.
 */
async function protectStoredSecrets(pool: Pool, schema: string, keys: NotificationKeys): Promise<{ secrets: number; tokens: number }> {
  const s = quoteIdent(schema);
  const keyId = keys.currentKeyId;
  const { rows: endpoints } = await pool.query<{ id: string; secret: string | null; secret_sealed: string | null }>(
    `SELECT id, secret, secret_sealed FROM ${s}.webhook_endpoints WHERE secret IS NOT NULL OR split_part(secret_sealed, '.', 2) = ANY($1::text[])`,
    [keys.previousKeyIds],
  );
  let secrets = 0;
  for (const endpoint of endpoints) {
    const clear = endpoint.secret ?? keys.open(endpoint.secret_sealed as string, `webhook-secret:${endpoint.id}`);
    const { rowCount } = await pool.query(
      `UPDATE ${s}.webhook_endpoints SET secret_sealed = $2, secret = NULL
        WHERE id = $1 AND secret IS NOT DISTINCT FROM $3 AND secret_sealed IS NOT DISTINCT FROM $4`,
      [endpoint.id, keys.seal(clear, `webhook-secret:${endpoint.id}`), endpoint.secret, endpoint.secret_sealed],
    );
    secrets += rowCount ?? 0;
  }
  const { rows: subscriptions } = await pool.query<{ id: string }>(
    `SELECT id FROM ${s}.email_subscriptions WHERE unsubscribe_key_id IS NULL OR unsubscribe_key_id = ANY($1::text[])`,
    [keys.previousKeyIds],
  );
  let tokens = 0;
  for (const { id } of subscriptions) {
    const { rowCount } = await pool.query(
      `UPDATE ${s}.email_subscriptions
          SET legacy_unsubscribe_token_hash = coalesce(unsubscribe_token_hash, legacy_unsubscribe_token_hash),
              unsubscribe_token_hash = $2, unsubscribe_key_id = $3
        WHERE id = $1 AND (unsubscribe_key_id IS NULL OR unsubscribe_key_id = ANY($4::text[]))`,
      [id, hashSecret(keys.unsubscribeToken(id)), keyId, keys.previousKeyIds],
    );
    tokens += rowCount ?? 0;
  }
  return { secrets, tokens };
}
