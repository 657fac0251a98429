import { isIsoDate, isIsoDateTime, PUBLIC_STATUS_CODES, type Bilingual, type DecisionOutcome, type PublicStatusCode, type PublicStep } from '@case-status/case-domain';
import { Pool } from 'pg';
import { guardPool } from '@case-status/postgres-support';
import { dayFromIso, observationsFromCounts, staleness, pooledCohortCounts, poolingMayAnswer, queueClockOfCounts, type CohortCounts, type Day, type PeersOf } from '@case-status/processing-time';
import { caseDays, servedCaseEstimate, servedCohortEstimate, servedCountsWindowDays, servedPeerWindowDays, type ServedCohort } from './case-estimate';
import { addDays, AGING_BUCKETS, percentileOfHistogram, utcDate } from './cohort-statistics';
import { estimateFactColumns, EstimateCountsReader, type EstimateCaseRow } from './estimate-counts.reader';
import { decodeCursor, encodeCursor } from './cursor';
import { InvalidQueryArgumentError } from './query-errors';
import { ServedEstimateRecord, type EstimateAccuracyMonthView } from './served-estimates.record';
import { weeklyCaseFlow } from './weekly-case-flow.projection';
import type {
  AgencyCohortFilter,
  BacklogRowView,
  CaseEstimateView,
  CaseListFilter,
  CaseLookupParts,
  CaseLookupView,
  CasePage,
  CaseStatusView,
  CohortEstimateView,
  CohortKey,
  HistoryEntryView,
  OpenEvidenceRequestView,
  ProcessingTimesView,
  ReadModelQueries,
  StaleCaseView,
  UpcomingAppointmentView,
  WeeklyFlowView,
} from './read-model.queries';
import { assertSchemaName, quoteIdent } from './sql';

export interface PostgresReadModelsOptions {
  /** A pool to use (never ended here), or a connection string (its pool is ended by `close`). */
  connection: Pool | string;
  /** Default `read_models`. */
  schema?: string;
  /** The record of served estimates (`ServedEstimateRecord`); default `served_estimates`. */
  servedSchema?: string;
  /** The weekly case flow projection's schema; default `weekly_case_flow`. */
  flowSchema?: string;
}

/** Largest page `listCases` serves; larger requests are refused rather than silently cut. */
const MAX_PAGE_SIZE = 100;
/** Most weeks `weeklyFlow` answers (two years), and most cases `staleCases` lists. */
const MAX_FLOW_WEEKS = 104;
const MAX_STALE_CASES = 500;
/** Longest trailing window `processingTimes` accepts, in days (ten years). */
const MAX_WINDOW_DAYS = 3_650;

interface CaseRow {
  agency: string;
  receipt_number: string;
  form_type: string;
  office: string;
  step: PublicStep;
  status_code: PublicStatusCode;
  status_text: Bilingual;
  next_step: Bilingual;
  received_at_text: string;
  last_changed_at: string;
  decision: { outcome: DecisionOutcome; decidedAt: string } | null;
  open_evidence_requests: OpenEvidenceRequestView[];
  upcoming_appointments: UpcomingAppointmentView[];
  revision: string;
  received_micros: string;
}

const CASE_COLUMNS = `agency, receipt_number, form_type, office, step, status_code, status_text, next_step, received_at_text, last_changed_at,
  decision, open_evidence_requests, upcoming_appointments, public_revision::text AS revision, (extract(epoch FROM received_at) * 1000000)::bigint::text AS received_micros`;

/**
 * `ReadModelQueries` over the tables the projector keeps. Every query is an index lookup or
 * an index range scan: no answer depends on the number of cases outside what it returns
 * (processing times and backlogs read the cohort tables, never the cases).
 */
/** Estimates kept between lookups (each a few kilobytes). */
const MAX_KEPT_ESTIMATES = 20_000;

