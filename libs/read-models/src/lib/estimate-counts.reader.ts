import type { Pool } from 'pg';
import type { CohortCounts, Day, DayHistogram } from '@case-status/processing-time';
import type { CohortKey } from './read-model.queries';

/** A cohort's estimate counts (see `CohortCounts`), with every step's gaps. */
export interface CohortCountsWithGaps extends CohortCounts {
  gaps: ReadonlyMap<string, DayHistogram>;
}

/** The case facts an estimate needs, and the stamp of its cohort's counts. */
export interface EstimateCaseRow {
  agency: string;
  form_type: string;
  office: string;
  received_at_text: string;
  decided_at: string | null;
  is_pending: boolean;
  status_code: string;
  step_since: string;
  /** `<table oid>:<version>` of the cohort's counts; null while the cohort has none. */
  stamp: string | null;
  /**
   * The stamp of the counts of every office of the case's agency and form (`<table oid>:<sum of
   * versions>:<offices>`): it changes whenever any of them does. Null while none has counts.
   */
  form_stamp: string | null;
}

const EPOCH = `DATE '1970-01-01'`;
const MAX_CACHED = 2_000;

/**
 * The columns of `EstimateCaseRow` that are not columns of `case_status` as they are (all but
 * cohort, receipt time and status code), for a query over it aliased `c`: the case's decision
 * time, whether it is pending, since when it is at its step, its cohort's stamp and its form's.
 */
export function estimateFactColumns(s: string, c: string): string {
  return `${c}.decision ->> 'decidedAt' AS decided_at, ${c}.is_pending,
    coalesce(${c}.fold ->> 'stepSince', ${c}.last_changed_at) AS step_since,
    (SELECT v.tableoid::bigint || ':' || v.version FROM ${s}.estimate_cohort_version v
     WHERE v.agency = ${c}.agency AND v.form_type = ${c}.form_type AND v.office = ${c}.office) AS stamp,
    (SELECT min(v.tableoid::bigint) || ':' || sum(v.version) || ':' || count(*) FROM ${s}.estimate_cohort_version v
     WHERE v.agency = ${c}.agency AND v.form_type = ${c}.form_type) AS form_stamp`;
}

/** Rows as JSON arrays of whole numbers (dates as days since 1970-01-01). */
function rowsJson(table: string, fields: string[], condition: string): string {
  return `(SELECT coalesce(json_agg(json_build_array(${fields.join(', ')}, cases)), '[]') FROM ${table} WHERE ${condition})`;
}

/**
 * Reads the estimate counts of a cohort, and keeps them while the cohort's version stays:
 * the projector gives a cohort a new version in the same transaction that changes any of its
 * counts, and the version row lives in a table a rebuild replaces (its oid is in the stamp),
 * so a kept copy is never older than what the database holds for the version it was read
 * with. A lookup then costs one index probe for the case and one for the version.
 */
export class EstimateCountsReader {
  private readonly cache = new Map<string, { stamp: string; counts: CohortCountsWithGaps }>();

  constructor(
    private readonly pool: Pool,
    /** The quoted schema. */
    private readonly s: string,
    private readonly statementName: (query: string) => string,
  ) {}

  /** The case (by receipt number) with its cohort's stamp, or undefined for an unknown one. */
  async caseRow(receiptNumber: string): Promise<EstimateCaseRow | undefined> {
    const { rows } = await this.pool.query<EstimateCaseRow>({
      name: this.statementName('estimate-case'),
      text: `SELECT c.agency, c.form_type, c.office, c.received_at_text, c.status_code, ${estimateFactColumns(this.s, 'c')}
             FROM ${this.s}.case_status c WHERE c.receipt_number = $1 AND c.status_code IS NOT NULL ORDER BY c.agency LIMIT 1`,
      values: [receiptNumber],
    });
    return rows[0];
  }

  /** The stamp of the cohort's counts now; null while it has none. */
  async stamp(cohort: CohortKey): Promise<string | null> {
    const { rows } = await this.pool.query<{ stamp: string }>({
      name: this.statementName('estimate-stamp'),
      text: `SELECT v.tableoid::bigint || ':' || v.version AS stamp FROM ${this.s}.estimate_cohort_version v WHERE v.agency = $1 AND v.form_type = $2 AND v.office = $3`,
      values: [cohort.agency, cohort.formType, cohort.office],
    });
    return rows[0]?.stamp ?? null;
  }

