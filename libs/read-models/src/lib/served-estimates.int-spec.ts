import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { CaseEvent } from '@case-status/case-domain';
import { dayFromIso, isoFromDay, median, type Day } from '@case-status/processing-time';
import { ProjectionRunner } from '@case-status/projection-runner';
import { InMemoryProjectionSource } from '../testing/in-memory-projection-source';
import { estimateScenario } from '../testing/estimate-scenario';
import { caseReadModels } from './apply-batch';
import { PostgresReadModels } from './postgres-read-models';
import { ServedEstimateRecord, type ServedEstimateRowView } from './served-estimates.record';

// The record of served estimates on real PostgreSQL: sampled from the projected read models,
// scored when the projection sees the cases decided, and published per form and month.
jest.setTimeout(120_000);

const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test', max: 6 });
const prefix = `rm_served_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
let counter = 0;
const nextSchema = (label: string) => `${prefix}_${label}${++counter}`;

const scenario = estimateScenario({ seed: 16, cases: 500 });
const source = new InMemoryProjectionSource();
for (const c of scenario.cases) source.append(scenario.agency, c.receiptNumber, c.events);
const noon = (day: Day) => new Date(`${isoFromDay(day)}T12:00:00Z`);
// Three days of one month: 2027-02-25 to 2027-02-27.
const servedDays = [scenario.asOf, scenario.asOf + 1, scenario.asOf + 2];
const offices = scenario.offices;

let readModels: PostgresReadModels;
let projector: ProjectionRunner;
let record: ServedEstimateRecord;

beforeAll(async () => {
  const schema = nextSchema('rm');
  projector = new ProjectionRunner(caseReadModels, { pool, source, schema, batchSize: 500 });
  await projector.init();
  await projector.catchUp();
  readModels = new PostgresReadModels({ connection: pool, schema });
  record = new ServedEstimateRecord({ connection: pool, schema: nextSchema('served'), readModels, sampleSize: 30 });
  await record.migrate();
}, 120_000);

afterAll(async () => {
  const { rows } = await pool.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}%`]);
  for (const row of rows) await pool.query(`DROP SCHEMA IF EXISTS "${row.nspname}" CASCADE`);
  await pool.end();
});

async function servedRows(target: ServedEstimateRecord, day: Day): Promise<ServedEstimateRowView[]> {
  const rows: ServedEstimateRowView[] = [];
  for (const office of offices) rows.push(...(await target.servedOn({ agency: scenario.agency, formType: scenario.formType, office }, isoFromDay(day))));
  return rows;
}