export class PostgresReadModels implements ReadModelQueries {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly s: string;
  private readonly flow: string;
  private readonly estimateCounts: EstimateCountsReader;
  /** The record of what these estimates told people, sampled daily, and its published accuracy. */
  readonly served: ServedEstimateRecord;
  /**
   * Estimates already computed, by everything they depend on: the cohort's counts version
   * (a new one with every change), the day, and the case's own facts. One that asked the
   * form's other offices (`poolingMayAnswer`) depends on theirs too, and is kept with the
   * form's stamp it was computed at. A case looked up again before its cohort (or form)
   * changes costs no recomputation. Least recently used first out.
   */
  private readonly estimates = new Map<string, { estimate: CaseEstimateView | null; formStamp: string | null }>();

  /** One round trip to the read models' database, for readiness. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  constructor(options: PostgresReadModelsOptions) {
    this.schema = options.schema ?? 'read_models';
    assertSchemaName(this.schema);
    this.s = quoteIdent(this.schema);
    const flowSchema = options.flowSchema ?? weeklyCaseFlow.schema;
    assertSchemaName(flowSchema);
    this.flow = quoteIdent(flowSchema);
    this.ownsPool = typeof options.connection === 'string';
    this.pool = guardPool(typeof options.connection === 'string' ? new Pool({ connectionString: options.connection }) : options.connection);
    this.estimateCounts = new EstimateCountsReader(this.pool, this.s, (query) => this.statementName(query));
    this.served = new ServedEstimateRecord({ connection: this.pool, schema: options.servedSchema, readModels: this });
  }

  async estimateAccuracy(agency: string, formType: string): Promise<EstimateAccuracyMonthView[]> {
    return this.served.accuracy(agency, formType);
  }

  async caseStatus(receiptNumber: string): Promise<CaseStatusView | null> {
    assertText('receiptNumber', receiptNumber);
    const { rows } = await this.pool.query<CaseRow>({
      name: this.statementName('case-status'),
      text: `SELECT ${CASE_COLUMNS} FROM ${this.s}.case_status WHERE receipt_number = $1 AND status_code IS NOT NULL ORDER BY agency LIMIT 1`,
      values: [receiptNumber],
    });
    return rows.length === 1 ? toView(rows[0]) : null;
  }

  async caseHistory(receiptNumber: string): Promise<HistoryEntryView[]> {
    assertText('receiptNumber', receiptNumber);
    const { rows } = await this.pool.query<{ event_id: string; event_type: string; occurred_at_text: string; step: PublicStep; title: Bilingual }>({
      name: this.statementName('case-history'),
      text: `SELECT h.event_id, h.event_type, h.occurred_at_text, h.step, h.title
       FROM ${this.s}.case_history h
       WHERE h.stream_id = (SELECT stream_id FROM ${this.s}.case_status WHERE receipt_number = $1 AND status_code IS NOT NULL ORDER BY agency LIMIT 1)
       ORDER BY h.occurred_at, h.revision`,
      values: [receiptNumber],
    });
    return rows.map((row) => ({ eventId: row.event_id, eventType: row.event_type, occurredAt: row.occurred_at_text, step: row.step, title: row.title }));
  }

  /**
   * One statement: the case row, its history as one JSON array when asked, and the facts its
   * estimate needs with its cohort's stamp. The estimate itself is then the kept one, or is
   * computed from the cohort's kept counts (read only when the cohort changed).
   */
  async caseLookup(receiptNumber: string, parts: CaseLookupParts): Promise<CaseLookupView | null> {
    assertText('receiptNumber', receiptNumber);
    if (parts.estimateAsOf !== undefined) assertDate('asOf', parts.estimateAsOf);
    const { rows } = await this.pool.query<CaseRow & EstimateCaseRow & { history: [string, string, string, PublicStep, Bilingual][] | null }>({
      name: this.statementName('case-lookup'),
      text: `SELECT ${CASE_COLUMNS}, ${estimateFactColumns(this.s, 'c')},
         CASE WHEN $2 THEN (SELECT coalesce(json_agg(json_build_array(h.event_id, h.event_type, h.occurred_at_text, h.step, h.title) ORDER BY h.occurred_at, h.revision), '[]')
                            FROM ${this.s}.case_history h WHERE h.stream_id = c.stream_id) END AS history
       FROM ${this.s}.case_status c WHERE c.receipt_number = $1 AND c.status_code IS NOT NULL ORDER BY c.agency LIMIT 1`,
      values: [receiptNumber, parts.history === true],
    });
    if (rows.length === 0) return null;
    const row = rows[0];
    const lookup: CaseLookupView = { status: toView(row) };
    if (parts.history) lookup.history = (row.history ?? []).map(([eventId, eventType, occurredAt, step, title]) => ({ eventId, eventType, occurredAt, step, title }));
    if (parts.estimateAsOf !== undefined) lookup.estimate = await this.estimateOf(row, parts.estimateAsOf);
    return lookup;
  }

