import type { PoolClient } from 'pg';
import { CASE_STREAM_PREFIX, toCaseEvent, type RecordedEvent } from '@case-status/event-contract';
import { quoteIdent } from '@case-status/postgres-support';
import type { Projection } from '@case-status/projection-runner';

interface Cohort {
  agency: string;
  form_type: string;
  office: string;
}

/**
 * Cases received and decisions issued per ISO week (of the agency's local date) and cohort
 * (agency, form type, office): the flow a caseworker console charts. A decision counts for the
 * office the case is at when it is decided, so the few facts that say which that is are kept
 * per case.
 */
export const weeklyCaseFlow: Projection = {
  name: 'weekly-case-flow',
  schema: 'weekly_case_flow',
  streamPrefixes: [CASE_STREAM_PREFIX],
  eventTypes: ['CaseReceived', 'CaseTransferred', 'DecisionIssued'],
  migrations: [
    {
      version: 1,
      name: 'cohort per case, flow per week',
      sql: (schema) => `
        CREATE TABLE ${quoteIdent(schema)}.case_cohort (
          stream_id text PRIMARY KEY, agency text NOT NULL, form_type text NOT NULL, office text NOT NULL
        );
        CREATE TABLE ${quoteIdent(schema)}.weekly_flow (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          week text NOT NULL, -- ISO 8601 week, e.g. 2026-W02
          received integer NOT NULL, decided integer NOT NULL,
          PRIMARY KEY (agency, form_type, office, week)
        );`,
    },
  ],
  apply: async (tx, events, { schema }) => {
    const s = quoteIdent(schema);
    const cohorts = await loadCohorts(tx, s, events);
    const flow: (Cohort & { day: string; received: number; decided: number })[] = [];
    for (const recorded of events) {
      const event = toCaseEvent(recorded);
      const cohort = cohorts.get(recorded.streamId);
      const day = event.occurredAt.slice(0, 10);
      if (event.type === 'CaseReceived') {
        const { agency, formType, office } = event.data;
        cohorts.set(recorded.streamId, { agency, form_type: formType, office });
        flow.push({ agency, form_type: formType, office, day, received: 1, decided: 0 });
      } else if (event.type === 'CaseTransferred' && cohort) {
        cohorts.set(recorded.streamId, { ...cohort, office: event.data.toOffice });
      } else if (event.type === 'DecisionIssued' && cohort) {
        flow.push({ ...cohort, day, received: 0, decided: 1 });
      }
    }
    await tx.query(
      `INSERT INTO ${s}.case_cohort SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, agency text, form_type text, office text)
       ON CONFLICT (stream_id) DO UPDATE SET office = excluded.office`,
      [JSON.stringify([...cohorts].map(([stream_id, cohort]) => ({ stream_id, ...cohort })))],
    );
    await tx.query(
      `INSERT INTO ${s}.weekly_flow AS w
       SELECT agency, form_type, office, to_char(day, 'IYYY-"W"IW'), sum(received), sum(decided)
       FROM jsonb_to_recordset($1::jsonb) AS r(agency text, form_type text, office text, day date, received integer, decided integer)
       GROUP BY 1, 2, 3, 4
       ON CONFLICT (agency, form_type, office, week) DO UPDATE SET received = w.received + excluded.received, decided = w.decided + excluded.decided`,
      [JSON.stringify(flow)],
    );
  },
};

async function loadCohorts(tx: PoolClient, s: string, events: readonly RecordedEvent[]): Promise<Map<string, Cohort>> {
  const { rows } = await tx.query<Cohort & { stream_id: string }>(`SELECT * FROM ${s}.case_cohort WHERE stream_id = ANY ($1::text[])`, [[...new Set(events.map((e) => e.streamId))]]);
  return new Map(rows.map(({ stream_id, ...cohort }) => [stream_id, cohort]));
}
