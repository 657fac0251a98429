import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { caseStreamId, type CaseEvent, type CaseEventBody } from '@case-status/case-domain';
import { createPostgresEventStore, type ExpectedRevision, type PostgresEventStore } from '@case-status/event-store';

/** Shared by this app's PostgreSQL tests: each test file works in schemas of its own and drops them. */
export const connectionString = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

export function uniqueSchema(label: string): string {
  return `rm_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

export async function dropSchemas(pool: Pool, prefix: string): Promise<void> {
  const { rows } = await pool.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}%`]);
  for (const row of rows) await pool.query(`DROP SCHEMA IF EXISTS "${row.nspname}" CASCADE`);
}

export function newStore(pool: Pool, schema: string): Promise<PostgresEventStore> {
  return createPostgresEventStore({ connection: pool, schema, pollIntervalMs: 50 });
}

export const ev = (body: CaseEventBody, occurredAt: string): CaseEvent => ({ ...body, occurredAt }) as CaseEvent;

export function received(receiptNumber: string, occurredAt: string, cohort: { formType?: string; office?: string; agency?: string } = {}): CaseEvent {
  return ev({ type: 'CaseReceived', data: { agency: cohort.agency ?? 'USCIS', receiptNumber, formType: cohort.formType ?? 'I-485', office: cohort.office ?? 'NBC' } }, occurredAt);
}

/** Appends domain events as intake stores them: business time in metadata.occurredAt. */
export async function append(store: PostgresEventStore, receiptNumber: string, events: CaseEvent[], expectedRevision: ExpectedRevision = 'any', agency = 'USCIS') {
  return store.appendToStream(
    caseStreamId(agency, receiptNumber),
    events.map(({ type, data, occurredAt }) => ({ id: randomUUID(), type, data: data as Record<string, unknown>, metadata: { occurredAt } })),
    { expectedRevision },
  );
}

/** Every read-model table's rows, in a fixed order, for comparing two schemas. */
export async function snapshotTables(pool: Pool, schema: string): Promise<Record<string, unknown[]>> {
  const order: Record<string, string> = {
    checkpoint: 'projection',
    case_status: 'stream_id',
    case_history: 'stream_id, revision',
    cohort_completed: 'agency, form_type, office, decided_on, duration_days',
    cohort_pending: 'agency, form_type, office, received_on',
  };
  const snapshot: Record<string, unknown[]> = {};
  for (const [table, orderBy] of Object.entries(order)) {
    snapshot[table] = (await pool.query(`SELECT * FROM "${schema}".${table} ORDER BY ${orderBy}`)).rows;
  }
  return snapshot;
}

export { Pool };