  async processingTimes(cohort: CohortKey, options: { asOf: Date; windowDays: number }): Promise<ProcessingTimesView> {
    assertCohort(cohort);
    assertDate('asOf', options.asOf);
    assertWindowDays(options.windowDays);
    const windowEnd = utcDate(options.asOf);
    const windowStart = addDays(windowEnd, -(options.windowDays - 1));
    const key = [cohort.agency, cohort.formType, cohort.office];
    const [histogram, pending] = await Promise.all([
      this.pool.query<{ days: number; cases: number }>(
        `SELECT duration_days AS days, sum(cases)::int AS cases FROM ${this.s}.cohort_completed
         WHERE agency = $1 AND form_type = $2 AND office = $3 AND decided_on BETWEEN $4::date AND $5::date
         GROUP BY duration_days`,
        [...key, windowStart, windowEnd],
      ),
      this.pool.query<{ cases: number }>(
        `SELECT coalesce(sum(cases), 0)::int AS cases FROM ${this.s}.cohort_pending
         WHERE agency = $1 AND form_type = $2 AND office = $3 AND received_on <= $4::date`,
        [...key, windowEnd],
      ),
    ]);
    const rows = histogram.rows;
    return {
      cohort: { agency: cohort.agency, formType: cohort.formType, office: cohort.office },
      windowStart,
      windowEnd,
      completedCount: rows.reduce((sum, row) => sum + row.cases, 0),
      medianDays: percentileOfHistogram(rows, 0.5),
      p80Days: percentileOfHistogram(rows, 0.8),
      p93Days: percentileOfHistogram(rows, 0.93),
      pendingCount: pending.rows[0].cases,
    };
  }

  async caseEstimate(receiptNumber: string, asOf: Date): Promise<CaseEstimateView | null> {
    assertText('receiptNumber', receiptNumber);
    assertDate('asOf', asOf);
    const row = await this.estimateCounts.caseRow(receiptNumber);
    return row ? this.estimateOf(row, asOf) : null;
  }

