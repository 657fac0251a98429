import type { PoolClient } from 'pg';
import type { CaseStatusChanged } from './read-model.queries';
import { caseView, CohortDeltas, contributionOf, foldEvent, initialFold, type CaseFold } from './case.projection';
import { EstimateDeltas, estimateCountsOf, stepGapOf, writeEstimateCounts } from './estimate.projection';
import { historyEntryOf } from './history-titles';
import { READ_MODEL_MIGRATIONS } from './read-model.migrations';
import { CASE_STREAM_PREFIX, toCaseEvent, type RecordedEvent } from '@case-status/event-contract';
import type { Projection, ProjectionBatch } from '@case-status/projection-runner';
import { quoteIdent, statusChangeChannel } from './sql';

/** The case read models (status, history, cohort statistics, estimate counts), run by a ProjectionRunner. */
export const caseReadModels: Projection = {
  name: 'case-read-models',
  schema: 'read_models',
  streamPrefixes: [CASE_STREAM_PREFIX],
  migrations: READ_MODEL_MIGRATIONS,
  apply: applyBatch,
};

interface StoredCase {
  stream_id: string;
  revision: string;
  public_revision: string;
  fold: CaseFold;
}

/**
 * Projects one batch of events (in global order) inside the runner's transaction, which also
 * moves the checkpoint. Events at or below a case's projected revision are skipped, and cohort
 * counts move from a case's old contribution to its new one, so a replay (a checkpoint reset)
 * changes nothing. Each changed case is announced (`pg_notify`, delivered at commit, never for
 * a rollback) on the live schema's channel, once readers can see it.
 */
async function applyBatch(client: PoolClient, events: readonly RecordedEvent[], batch: ProjectionBatch): Promise<void> {
  const s = quoteIdent(batch.schema);

  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const list = byStream.get(event.streamId);
    if (list) list.push(event);
    else byStream.set(event.streamId, [event]);
  }
  const { rows: stored } = await client.query<StoredCase>(`SELECT stream_id, revision::text, public_revision::text, fold FROM ${s}.case_status WHERE stream_id = ANY ($1::text[])`, [
    [...byStream.keys()],
  ]);
  const current = new Map(stored.map((row) => [row.stream_id, row]));

  const caseRows: object[] = [];
  const historyRows: object[] = [];
  const deltas = new CohortDeltas();
  const estimates = new EstimateDeltas();
  const changes: CaseStatusChanged[] = [];
  for (const [streamId, streamEvents] of byStream) {
    const row = current.get(streamId);
    let fold = row?.fold ?? initialFold();
    let revision = row ? BigInt(row.revision) : -1n;
    // What the public sees moves only with events of the public timeline: an access code sent,
    // a representative appointed or withdrawn must not show as a new revision or a live update.
    let publicRevision = row ? BigInt(row.public_revision) : -1n;
    const before = contributionOf(fold.state);
    const estimatedBefore = estimateCountsOf(fold);
    let changed = false;
    for (const recorded of streamEvents) {
      if (recorded.revision <= revision) continue; // already projected: a replay
      const event = toCaseEvent(recorded);
      const previous = fold;
      fold = foldEvent(fold, event);
      const gap = stepGapOf(previous, fold);
      if (gap) estimates.add(gap, 1);
      revision = recorded.revision;
      changed = true;
      const entry = historyEntryOf(event);
      if (entry) {
        publicRevision = recorded.revision;
        historyRows.push({
          stream_id: streamId,
          revision: recorded.revision.toString(),
          event_id: recorded.id,
          event_type: recorded.type,
          occurred_at: event.occurredAt,
          step: entry.step,
          title: entry.title,
        });
      }
    }
    if (!changed) continue;
    deltas.move(before, contributionOf(fold.state));
    estimates.move(estimatedBefore, estimateCountsOf(fold));
    const publicBefore = row ? BigInt(row.public_revision) : -1n;
    const view = caseView(fold, publicRevision);
    caseRows.push({
      stream_id: streamId,
      revision: revision.toString(),
      public_revision: publicRevision.toString(),
      fold,
      agency: view?.agency ?? null,
      receipt_number: view?.receiptNumber ?? null,
      form_type: view?.formType ?? null,
      office: view?.office ?? null,
      step: view?.step ?? null,
      status_code: view?.statusCode ?? null,
      status_text: view?.statusText ?? null,
      next_step: view?.nextStep ?? null,
      received_at: view?.receivedAt ?? null,
      last_changed_at: view?.lastChangedAt ?? null,
      decision: view?.decision ?? null,
      open_evidence_requests: view?.openEvidenceRequests ?? [],
      upcoming_appointments: view?.upcomingAppointments ?? [],
      is_pending: fold.state.phase === 'pending' && view !== undefined,
    });
    if (view && publicRevision !== publicBefore) changes.push({ agency: view.agency, receiptNumber: view.receiptNumber, revision: view.revision });
  }

  await writeCases(client, s, caseRows);
  await writeHistory(client, s, historyRows);
  await writeCohorts(client, s, deltas);
  await writeEstimateCounts(client, s, estimates);
  if (batch.liveSchema && changes.length > 0) {
    await client.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [statusChangeChannel(batch.liveSchema), changes.map((change) => JSON.stringify(change))]);
  }
}

