import { Pool } from 'pg';
import { guardPool, inTransaction, migrateSchema, type SchemaMigration } from '@case-status/postgres-support';
import { dayFromIso, isoFromDay, servedAccuracy, type CaseEstimate, type ServedAccuracy } from '@case-status/processing-time';
import { utcDate } from './cohort-statistics';
import { InvalidQueryArgumentError } from './query-errors';
import { assertSchemaName, quoteIdent } from './sql';
import type { Logger } from '@case-status/logging';
import type { CaseEstimateView } from './read-model.queries';

/**
 * The record of served estimates: what the platform told people, kept apart from the
 * rebuildable read models (a rebuild replays the event store, and this record is not in it).
 * See docs/adr/0006-served-estimate-record.md and docs/processing-time.md, section 9.
 */

/** Pending cases sampled per cohort (agency, form, office) and day. */
const SERVED_SAMPLE_PER_COHORT_DAY = 20;
/** Months of accuracy the published table goes back. */
const ACCURACY_MONTHS = 24;

const SERVED_RECORD_MIGRATIONS: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'served estimates, their outcomes and their accuracy per form and month',
    sql: (schema) => {
      const s = quoteIdent(schema);
      return `
        -- One row per sampled case and day: the estimate as served that day, and the published-
        -- style dates for the same case. decided_on is the case's first decision, filled in by
        -- the scoring pass once the read models show it.
        CREATE TABLE ${s}.served_estimate (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL,
          as_of date NOT NULL,
          stream_id text NOT NULL,
          receipt_number text NOT NULL,
          received_on date NOT NULL,
          method text NOT NULL,
          time_scale text NOT NULL,
          pooled boolean NOT NULL,
          likely_by date, eighty_percent_by date,
          reasons text[] NOT NULL,
          published_likely_by date, published_eighty_percent_by date,
          decided_on date,
          PRIMARY KEY (agency, form_type, as_of, office, stream_id)
        );
        CREATE INDEX served_estimate_open ON ${s}.served_estimate (stream_id) WHERE decided_on IS NULL;
        -- A cohort's day is sampled once: the marker commits with its rows.
        CREATE TABLE ${s}.served_day (
          agency text NOT NULL, form_type text NOT NULL, office text NOT NULL, as_of date NOT NULL,
          pending integer NOT NULL, sampled integer NOT NULL,
          PRIMARY KEY (agency, form_type, office, as_of)
        );
        -- What is published: servedAccuracy of each form's month of served estimates.
        CREATE TABLE ${s}.served_accuracy (
          agency text NOT NULL, form_type text NOT NULL, month date NOT NULL,
          scored_through date NOT NULL,
          accuracy jsonb NOT NULL,
          -- Every case decided and every 80 % date come: no later pass can change the month.
          final boolean NOT NULL,
          PRIMARY KEY (agency, form_type, month)
        );
      `;
    },
  },
  {
    version: 2,
    name: 'whether a served estimate read a longer period than the recent one',
    // Rows recorded before estimates could widen their period all read the recent one.
    sql: (schema) => `ALTER TABLE ${quoteIdent(schema)}.served_estimate ADD COLUMN extended boolean NOT NULL DEFAULT false;`,
  },
];

/** One form's month of served estimates, scored with decisions known through `scoredThrough`. */
export interface EstimateAccuracyMonthView {
  agency: string;
  formType: string;
  /** `YYYY-MM`: the month the estimates were served in. */
  month: string;
  scoredThrough: string;
  accuracy: ServedAccuracy;
}

/** One sampled case's served estimate, as recorded. */
export interface ServedEstimateRowView {
  agency: string;
  formType: string;
  office: string;
  asOf: string;
  receiptNumber: string;
  method: string;
  timeScale: string;
  pooled: boolean;
  /** The dates came from a longer period than the recent one (`window: 'extended'`). */
  extended: boolean;
  likelyBy: string | null;
  eightyPercentBy: string | null;
  reasons: string[];
  publishedLikelyBy: string | null;
  publishedEightyPercentBy: string | null;
  decidedOn: string | null;
}

export interface ServedEstimateRecordOptions {
  /** A pool to use (never ended here), or a connection string (its pool is ended by `close`). */
  connection: Pool | string;
  /** Default `served_estimates`. */
  schema?: string;
  /** Where the samples' estimates come from: the same reader the status API serves them with (`PostgresReadModels`). */
  readModels: { schema: string; caseEstimate(receiptNumber: string, asOf: Date): Promise<CaseEstimateView | null> };
  sampleSize?: number;
}

interface SampledCase {
  agency: string;
  form_type: string;
  office: string;
  stream_id: string;
  receipt_number: string;
  pending: number;
}

