import { quoteIdent, type SchemaMigration } from '@case-status/postgres-support';

/**
 * Append only: a released migration is never edited, a new one is added after it. (The
 * checkpoint table the first once created is the runner's version 0 now, which completes a
 * table created here before, so only new schemas see the difference.)
 */
export const FEEDBACK_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'feedback results, comments, checkpoint',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        -- The last revision projected per feedback stream (one per service), so an event
        -- delivered again (a checkpoint reset, a replay) is recognised and counted once.
        CREATE TABLE ${s}.stream_revision (
          stream_id  text PRIMARY KEY,
          revision   bigint NOT NULL
        );

        -- Responses per group (agency, service, fiscal quarter) ...
        CREATE TABLE ${s}.group_responses (
          agency     text NOT NULL,
          service    text NOT NULL,
          quarter    text NOT NULL,
          responses  integer NOT NULL,
          PRIMARY KEY (agency, quarter, service)
        );
        -- ... and, per question, how many chose each point of the scale.
        CREATE TABLE ${s}.answer_counts (
          agency     text NOT NULL,
          service    text NOT NULL,
          quarter    text NOT NULL,
          question   text NOT NULL,
          value      smallint NOT NULL CHECK (value BETWEEN 1 AND 5),
          responses  integer NOT NULL,
          PRIMARY KEY (agency, quarter, service, question, value)
        );

        -- Free text, already redacted when it was submitted; for caseworkers only. No event
        -- id and no time: sort_key is a hash of the event id (see commentSortKey).
        CREATE TABLE ${s}.comments (
          sort_key  text PRIMARY KEY,
          agency    text NOT NULL,
          service   text NOT NULL,
          quarter   text NOT NULL,
          language  text NOT NULL,
          text      text NOT NULL
        );
        CREATE INDEX comments_by_group ON ${s}.comments (agency, quarter, service, sort_key);
      `;
    },
  },
  {
    version: 2,
    name: 'comments ordered by their content, not by the response id',
    // v1 ordered comments by a hash of the event id, which is the HMAC of the receipt number:
    // anyone holding the secret (or, with the development secret, anyone) could compute it
    // for a receipt number and find that case's comment. The order now comes from what the
    // caseworker reads anyway (group, language, text), plus a count for identical comments.
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        ALTER TABLE ${s}.comments ADD COLUMN content_key text, ADD COLUMN copy integer;
        UPDATE ${s}.comments c SET content_key = k.content_key, copy = k.copy
        FROM (
          SELECT sort_key, content_key, (row_number() OVER (PARTITION BY content_key ORDER BY sort_key))::integer AS copy
          FROM (SELECT sort_key, ${commentContentKeySql('comments')} AS content_key FROM ${s}.comments) hashed
        ) k
        WHERE c.sort_key = k.sort_key;
        -- Takes the primary key and comments_by_group with it.
        ALTER TABLE ${s}.comments DROP COLUMN sort_key;
        ALTER TABLE ${s}.comments ALTER COLUMN content_key SET NOT NULL, ALTER COLUMN copy SET NOT NULL, ADD PRIMARY KEY (content_key, copy);
        CREATE INDEX comments_in_order ON ${s}.comments (agency, quarter, service, content_key, copy);
      `;
    },
  },
];

/**
 * A comment's content key, in SQL over the columns of `alias`: the SHA-256 of its group,
 * language and text. The migration and the projection compute it with this one expression.
 */
export function commentContentKeySql(alias: string): string {
  return `encode(sha256(convert_to(jsonb_build_array(${alias}.agency, ${alias}.service, ${alias}.quarter, ${alias}.language, ${alias}.text)::text, 'UTF8')), 'hex')`;
}