  private async estimateOf(row: EstimateCaseRow, asOf: Date): Promise<CaseEstimateView | null> {
    const asOfDay = dayFromIso(utcDate(asOf));
    const cohort = { agency: row.agency, formType: row.form_type, office: row.office };
    const target = { receivedAt: row.received_at_text, decidedAt: row.decided_at, pending: row.is_pending, statusCode: row.status_code, stepSince: row.step_since };
    const key = row.stamp === null ? null : JSON.stringify([row.agency, row.form_type, row.office, row.stamp, asOfDay, target]);
    const kept = key === null ? undefined : this.estimates.get(key);
    if (key !== null && kept !== undefined && (kept.formStamp === null || kept.formStamp === row.form_stamp)) {
      this.estimates.delete(key);
      this.estimates.set(key, kept);
      return kept.estimate;
    }
    const recentFrom = asOfDay - servedCountsWindowDays() + 1;
    const counts = await this.estimateCounts.counts(cohort, recentFrom, row.stamp);
    const peersOf = { receivedAt: caseDays(target).receivedAt, windowDays: servedPeerWindowDays() };
    const gaps = counts.gaps.get(row.status_code) ?? [];
    let estimate = servedCaseEstimate(target, servedCohortOf(counts, peersOf), gaps, asOfDay);
    // Pooling comes before a longer period (`estimateCasesPooled`): a case its own recent data
    // could not date, whether or not its own longer period did, asks the form's pool too.
    const borrows = estimate !== null && (estimate.window === 'extended' || poolingMayAnswer(estimate));
    if (borrows) {
      const pool = await this.formCounts(row.agency, row.form_type, recentFrom);
      if (pool !== null) estimate = servedCaseEstimate(target, servedCohortOf(counts, peersOf), gaps, asOfDay, servedCohortOf(pool, peersOf));
    }
    if (key !== null) {
      this.estimates.set(key, { estimate, formStamp: borrows ? row.form_stamp : null });
      if (this.estimates.size > MAX_KEPT_ESTIMATES) this.estimates.delete(this.estimates.keys().next().value as string);
    }
    return estimate;
  }

  /**
   * The counts of every office of one agency's form added up (the pool of `estimateCasesPooled`),
   * each office's read as `counts` keeps them; null when the form has fewer than two offices
   * with counts (one office has nothing to borrow from).
   */
  private async formCounts(agency: string, formType: string, recentFrom: Day): Promise<CohortCounts | null> {
    const offices = await this.estimateCounts.formOffices(agency, formType);
    if (offices.length < 2) return null;
    const counts: CohortCounts[] = [];
    for (const { office, stamp } of offices) counts.push(await this.estimateCounts.counts({ agency, formType, office }, recentFrom, stamp));
    return pooledCohortCounts(counts);
  }

  async cohortEstimate(cohort: CohortKey, options: { asOf: Date; windowDays: number }): Promise<CohortEstimateView> {
    assertCohort(cohort);
    assertDate('asOf', options.asOf);
    assertWindowDays(options.windowDays);
    const asOfDay = dayFromIso(utcDate(options.asOf));
    const key = { agency: cohort.agency, formType: cohort.formType, office: cohort.office };
    const counts = await this.estimateCounts.counts(key, asOfDay - servedCountsWindowDays(options.windowDays) + 1, await this.estimateCounts.stamp(key));
    return { cohort: key, ...servedCohortEstimate(observationsFromCounts(counts), asOfDay, options.windowDays) };
  }

  async backlog(filter: { agency: string; formType?: string; office?: string }, asOf: Date): Promise<BacklogRowView[]> {
    assertDate('asOf', asOf);
    const today = utcDate(asOf);
    const params: unknown[] = [filter.agency, today];
    const where = [...cohortConditions(filter, params), 'received_on <= $2::date'].join(' AND ');
    const buckets = AGING_BUCKETS.map((bucket, i) => {
      const lower = i === 0 ? '' : `($2::date - received_on) > ${AGING_BUCKETS[i - 1].upTo}`;
      const upper = Number.isFinite(bucket.upTo) ? `($2::date - received_on) <= ${bucket.upTo}` : '';
      const condition = [lower, upper].filter(Boolean).join(' AND ');
      return `coalesce(sum(cases) FILTER (WHERE ${condition}), 0)::int AS "${bucket.key}"`;
    });
    // The oldest pending case of a group that has any received by asOf was itself received by
    // then, so it is looked up without the date condition (one step down a partial index).
    const { rows } = await this.pool.query<{ form_type: string; office: string; pending: number; oldest: string | null } & BacklogRowView['aging']>(
      `SELECT g.*, (SELECT c.received_at_text FROM ${this.s}.case_status c
                    WHERE c.is_pending AND c.agency = $1 AND c.form_type = g.form_type AND c.office = g.office
                    ORDER BY c.received_at LIMIT 1) AS oldest
       FROM (SELECT form_type, office, sum(cases)::int AS pending, ${buckets.join(', ')}
             FROM ${this.s}.cohort_pending WHERE ${where}
             GROUP BY form_type, office HAVING sum(cases) > 0) g
       ORDER BY g.form_type, g.office`,
      params,
    );
    return rows.map((row) => ({
      agency: filter.agency,
      formType: row.form_type,
      office: row.office,
      pendingCount: row.pending,
      aging: { upTo30: row.upTo30, upTo90: row.upTo90, upTo180: row.upTo180, upTo365: row.upTo365, over365: row.over365 },
      oldestReceivedAt: row.oldest,
    }));
  }