/**
 * Samples, scores and publishes served estimates. `recordDay` and `score` are what the
 * projector's daily pass runs; `accuracy` is what the status API reads (one index range).
 */
export class ServedEstimateRecord {
  readonly schema: string;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly s: string;
  private readonly sampleSize: number;

  constructor(private readonly options: ServedEstimateRecordOptions) {
    this.schema = options.schema ?? 'served_estimates';
    assertSchemaName(this.schema);
    this.s = quoteIdent(this.schema);
    this.ownsPool = typeof options.connection === 'string';
    this.pool = guardPool(typeof options.connection === 'string' ? new Pool({ connectionString: options.connection }) : options.connection);
    this.sampleSize = options.sampleSize ?? SERVED_SAMPLE_PER_COHORT_DAY;
    if (!Number.isSafeInteger(this.sampleSize) || this.sampleSize < 1) throw new RangeError(`sampleSize must be a whole number of at least 1, got ${this.sampleSize}`);
  }

  async migrate(): Promise<void> {
    await migrateSchema(this.pool, this.schema, SERVED_RECORD_MIGRATIONS, 'served-estimates');
  }

  /**
   * Records the day's sample, for every cohort not yet sampled that day: up to `sampleSize`
   * pending cases, chosen by a hash of the day and the case's stream (the same cases whoever
   * asks, and whatever anyone looked up), with the estimate the status API serves for each
   * right now. Returns the estimates recorded; 0 when every cohort's day was recorded already.
   */
  async recordDay(at: Date): Promise<number> {
    const asOf = utcDate(at);
    const rm = quoteIdent(this.options.readModels.schema);
    const { rows } = await this.pool.query<SampledCase>(
      `SELECT k.agency, k.form_type, k.office, c.stream_id, c.receipt_number, k.pending
       FROM (SELECT agency, form_type, office, sum(cases)::int AS pending FROM ${rm}.estimate_pending GROUP BY agency, form_type, office) k
       CROSS JOIN LATERAL (
         SELECT c.stream_id, c.receipt_number FROM ${rm}.case_status c
         WHERE c.agency = k.agency AND c.form_type = k.form_type AND c.office = k.office AND c.is_pending
         ORDER BY md5($1 || ':' || c.stream_id), c.stream_id LIMIT $2) c
       WHERE NOT EXISTS (SELECT 1 FROM ${this.s}.served_day d
                         WHERE d.agency = k.agency AND d.form_type = k.form_type AND d.office = k.office AND d.as_of = $1::date)`,
      [asOf, this.sampleSize],
    );
    const cohorts = new Map<string, SampledCase[]>();
    for (const row of rows) {
      const key = JSON.stringify([row.agency, row.form_type, row.office]);
      cohorts.set(key, [...(cohorts.get(key) ?? []), row]);
    }
    let recorded = 0;
    for (const members of cohorts.values()) {
      const served: { row: SampledCase; estimate: CaseEstimate }[] = [];
      for (const row of members) {
        const estimate = await this.options.readModels.caseEstimate(row.receipt_number, at);
        if (estimate) served.push({ row, estimate });
      }
      recorded += await this.write(asOf, members[0], served);
    }
    return recorded;
  }