describe('the record of served estimates', () => {
  it('records, per cohort and day, at most the sample size of pending cases with the estimate served for each', async () => {
    expect(await record.recordDay(noon(servedDays[0]))).toBeGreaterThan(0);
    const rows = await servedRows(record, servedDays[0]);
    for (const office of offices) {
      const pending = scenario.cases.filter((c) => c.office === office && c.observation?.decidedAt === null).length;
      expect(rows.filter((row) => row.office === office)).toHaveLength(Math.min(30, pending));
    }
    for (const row of rows) {
      const served = await readModels.caseEstimate(row.receiptNumber, noon(servedDays[0]));
      if (served === null) throw new Error(`no estimate served for ${row.receiptNumber}`);
      const receivedOn = served.asOf.day - served.ageDays;
      const published = (days: number | null) => (days === null ? null : isoFromDay(receivedOn + days));
      expect(row).toMatchObject({
        asOf: isoFromDay(servedDays[0]),
        method: served.method,
        timeScale: served.timeScale,
        pooled: served.pooled,
        extended: served.window === 'extended',
        likelyBy: served.likelyBy?.date ?? null,
        eightyPercentBy: served.eightyPercentBy?.date ?? null,
        reasons: [...new Set(served.reasons.map((reason) => reason.code))],
        publishedLikelyBy: published(served.publishedStyle.medianDays),
        publishedEightyPercentBy: published(served.publishedStyle.p80Days),
        decidedOn: null,
      });
    }
    // Some dates were given, so the scoring below has something to score.
    expect(rows.filter((row) => row.eightyPercentBy !== null).length).toBeGreaterThan(20);
  });

  it('records a cohort day once, however often the pass runs', async () => {
    const before = await servedRows(record, servedDays[0]);
    expect(await record.recordDay(noon(servedDays[0]))).toBe(0);
    expect(await servedRows(record, servedDays[0])).toEqual(before);
  });

  it('cannot be steered or inflated by lookups: the sample is the same whether or not anyone looked a case up', async () => {
    // A stranger looks up every pending case of one office many times, and some cases of the other never.
    const looked = scenario.cases.filter((c) => c.office === offices[1] && c.observation?.decidedAt === null);
    for (let round = 0; round < 3; round++) {
      for (const c of looked) await readModels.caseLookup(c.receiptNumber, { history: true, estimateAsOf: noon(servedDays[1]) });
    }
    await record.recordDay(noon(servedDays[1]));
    const afterLookups = await servedRows(record, servedDays[1]);
    // A record that nobody's lookups could have touched, sampling the same day.
    const untouched = new ServedEstimateRecord({ connection: pool, schema: nextSchema('served'), readModels, sampleSize: 30 });
    await untouched.migrate();
    await untouched.recordDay(noon(servedDays[1]));
    expect((await servedRows(untouched, servedDays[1])).map((row) => row.receiptNumber)).toEqual(afterLookups.map((row) => row.receiptNumber));
    expect(afterLookups.filter((row) => row.office === offices[1]).length).toBeLessThanOrEqual(30);
    // Another day samples other cases: a case is not in every day's sample.
    const first = new Set((await servedRows(record, servedDays[0])).map((row) => row.receiptNumber));
    expect(afterLookups.some((row) => !first.has(row.receiptNumber))).toBe(true);
  });

  it('scores the served cases once the projection sees them decided, and publishes what a direct computation gives', async () => {
    await record.recordDay(noon(servedDays[2]));
    const rows = [...(await servedRows(record, servedDays[0])), ...(await servedRows(record, servedDays[1])), ...(await servedRows(record, servedDays[2]))];
    // Decide the sampled cases: some well before their 80 % date, some after it, and some never.
    const decisions = new Map<string, Day>();
    const receipts = [...new Set(rows.map((row) => row.receiptNumber))].sort();
    receipts.forEach((receipt, i) => {
      const row = rows.find((r) => r.receiptNumber === receipt);
      if (!row) throw new Error(`no row for ${receipt}`);
      const eighty = row.eightyPercentBy === null ? scenario.asOf + 200 : dayFromIso(row.eightyPercentBy);
      if (i % 5 === 4) return; // still pending
      decisions.set(receipt, i % 5 === 3 ? eighty + 30 : scenario.asOf + 3 + (i % 40));
    });
    for (const [receipt, day] of decisions) {
      source.append(scenario.agency, receipt, [{ type: 'DecisionIssued', data: { outcome: 'approved' }, occurredAt: `${isoFromDay(day)}T10:00:00-05:00` }]);
    }
    await projector.catchUp();
    const allDates = rows.flatMap((row) => [row.eightyPercentBy, row.publishedEightyPercentBy]).filter((d): d is string => d !== null).map((d) => dayFromIso(d));
    const today = Math.max(...allDates, ...decisions.values()) + 1;
    await record.score(noon(today));

    const scored = [...(await servedRows(record, servedDays[0])), ...(await servedRows(record, servedDays[1])), ...(await servedRows(record, servedDays[2]))];
    const decidedOf = (row: ServedEstimateRowView) => decisions.get(row.receiptNumber) ?? null;
    for (const row of scored) expect(row.decidedOn).toBe(decidedOf(row) === null ? null : isoFromDay(decidedOf(row) as Day));

    // Directly: every 80 % date has come by `today`, so each dated case is a hit or a miss.
    /** Cases decided on or before the date picked, of those with such a date. */
    const hits = (pick: (row: ServedEstimateRowView) => string | null) =>
      scored.filter((row) => {
        const date = pick(row);
        const decided = decidedOf(row);
        return date !== null && decided !== null && decided <= dayFromIso(date);
      }).length;
    const dated = scored.filter((row) => row.eightyPercentBy !== null);
    const errors = (pick: (row: ServedEstimateRowView) => string | null) =>
      scored.flatMap((row) => {
        const date = pick(row);
        const decided = decidedOf(row);
        return date !== null && decided !== null ? [Math.abs(decided - dayFromIso(date))] : [];
      });
    const publishedDated = scored.filter((row) => row.publishedEightyPercentBy !== null);

    const [month] = await record.accuracy(scenario.agency, scenario.formType);
    expect(month).toMatchObject({ agency: scenario.agency, formType: scenario.formType, month: isoFromDay(servedDays[0]).slice(0, 7), scoredThrough: isoFromDay(today - 1) });
    expect(month.accuracy.served).toBe(scored.length);
    expect(month.accuracy.withheld).toBe(scored.length - dated.length);
    expect(month.accuracy.withheldShare).toBeCloseTo((scored.length - dated.length) / scored.length, 10);
    expect(month.accuracy.estimates.scored).toBe(dated.length);
    expect(month.accuracy.estimates.cameTrueShare).toBeCloseTo(hits((row) => row.eightyPercentBy) / dated.length, 10);
    expect(month.accuracy.estimates.medianErrorDays).toBe(median(errors((row) => row.likelyBy)));
    expect(month.accuracy.publishedStyle.scored).toBe(publishedDated.length);
    expect(month.accuracy.publishedStyle.cameTrueShare).toBeCloseTo(hits((row) => row.publishedEightyPercentBy) / publishedDated.length, 10);
    expect(month.accuracy.publishedStyle.medianErrorDays).toBe(median(errors((row) => row.publishedLikelyBy)));
    // The cases decided after their date are misses, so the share is below one.
    expect(month.accuracy.estimates.cameTrueShare).toBeLessThan(1);

    // A decided case reopened and decided again keeps its first decision in the record.
    const [reopened, first] = [...decisions][0];
    source.append(scenario.agency, reopened, [
      { type: 'CaseReopened', data: { reason: 'motion granted' }, occurredAt: `${isoFromDay(today)}T09:00:00Z` },
      { type: 'DecisionIssued', data: { outcome: 'denied' }, occurredAt: `${isoFromDay(today + 5)}T09:00:00Z` },
    ] as CaseEvent[]);
    await projector.catchUp();
    await record.score(noon(today + 6));
    const again = [...(await servedRows(record, servedDays[0])), ...(await servedRows(record, servedDays[1])), ...(await servedRows(record, servedDays[2]))];
    for (const row of again.filter((r) => r.receiptNumber === reopened)) expect(row.decidedOn).toBe(isoFromDay(first));
  });

  it('refuses a form or agency that is not text', async () => {
    await expect(record.accuracy('', 'I-485')).rejects.toThrow(/agency/);
  });
});
