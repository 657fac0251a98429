import type { PoolClient } from 'pg';
import { addDays } from './cohort-statistics';
import { daysBetween, localDate, statusCodeOf, type CaseFold } from './case.projection';

/**
 * What the processing-time estimates read, kept as counts per cohort (agency, form type,
 * office) so that no estimate scans the cases (see `CohortCounts` in processing-time):
 *
 * - `estimate_pending`: pending cases by receipt day and the day they came to their office
 *   (a transferred case is observed by its new office only from its transfer: delayed entry);
 * - `estimate_decided`: decided cases by decision day, duration and entry age;
 * - `estimate_durations`: the same without the day, for the survival curve;
 * - `estimate_decided_received`: decided cases by receipt day, for a case's peers;
 * - `estimate_step_gaps`: days from reaching a public status to leaving it, by status.
 *
 * The first four follow the case's current state: a batch moves a case's counts from its old
 * state to its new one, so a transfer moves it between cohorts and a reopening takes it back
 * to pending. Step gaps are facts of the case's past, added once when the case leaves a step,
 * to the cohort it was in then. Both are replay-safe because the projector skips events at
 * or below a case's projected revision.
 */
export const ESTIMATE_TABLES = {
  estimate_pending: [
    ['received_on', 'date'],
    ['entry_on', 'date'],
  ],
  estimate_decided: [
    ['decided_on', 'date'],
    ['duration_days', 'integer'],
    ['entry_days', 'integer'],
  ],
  estimate_durations: [
    ['duration_days', 'integer'],
    ['entry_days', 'integer'],
  ],
  estimate_decided_received: [['received_on', 'date']],
  estimate_step_gaps: [
    ['step', 'text'],
    ['gap_days', 'integer'],
  ],
} as const satisfies Record<string, readonly (readonly [string, 'date' | 'integer' | 'text'])[]>;

export type EstimateTable = keyof typeof ESTIMATE_TABLES;

const COHORT_COLUMNS = ['agency', 'form_type', 'office'] as const;

/** One count in one row: the table, the cohort and the row's other key columns in table order. */
export interface EstimateCount {
  table: EstimateTable;
  key: readonly (string | number)[];
}

/** The counts a case's current state contributes: none before receipt or once closed undecided. */
export function estimateCountsOf(fold: CaseFold): EstimateCount[] {
  const { state } = fold;
  if (!state.agency || !state.formType || !state.office || !state.receivedAt) return [];
  const cohort = [state.agency, state.formType, state.office];
  const receivedOn = localDate(state.receivedAt);
  // Business times may be out of order; an office is never entered before the receipt.
  const entryDays = fold.officeSince ? daysBetween(state.receivedAt, fold.officeSince) : 0;
  if (state.decision) {
    const durationDays = daysBetween(state.receivedAt, state.decision.decidedAt);
    // Nor after the decision: a case is decided by the office it is at.
    const entry = Math.min(entryDays, durationDays);
    return [
      { table: 'estimate_decided', key: [...cohort, addDays(receivedOn, durationDays), durationDays, entry] },
      { table: 'estimate_durations', key: [...cohort, durationDays, entry] },
      { table: 'estimate_decided_received', key: [...cohort, receivedOn] },
    ];
  }
  if (state.phase !== 'pending') return [];
  return [{ table: 'estimate_pending', key: [...cohort, receivedOn, addDays(receivedOn, entryDays)] }];
}

/** The gap a step ended with, when applying an event took the case from `before` to another public status. */
export function stepGapOf(before: CaseFold, after: CaseFold): EstimateCount | null {
  const step = statusCodeOf(before);
  const { agency, formType, office } = before.state;
  if (step === null || statusCodeOf(after) === step || !agency || !formType || !office) return null;
  const reached = before.stepSince ?? before.lastChangedAt;
  if (!reached || !after.stepSince) return null;
  return { table: 'estimate_step_gaps', key: [agency, formType, office, step, daysBetween(reached, after.stepSince)] };
}

/** Net count changes per row, summed over a batch so each row is written once. */
export class EstimateDeltas {
  private readonly rows = new Map<string, { count: EstimateCount; delta: number }>();

  /** Moves a case's counts from its old state's rows to its new state's; unchanged rows cancel out. */
  move(before: readonly EstimateCount[], after: readonly EstimateCount[]): void {
    for (const count of before) this.add(count, -1);
    for (const count of after) this.add(count, 1);
  }

  add(count: EstimateCount, delta: number): void {
    const id = JSON.stringify([count.table, ...count.key]);
    const row = this.rows.get(id) ?? { count, delta: 0 };
    row.delta += delta;
    this.rows.set(id, row);
  }

  /** The rows of one table whose count changes, as key tuples with their delta. */
  changes(table: EstimateTable): { key: readonly (string | number)[]; delta: number }[] {
    return [...this.rows.values()].filter((row) => row.count.table === table && row.delta !== 0).map((row) => ({ key: row.count.key, delta: row.delta }));
  }
}

/**
 * Applies the deltas, one MERGE per table: a row that reaches zero is deleted, so the tables
 * hold exactly what a rebuild would. `cases > 0` is a table constraint: a count that would go
 * negative (a bug) fails the batch instead of skewing the estimates. Then each cohort whose
 * counts changed gets a new `estimate_cohort_version`, which readers cache its counts by.
 */
export async function writeEstimateCounts(client: PoolClient, s: string, deltas: EstimateDeltas): Promise<void> {
  const cohorts = new Map<string, readonly (string | number)[]>();
  for (const table of Object.keys(ESTIMATE_TABLES) as EstimateTable[]) {
    const changes = deltas.changes(table);
    if (changes.length === 0) continue;
    for (const { key } of changes) cohorts.set(JSON.stringify(key.slice(0, 3)), key.slice(0, 3));
    const columns = [...COHORT_COLUMNS.map((name) => [name, 'text'] as const), ...ESTIMATE_TABLES[table]];
    const values = columns.map((_, i) => changes.map((change) => change.key[i]));
    values.push(changes.map((change) => change.delta));
    const source = `unnest(${columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')}, $${columns.length + 1}::integer[]) AS s(${columns.map(([name]) => name).join(', ')}, delta)`;
    await client.query(
      `MERGE INTO ${s}.${table} AS t USING (SELECT * FROM ${source}) AS s
       ON ${columns.map(([name]) => `t.${name} = s.${name}`).join(' AND ')}
       WHEN MATCHED AND t.cases + s.delta = 0 THEN DELETE
       WHEN MATCHED THEN UPDATE SET cases = t.cases + s.delta
       WHEN NOT MATCHED THEN INSERT (${columns.map(([name]) => name).join(', ')}, cases) VALUES (${columns.map(([name]) => `s.${name}`).join(', ')}, s.delta)`,
      values,
    );
  }
  if (cohorts.size === 0) return;
  const changed = [...cohorts.values()];
  await client.query(
    `INSERT INTO ${s}.estimate_cohort_version AS v (agency, form_type, office, version)
     SELECT agency, form_type, office, 1 FROM unnest($1::text[], $2::text[], $3::text[]) AS c(agency, form_type, office)
     ON CONFLICT (agency, form_type, office) DO UPDATE SET version = v.version + 1`,
    [0, 1, 2].map((i) => changed.map((cohort) => cohort[i])),
  );
}