async function writeCases(client: PoolClient, s: string, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO ${s}.case_status (stream_id, revision, public_revision, fold, agency, receipt_number, form_type, office, step, status_code, status_text, next_step,
       received_at, received_at_text, last_changed_at, decision, open_evidence_requests, upcoming_appointments, is_pending)
     SELECT stream_id, revision, public_revision, fold, agency, receipt_number, form_type, office, step, status_code, status_text, next_step,
       received_at::timestamptz, received_at, last_changed_at, decision, open_evidence_requests, upcoming_appointments, is_pending
     FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, revision bigint, public_revision bigint, fold jsonb, agency text, receipt_number text, form_type text,
       office text, step text, status_code text, status_text jsonb, next_step jsonb, received_at text, last_changed_at text, decision jsonb,
       open_evidence_requests jsonb, upcoming_appointments jsonb, is_pending boolean)
     ON CONFLICT (stream_id) DO UPDATE SET
       revision = excluded.revision, public_revision = excluded.public_revision, fold = excluded.fold, agency = excluded.agency, receipt_number = excluded.receipt_number,
       form_type = excluded.form_type, office = excluded.office, step = excluded.step, status_code = excluded.status_code,
       status_text = excluded.status_text, next_step = excluded.next_step, received_at = excluded.received_at,
       received_at_text = excluded.received_at_text, last_changed_at = excluded.last_changed_at, decision = excluded.decision,
       open_evidence_requests = excluded.open_evidence_requests, upcoming_appointments = excluded.upcoming_appointments,
       is_pending = excluded.is_pending`,
    [JSON.stringify(rows)],
  );
}

async function writeHistory(client: PoolClient, s: string, rows: object[]): Promise<void> {
  if (rows.length === 0) return;
  // DO NOTHING: a revision already in the timeline is the same event, projected before.
  await client.query(
    `INSERT INTO ${s}.case_history (stream_id, revision, event_id, event_type, occurred_at, occurred_at_text, step, title)
     SELECT stream_id, revision, event_id, event_type, occurred_at::timestamptz, occurred_at, step, title
     FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, revision bigint, event_id text, event_type text, occurred_at text, step text, title jsonb)
     ON CONFLICT (stream_id, revision) DO NOTHING`,
    [JSON.stringify(rows)],
  );
}

async function writeCohorts(client: PoolClient, s: string, deltas: CohortDeltas): Promise<void> {
  const completed = [...deltas.completed.values()]
    .filter((row) => row.delta !== 0)
    .map((row) => ({ ...row.cohort, decidedOn: row.decidedOn, durationDays: row.durationDays, delta: row.delta }));
  if (completed.length > 0) {
    const rows = `jsonb_to_recordset($1::jsonb) AS r(agency text, "formType" text, office text, "decidedOn" date, "durationDays" integer, delta integer)`;
    await client.query(
      `INSERT INTO ${s}.cohort_completed AS c (agency, form_type, office, decided_on, duration_days, cases)
       SELECT agency, "formType", office, "decidedOn", "durationDays", delta FROM ${rows}
       ON CONFLICT (agency, form_type, office, decided_on, duration_days) DO UPDATE SET cases = c.cases + excluded.cases`,
      [JSON.stringify(completed)],
    );
    // Rows that fell to zero go, so the tables hold exactly what a rebuild would.
    if (completed.some((row) => row.delta < 0)) await client.query(
      `DELETE FROM ${s}.cohort_completed WHERE cases = 0
         AND (agency, form_type, office, decided_on, duration_days) IN (SELECT agency, "formType", office, "decidedOn", "durationDays" FROM ${rows})`,
      [JSON.stringify(completed)],
    );
  }
  const pending = [...deltas.pending.values()].filter((row) => row.delta !== 0).map((row) => ({ ...row.cohort, receivedOn: row.receivedOn, delta: row.delta }));
  if (pending.length > 0) {
    const rows = `jsonb_to_recordset($1::jsonb) AS r(agency text, "formType" text, office text, "receivedOn" date, delta integer)`;
    await client.query(
      `INSERT INTO ${s}.cohort_pending AS p (agency, form_type, office, received_on, cases)
       SELECT agency, "formType", office, "receivedOn", delta FROM ${rows}
       ON CONFLICT (agency, form_type, office, received_on) DO UPDATE SET cases = p.cases + excluded.cases`,
      [JSON.stringify(pending)],
    );
    if (pending.some((row) => row.delta < 0)) await client.query(
      `DELETE FROM ${s}.cohort_pending WHERE cases = 0
         AND (agency, form_type, office, received_on) IN (SELECT agency, "formType", office, "receivedOn" FROM ${rows})`,
      [JSON.stringify(pending)],
    );
  }
}