  private async write(asOf: string, cohort: SampledCase, served: readonly { row: SampledCase; estimate: CaseEstimate }[]): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const marked = await client.query(
        `INSERT INTO ${this.s}.served_day (agency, form_type, office, as_of, pending, sampled) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [cohort.agency, cohort.form_type, cohort.office, asOf, cohort.pending, served.length],
      );
      if (marked.rowCount === 0) return 0; // another instance recorded this cohort's day
      if (served.length === 0) return 0;
      await client.query(
        `INSERT INTO ${this.s}.served_estimate (agency, form_type, office, as_of, stream_id, receipt_number, received_on, method, time_scale, pooled, extended,
           likely_by, eighty_percent_by, reasons, published_likely_by, published_eighty_percent_by)
         SELECT agency, form_type, office, as_of, stream_id, receipt_number, received_on, method, time_scale, pooled, extended,
           likely_by, eighty_percent_by, reasons, published_likely_by, published_eighty_percent_by
         FROM jsonb_to_recordset($1::jsonb) AS r(agency text, form_type text, office text, as_of date, stream_id text, receipt_number text,
           received_on date, method text, time_scale text, pooled boolean, extended boolean, likely_by date, eighty_percent_by date, reasons text[],
           published_likely_by date, published_eighty_percent_by date)`,
        [JSON.stringify(served.map(({ row, estimate }) => servedRow(asOf, row, estimate)))],
      );
      return served.length;
    });
  }

  /**
   * Scores the record as of `at`: each sampled case the read models now show decided gets its
   * decision day (the first one seen: a reopened case keeps it), then the accuracy of every
   * form's month still open (a case undecided, or its 80 % date not yet come) or changed is
   * computed again with `servedAccuracy`, with decisions known through the day before `at`.
   */
  async score(at: Date): Promise<void> {
    const today = dayFromIso(utcDate(at));
    const scoredThrough = isoFromDay(today - 1);
    const rm = quoteIdent(this.options.readModels.schema);
    const since = `${isoFromDay(today).slice(0, 7)}-01`;
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `UPDATE ${this.s}.served_estimate e SET decided_on = greatest(e.received_on, left(c.decision ->> 'decidedAt', 10)::date)
         FROM ${rm}.case_status c WHERE e.decided_on IS NULL AND c.stream_id = e.stream_id AND c.decision IS NOT NULL`,
      );
      const { rows: groups } = await client.query<{ agency: string; form_type: string; month: string }>(
        `SELECT DISTINCT e.agency, e.form_type, to_char(date_trunc('month', e.as_of), 'YYYY-MM-DD') AS month
         FROM ${this.s}.served_estimate e
         WHERE e.as_of >= ($1::date - make_interval(months => $2))
           AND NOT EXISTS (SELECT 1 FROM ${this.s}.served_accuracy a
             WHERE a.agency = e.agency AND a.form_type = e.form_type AND a.month = date_trunc('month', e.as_of)::date AND a.final)`,
        [since, ACCURACY_MONTHS],
      );
      for (const group of groups) {
        const { rows } = await client.query<{ as_of: number; likely: number | null; eighty: number | null; p_likely: number | null; p_eighty: number | null; decided: number | null }>(
          `SELECT as_of - DATE '1970-01-01' AS as_of, likely_by - DATE '1970-01-01' AS likely, eighty_percent_by - DATE '1970-01-01' AS eighty,
             published_likely_by - DATE '1970-01-01' AS p_likely, published_eighty_percent_by - DATE '1970-01-01' AS p_eighty, decided_on - DATE '1970-01-01' AS decided
           FROM ${this.s}.served_estimate WHERE agency = $1 AND form_type = $2 AND as_of >= $3::date AND as_of < ($3::date + interval '1 month')`,
          [group.agency, group.form_type, group.month],
        );
        const records = rows.map((row) => ({
          asOf: row.as_of,
          likelyBy: row.likely,
          eightyPercentBy: row.eighty,
          publishedLikelyBy: row.p_likely,
          publishedEightyPercentBy: row.p_eighty,
          decidedAt: row.decided,
        }));
        const accuracy = servedAccuracy(records, today - 1);
        // Final once every case is decided and every 80 % date has come: nothing can change it.
        const final =
          dayFromIso(group.month) < dayFromIso(since) &&
          records.every((r) => r.decidedAt !== null && r.decidedAt < today && [r.eightyPercentBy, r.publishedEightyPercentBy].every((d) => d === null || d < today));
        await client.query(
          `INSERT INTO ${this.s}.served_accuracy (agency, form_type, month, scored_through, accuracy, final) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (agency, form_type, month) DO UPDATE SET scored_through = excluded.scored_through, accuracy = excluded.accuracy, final = excluded.final`,
          [group.agency, group.form_type, group.month, scoredThrough, JSON.stringify(accuracy), final],
        );
      }
    });
  }

  /** The published accuracy of an agency's form, newest month first, at most `ACCURACY_MONTHS`. */
  async accuracy(agency: string, formType: string): Promise<EstimateAccuracyMonthView[]> {
    assertText('agency', agency);
    assertText('formType', formType);
    const { rows } = await this.pool.query<{ month: string; scored_through: string; accuracy: ServedAccuracy }>({
      name: `served-estimates:${this.schema}:accuracy`,
      text: `SELECT to_char(month, 'YYYY-MM') AS month, to_char(scored_through, 'YYYY-MM-DD') AS scored_through, accuracy
             FROM ${this.s}.served_accuracy WHERE agency = $1 AND form_type = $2 ORDER BY month DESC LIMIT $3`,
      values: [agency, formType, ACCURACY_MONTHS],
    });
    return rows.map((row) => ({ agency, formType, month: row.month, scoredThrough: row.scored_through, accuracy: row.accuracy }));
  }

  /** The recorded estimates of a cohort's day (for staff, and for checking the record against what was served). */
  async servedOn(cohort: { agency: string; formType: string; office: string }, day: string): Promise<ServedEstimateRowView[]> {
    const { rows } = await this.pool.query<Record<string, string | boolean | string[] | null>>(
      `SELECT agency, form_type, office, to_char(as_of, 'YYYY-MM-DD') AS as_of, receipt_number, method, time_scale, pooled, extended, reasons,
         to_char(likely_by, 'YYYY-MM-DD') AS likely_by, to_char(eighty_percent_by, 'YYYY-MM-DD') AS eighty_percent_by,
         to_char(published_likely_by, 'YYYY-MM-DD') AS published_likely_by, to_char(published_eighty_percent_by, 'YYYY-MM-DD') AS published_eighty_percent_by,
         to_char(decided_on, 'YYYY-MM-DD') AS decided_on
       FROM ${this.s}.served_estimate WHERE agency = $1 AND form_type = $2 AND as_of = $3::date AND office = $4 ORDER BY receipt_number`,
      [cohort.agency, cohort.formType, day, cohort.office],
    );
    return rows.map((row) => ({
      agency: row.agency as string,
      formType: row.form_type as string,
      office: row.office as string,
      asOf: row.as_of as string,
      receiptNumber: row.receipt_number as string,
      method: row.method as string,
      timeScale: row.time_scale as string,
      pooled: row.pooled as boolean,
      extended: row.extended as boolean,
      likelyBy: row.likely_by as string | null,
      eightyPercentBy: row.eighty_percent_by as string | null,
      reasons: row.reasons as string[],
      publishedLikelyBy: row.published_likely_by as string | null,
      publishedEightyPercentBy: row.published_eighty_percent_by as string | null,
      decidedOn: row.decided_on as string | null,
    }));
  }

  /** Ends the pool only if this object created it. */
  async close(): Promise<void> {
    if (this.ownsPool && !this.pool.ended) await this.pool.end();
  }
}

/** The row recorded for a sampled case: the served dates, and receipt + the published median and 80th percentile. */
function servedRow(asOf: string, row: Pick<SampledCase, 'agency' | 'form_type' | 'office' | 'stream_id' | 'receipt_number'>, estimate: CaseEstimate) {
  const receivedOn = estimate.asOf.day - estimate.ageDays;
  const published = (days: number | null) => (days === null ? null : isoFromDay(receivedOn + days));
  return {
    agency: row.agency,
    form_type: row.form_type,
    office: row.office,
    as_of: asOf,
    stream_id: row.stream_id,
    receipt_number: row.receipt_number,
    received_on: isoFromDay(receivedOn),
    method: estimate.method,
    time_scale: estimate.timeScale,
    pooled: estimate.pooled,
    extended: estimate.window === 'extended',
    likely_by: estimate.likelyBy?.date ?? null,
    eighty_percent_by: estimate.eightyPercentBy?.date ?? null,
    reasons: [...new Set(estimate.reasons.map((reason) => reason.code))],
    published_likely_by: published(estimate.publishedStyle.medianDays),
    published_eighty_percent_by: published(estimate.publishedStyle.p80Days),
  };
}

function assertText(argument: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200) {
    throw new InvalidQueryArgumentError(argument, `must be a non-empty string of at most 200 characters, got ${JSON.stringify(value)}`);
  }
}

/** Passes of the record: every hour by default, and at start. */
const SERVED_RECORD_INTERVAL_MS = 3_600_000;

export interface ServedEstimateRecorder {
  /** Resolves when the pass under way, if any, has finished; no pass starts after. */
  stop(): Promise<void>;
}

/**
 * Runs the record's pass (today's sample where it is missing, then the scores) now and every
 * `intervalMs`, as the projector does. Several instances may run it: a cohort's day is
 * recorded by whichever commits it first. A failed pass is logged and tried again next time.
 */
export async function startServedEstimateRecorder(
  record: Pick<ServedEstimateRecord, 'migrate' | 'recordDay' | 'score'>,
  options: { clock?: () => Date; intervalMs?: number; logger: Logger },
): Promise<ServedEstimateRecorder> {
  const clock = options.clock ?? (() => new Date());
  await record.migrate();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = (async () => {
      const at = clock();
      const recorded = await record.recordDay(at);
      await record.score(at);
      if (recorded > 0) options.logger.log(`served estimates: recorded ${recorded} for ${utcDate(at)} and scored the record`);
    })().catch((error: unknown) => options.logger.error(`served estimates: pass failed: ${error instanceof Error ? error.message : String(error)}`));
    return running;
  };
  await pass();
  const timer = setInterval(() => {
    if (!stopped) void pass();
  }, options.intervalMs ?? SERVED_RECORD_INTERVAL_MS);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