  async weeklyFlow(filter: AgencyCohortFilter, weeks: number, asOf: Date): Promise<WeeklyFlowView[]> {
    assertDate('asOf', asOf);
    if (!Number.isSafeInteger(weeks) || weeks < 1 || weeks > MAX_FLOW_WEEKS) throw new InvalidQueryArgumentError('weeks', `must be a whole number from 1 to ${MAX_FLOW_WEEKS}, got ${weeks}`);
    const params: unknown[] = [filter.agency, utcDate(asOf), weeks];
    const where = cohortConditions(filter, params).join(' AND ');
    const { rows } = await this.pool.query<WeeklyFlowView>(
      `WITH weeks AS (
         SELECT monday::date AS monday, to_char(monday, 'IYYY-"W"IW') AS week
         FROM generate_series(date_trunc('week', $2::date) - ($3::int - 1) * interval '1 week', date_trunc('week', $2::date), interval '1 week') AS monday
       ), flow AS (
         SELECT week, sum(received)::int AS received, sum(decided)::int AS decided FROM ${this.flow}.weekly_flow
         WHERE ${where} AND week >= (SELECT min(week) FROM weeks) AND week <= (SELECT max(week) FROM weeks) GROUP BY week
       )
       SELECT w.week, to_char(w.monday, 'YYYY-MM-DD') AS "weekStart", coalesce(f.received, 0) AS received, coalesce(f.decided, 0) AS decided
       FROM weeks w LEFT JOIN flow f USING (week) ORDER BY w.monday`,
      params,
    );
    return rows;
  }

