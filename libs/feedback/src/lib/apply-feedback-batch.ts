import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@case-status/event-contract';
import { quoteIdent } from '@case-status/postgres-support';
import type { Projection, ProjectionBatch } from '@case-status/projection-runner';
import { FEEDBACK_STREAM_PREFIX, FEEDBACK_SUBMITTED, parseFeedbackSubmitted } from './feedback-event';
import { commentContentKeySql, FEEDBACK_MIGRATIONS } from './feedback.migrations';
import { FeedbackDeltas } from './feedback.projection';

/**
 * The survey results (docs/feedback.md), run by a ProjectionRunner: feedback streams only, in
 * a schema and with a checkpoint of their own, independent of the case read models.
 */
export const feedbackResults: Projection = {
  name: 'feedback-results',
  schema: 'feedback',
  migrations: FEEDBACK_MIGRATIONS,
  streamPrefixes: [FEEDBACK_STREAM_PREFIX],
  apply: applyFeedbackBatch,
};

/**
 * Projects one batch of feedback events (in global order) inside the runner's transaction,
 * which also moves the checkpoint. Events at or below a stream's projected revision are
 * skipped, so events delivered again (a checkpoint reset) change nothing.
 */
async function applyFeedbackBatch(client: PoolClient, events: readonly RecordedEvent[], { schema }: ProjectionBatch): Promise<void> {
  const s = quoteIdent(schema);

  const streams = [...new Set(events.map((event) => event.streamId))];
  const { rows } = await client.query<{ stream_id: string; revision: string }>(
    `SELECT stream_id, revision::text FROM ${s}.stream_revision WHERE stream_id = ANY ($1::text[])`,
    [streams],
  );
  const projected = new Map(rows.map((row) => [row.stream_id, BigInt(row.revision)]));
  const deltas = new FeedbackDeltas();
  for (const event of events) {
    if (event.revision <= (projected.get(event.streamId) ?? -1n)) continue; // already projected
    projected.set(event.streamId, event.revision);
    if (event.type !== FEEDBACK_SUBMITTED) continue;
    deltas.add(parseFeedbackSubmitted(event.data));
  }

  await client.query(
    `INSERT INTO ${s}.stream_revision (stream_id, revision)
     SELECT * FROM unnest($1::text[], $2::bigint[])
     ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision`,
    [[...projected.keys()], [...projected.values()].map(String)],
  );
  if (deltas.responses.length > 0) {
    await client.query(
      `INSERT INTO ${s}.group_responses AS g (agency, service, quarter, responses)
       SELECT agency, service, quarter, delta FROM jsonb_to_recordset($1::jsonb) AS r(agency text, service text, quarter text, delta integer)
       ON CONFLICT (agency, quarter, service) DO UPDATE SET responses = g.responses + excluded.responses`,
      [JSON.stringify(deltas.responses)],
    );
  }
  if (deltas.answers.length > 0) {
    await client.query(
      `INSERT INTO ${s}.answer_counts AS a (agency, service, quarter, question, value, responses)
       SELECT agency, service, quarter, question, value, delta
       FROM jsonb_to_recordset($1::jsonb) AS r(agency text, service text, quarter text, question text, value smallint, delta integer)
       ON CONFLICT (agency, quarter, service, question, value) DO UPDATE SET responses = a.responses + excluded.responses`,
      [JSON.stringify(deltas.answers)],
    );
  }
  if (deltas.comments.length > 0) {
    await client.query(
      // No event id, no time and no position in the store: a comment's row holds what the
      // caseworker reads, and its key is derived from that (commentContentKeySql).
      `INSERT INTO ${s}.comments (content_key, copy, agency, service, quarter, language, text)
       SELECT content_key,
              coalesce((SELECT max(c.copy) FROM ${s}.comments c WHERE c.content_key = k.content_key), 0)
                + (row_number() OVER (PARTITION BY content_key ORDER BY ord))::integer,
              agency, service, quarter, language, text
       FROM (
         SELECT r.*, ${commentContentKeySql('r')} AS content_key
         FROM jsonb_to_recordset($1::jsonb) AS r(agency text, service text, quarter text, language text, text text, ord integer)
       ) k`,
      [JSON.stringify(deltas.comments)],
    );
  }
}