  /** Every office of an agency's form that has counts, with the stamp of its counts, by office. */
  async formOffices(agency: string, formType: string): Promise<{ office: string; stamp: string }[]> {
    const { rows } = await this.pool.query<{ office: string; stamp: string }>({
      name: this.statementName('estimate-form-offices'),
      text: `SELECT v.office, v.tableoid::bigint || ':' || v.version AS stamp FROM ${this.s}.estimate_cohort_version v WHERE v.agency = $1 AND v.form_type = $2 ORDER BY v.office`,
      values: [agency, formType],
    });
    return rows;
  }

  /** The cohort's counts with decisions listed by day from `recentFrom` on; `stamp` as read just before. */
  async counts(cohort: CohortKey, recentFrom: Day, stamp: string | null): Promise<CohortCountsWithGaps> {
    if (stamp === null) return emptyCounts(recentFrom);
    const key = JSON.stringify([cohort.agency, cohort.formType, cohort.office, recentFrom]);
    const kept = this.cache.get(key);
    if (kept?.stamp === stamp) return kept.counts;
    const read = await this.read(cohort, recentFrom);
    if (read.stamp !== null) this.keep(key, read.stamp, read.counts);
    return read.counts;
  }

  private keep(key: string, stamp: string, counts: CohortCountsWithGaps): void {
    this.cache.delete(key);
    this.cache.set(key, { stamp, counts });
    // Least recently read first: drop the oldest once there are too many.
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async read(cohort: CohortKey, recentFrom: Day): Promise<{ stamp: string | null; counts: CohortCountsWithGaps }> {
    const s = this.s;
    const of = (alias: string) => `${alias}.agency = $1 AND ${alias}.form_type = $2 AND ${alias}.office = $3`;
    const day = (column: string) => `${column} - ${EPOCH}`;
    const { rows } = await this.pool.query<{
      stamp: string | null;
      pending: [number, number, number][];
      durations: [number, number, number][];
      recent: [number, number, number, number][];
      received: [number, number][];
      by_day: [number, number][];
      gaps: [string, number, number][];
    }>({
      name: this.statementName('estimate-counts'),
      // One statement, so the counts are those of the version read with them.
      text: `SELECT (SELECT v.tableoid::bigint || ':' || v.version FROM ${s}.estimate_cohort_version v WHERE ${of('v')}) AS stamp,
        ${rowsJson(`${s}.estimate_pending p`, [day('p.received_on'), day('p.entry_on')], of('p'))} AS pending,
        ${rowsJson(`${s}.estimate_durations d`, ['d.duration_days', 'd.entry_days'], of('d'))} AS durations,
        ${rowsJson(`${s}.estimate_decided r`, [day('r.decided_on'), 'r.duration_days', 'r.entry_days'], `${of('r')} AND r.decided_on >= ${EPOCH} + $4::int`)} AS recent,
        ${rowsJson(`${s}.estimate_decided_received x`, [day('x.received_on')], of('x'))} AS received,
        (SELECT coalesce(json_agg(json_build_array(b.day, b.cases)), '[]') FROM (
           SELECT ${day('r.decided_on')} AS day, sum(r.cases)::int AS cases FROM ${s}.estimate_decided r WHERE ${of('r')} GROUP BY r.decided_on) b) AS by_day,
        ${rowsJson(`${s}.estimate_step_gaps g`, ['g.step', 'g.gap_days'], of('g'))} AS gaps`,
      values: [cohort.agency, cohort.formType, cohort.office, recentFrom],
    });
    const row = rows[0];
    const gaps = new Map<string, { days: number; count: number }[]>();
    for (const [step, days, count] of row.gaps) gaps.set(step, [...(gaps.get(step) ?? []), { days, count }]);
    return {
      stamp: row.stamp,
      counts: {
        pending: row.pending.map(([receivedAt, observedFrom, count]) => ({ receivedAt, observedFrom, count })),
        durations: row.durations.map(([durationDays, entryDays, count]) => ({ durationDays, entryDays, count })),
        recentFrom,
        recent: row.recent.map(([decidedAt, durationDays, entryDays, count]) => ({ decidedAt, durationDays, entryDays, count })),
        decidedByReceipt: row.received.map(([receivedAt, count]) => ({ receivedAt, count })),
        decidedByDay: row.by_day.map(([decidedAt, count]) => ({ decidedAt, count })),
        gaps,
      },
    };
  }
}

function emptyCounts(recentFrom: Day): CohortCountsWithGaps {
  return { pending: [], durations: [], recentFrom, recent: [], decidedByReceipt: [], decidedByDay: [], gaps: new Map() };
}