  async staleCases(filter: AgencyCohortFilter, first: number, asOf: Date): Promise<StaleCaseView[]> {
    assertDate('asOf', asOf);
    if (!Number.isSafeInteger(first) || first < 1 || first > MAX_STALE_CASES) throw new InvalidQueryArgumentError('first', `must be a whole number from 1 to ${MAX_STALE_CASES}, got ${first}`);
    const asOfDay = dayFromIso(utcDate(asOf));
    // How long each status usually lasts in each cohort, from the estimates' step gaps, read
    // the way a case's estimate reads them (staleness): only statuses with enough gaps seen.
    const gapParams: unknown[] = [filter.agency];
    const { rows: gapRows } = await this.pool.query<{ form_type: string; office: string; step: string; gaps: [number, number][] }>(
      `SELECT form_type, office, step, json_agg(json_build_array(gap_days, cases)) AS gaps FROM ${this.s}.estimate_step_gaps
       WHERE ${cohortConditions(filter, gapParams).join(' AND ')} GROUP BY form_type, office, step`,
      gapParams,
    );
    const usual = gapRows.flatMap((row) => {
      const signal = staleness({ step: row.step, since: asOfDay, usualGaps: row.gaps.map(([days, count]) => ({ days, count })) }, asOfDay);
      return signal.stale === null || signal.usualGap === null ? [] : [{ formType: row.form_type, office: row.office, step: row.step, ...signal.usualGap }];
    });
    if (usual.length === 0) return [];
    // Pending cases past their status's 90th percentile, most unusual (days over the median) first.
    const { rows } = await this.pool.query<{ receipt_number: string; form_type: string; office: string; status_code: PublicStatusCode; step_since: string; days: number; median_days: number; p90_days: number; sample_size: number }>(
      `WITH usual AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS u("formType" text, office text, step text, "medianDays" int, "p90Days" int, "sampleSize" int)
       ), cases AS (
         SELECT c.receipt_number, c.form_type, c.office, c.status_code, coalesce(c.fold ->> 'stepSince', c.last_changed_at) AS step_since,
                u."medianDays" AS median_days, u."p90Days" AS p90_days, u."sampleSize" AS sample_size
         FROM usual u JOIN ${this.s}.case_status c
           ON c.is_pending AND c.agency = $1 AND c.form_type = u."formType" AND c.office = u.office AND c.status_code = u.step
       )
       SELECT *, ($3::date - left(step_since, 10)::date) AS days FROM cases
       WHERE ($3::date - left(step_since, 10)::date) > p90_days
       ORDER BY ($3::date - left(step_since, 10)::date)::float8 / greatest(median_days, 1) DESC, receipt_number
       LIMIT $4`,
      [filter.agency, JSON.stringify(usual), utcDate(asOf), first],
    );
    return rows.map((row) => ({
      receiptNumber: row.receipt_number,
      formType: row.form_type,
      office: row.office,
      statusCode: row.status_code,
      stepSince: row.step_since,
      daysAtStep: row.days,
      usualMedianDays: row.median_days,
      usualP90Days: row.p90_days,
      sampleSize: row.sample_size,
      timesUsual: Math.round((row.days / Math.max(row.median_days, 1)) * 10) / 10,
    }));
  }

  async listCases(filter: CaseListFilter, page: { first: number; after?: string }): Promise<CasePage> {
    assertText('agency', filter.agency);
    if (!Number.isSafeInteger(page.first) || page.first < 1 || page.first > MAX_PAGE_SIZE) {
      throw new InvalidQueryArgumentError('first', `must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${page.first}`);
    }
    const params: unknown[] = [filter.agency];
    const where = ['agency = $1', 'status_code IS NOT NULL'];
    if (filter.formType !== undefined) where.push(`form_type = $${params.push(assertText('formType', filter.formType))}`);
    if (filter.office !== undefined) where.push(`office = $${params.push(assertText('office', filter.office))}`);
    if (filter.statusCode !== undefined) {
      if (!(PUBLIC_STATUS_CODES as readonly string[]).includes(filter.statusCode)) {
        throw new InvalidQueryArgumentError('statusCode', `"${filter.statusCode}" is not a status code; use one of ${PUBLIC_STATUS_CODES.join(', ')}`);
      }
      where.push(`status_code = $${params.push(filter.statusCode)}`);
    }
    if (filter.pending !== undefined) where.push(`is_pending = $${params.push(filter.pending === true)}`);
    if (filter.receivedFrom !== undefined) where.push(`received_at >= $${params.push(lowerBound('receivedFrom', filter.receivedFrom))}::timestamptz`);
    if (filter.receivedTo !== undefined) {
      const bound = upperBound('receivedTo', filter.receivedTo);
      where.push(`received_at ${bound.inclusive ? '<=' : '<'} $${params.push(bound.at)}::timestamptz`);
    }
    if (page.after !== undefined) {
      const cursor = decodeCursor(page.after);
      const micros = params.push(cursor.receivedAtMicros.toString());
      const receipt = params.push(cursor.receiptNumber);
      where.push(`(received_at, receipt_number) > (to_timestamp(0) + $${micros}::bigint * interval '1 microsecond', $${receipt})`);
    }
    const { rows } = await this.pool.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM ${this.s}.case_status WHERE ${where.join(' AND ')}
       ORDER BY received_at, receipt_number LIMIT ${page.first + 1}`,
      params,
    );
    const edges = rows.slice(0, page.first).map((row) => ({
      cursor: encodeCursor({ receivedAtMicros: BigInt(row.received_micros), receiptNumber: row.receipt_number }),
      node: toView(row),
    }));
    return { edges, pageInfo: { hasNextPage: rows.length > page.first, endCursor: edges.length > 0 ? edges[edges.length - 1].cursor : null } };
  }

  /**
   * The public lookups run as named statements, so each connection parses and plans them once:
   * planning costs PostgreSQL more than these index lookups themselves (benchmarks/query.bench.ts).
   * A rebuild's schema swap still takes effect at once: renaming a schema makes PostgreSQL
   * re-resolve the table names of prepared statements. The name carries the schema because
   * a pool may serve several schemas, and pg refuses one name for two texts.
   */
  private statementName(query: string): string {
    return `read-models:${this.schema}:${query}`;
  }

  /** Ends the pool only if this object created it. */
  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }
}

/** A cohort's counts as the served estimate of the case `peersOf` reads them. */
function servedCohortOf(counts: CohortCounts, peersOf: PeersOf): ServedCohort {
  return { observations: observationsFromCounts(counts, peersOf), queueClockAt: (day) => queueClockOfCounts(counts, day) };
}

function toView(row: CaseRow): CaseStatusView {
  return {
    agency: row.agency,
    receiptNumber: row.receipt_number,
    formType: row.form_type,
    office: row.office,
    step: row.step,
    statusCode: row.status_code,
    statusText: row.status_text,
    nextStep: row.next_step,
    receivedAt: row.received_at_text,
    lastChangedAt: row.last_changed_at,
    decision: row.decision,
    openEvidenceRequests: row.open_evidence_requests,
    upcomingAppointments: row.upcoming_appointments,
    revision: row.revision,
  };
}

function assertText(argument: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new InvalidQueryArgumentError(argument, `must be a non-empty string of at most 200 characters, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** `agency = $1` (already in `params`) and the form type and office when the filter names them, added to `params`. */
function cohortConditions(filter: AgencyCohortFilter, params: unknown[]): string[] {
  assertText('agency', filter.agency);
  const conditions = ['agency = $1'];
  if (filter.formType !== undefined) conditions.push(`form_type = $${params.push(assertText('formType', filter.formType))}`);
  if (filter.office !== undefined) conditions.push(`office = $${params.push(assertText('office', filter.office))}`);
  return conditions;
}

function assertCohort(cohort: CohortKey): void {
  assertText('cohort.agency', cohort?.agency);
  assertText('cohort.formType', cohort?.formType);
  assertText('cohort.office', cohort?.office);
}

function assertWindowDays(windowDays: number): void {
  if (!Number.isSafeInteger(windowDays) || windowDays < 1 || windowDays > MAX_WINDOW_DAYS) {
    throw new InvalidQueryArgumentError('windowDays', `must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}, got ${windowDays}`);
  }
}

function assertDate(argument: string, value: Date): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new InvalidQueryArgumentError(argument, 'must be a valid Date');
}

/** A date means from the start of that day (UTC); a timestamp, from that instant. */
function lowerBound(argument: string, value: string): string {
  if (isIsoDate(value)) return `${value}T00:00:00Z`;
  if (isIsoDateTime(value)) return value;
  throw new InvalidQueryArgumentError(argument, `"${value}" is neither a date (2026-01-31) nor a timestamp with offset (2026-01-31T09:00:00Z)`);
}

/** A date means through the end of that day (UTC); a timestamp, up to and including that instant. */
function upperBound(argument: string, value: string): { at: string; inclusive: boolean } {
  if (isIsoDate(value)) return { at: `${addDays(value, 1)}T00:00:00Z`, inclusive: false };
  if (isIsoDateTime(value)) return { at: value, inclusive: true };
  throw new InvalidQueryArgumentError(argument, `"${value}" is neither a date (2026-01-31) nor a timestamp with offset (2026-01-31T09:00:00Z)`);
}
