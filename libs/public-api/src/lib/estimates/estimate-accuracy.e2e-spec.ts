import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { caseStreamId, type CaseEvent } from '@case-status/case-domain';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { dayFromIso, isoFromDay } from '@case-status/processing-time';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels, type ServedEstimateRowView } from '@case-status/read-models';
import { ProjectionRunner } from '@case-status/projection-runner';
import { estimateScenario } from '@case-status/read-models/testing';
import { createStatusApp } from '../status.app';
import { estimateAccuracyCsv } from './estimate-accuracy-csv.controller';

// The record of served estimates through the status API, over the real projection on real PostgreSQL.
jest.setTimeout(120_000);

interface GraphqlBody {
  data: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const SERVED = `query ($r: String!) {
  caseStatus(receiptNumber: $r) {
    estimate { method clock cohort { pooled } likelyBy { date } eightyPercentBy { date } reasons { code } publishedStyle { medianDays p80Days } ageDays asOf }
  }
}`;
const ACCURACY = `query ($agency: String!, $formType: String!) {
  estimateAccuracy(agency: $agency, formType: $formType) {
    agency formType month scoredThrough served withheld withheldShare
    estimates { scored cameTrue cameTrueShare errors medianErrorDays }
    publishedStyle { scored cameTrue cameTrueShare errors medianErrorDays }
  }
}`;

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const prefix = `sg_acc_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const scenario = estimateScenario({ seed: 18, cases: 500 });
const asOf = isoFromDay(scenario.asOf);

describe('estimateAccuracy: the record of served estimates through the status API', () => {
  const pool = new Pool({ connectionString: databaseUrl, max: 6 });
  let store: PostgresEventStore;
  let projector: ProjectionRunner;
  let readModels: PostgresReadModels;
  let app: NestFastifyApplication;
  let limited: NestFastifyApplication;
  const recorded: ServedEstimateRowView[] = [];

  const post = async (target: NestFastifyApplication, query: string, variables?: Record<string, unknown>): Promise<GraphqlBody> =>
    (await target.inject({ method: 'POST', url: '/graphql', payload: { query, variables } })).json() as GraphqlBody;
  const append = (receiptNumber: string, events: readonly CaseEvent[]) =>
    store.appendToStream(
      caseStreamId('USCIS', receiptNumber),
      events.map(({ type, data, occurredAt }) => ({ id: randomUUID(), type, data: data as Record<string, unknown>, metadata: { occurredAt } })),
      { expectedRevision: 'any' },
    );

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema: `${prefix}_es` });
    for (const c of scenario.cases) await append(c.receiptNumber, c.events);
    projector = new ProjectionRunner(caseReadModels, { pool, source: store, schema: `${prefix}_rm`, batchSize: 400 });
    await projector.init();
    await projector.catchUp();
    readModels = new PostgresReadModels({ connection: pool, schema: `${prefix}_rm`, servedSchema: `${prefix}_served` });
    await readModels.served.migrate();
    const options = {
      queries: readModels,
      changeFeed: new PostgresCaseStatusChangeFeed({ connection: databaseUrl, schema: `${prefix}_rm` }),
      caseworkerKeys: {},
      clock: () => new Date(`${asOf}T18:00:00Z`),
      logger: false as const,
    };
    app = await createStatusApp({ ...options, rateLimit: false });
    limited = await createStatusApp({ ...options, changeFeed: new PostgresCaseStatusChangeFeed({ connection: databaseUrl, schema: `${prefix}_rm` }), rateLimit: { max: 2, timeWindow: 60_000 } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await limited?.close();
    await store?.close();
    for (const schema of [`${prefix}_rm`, `${prefix}_es`, `${prefix}_served`]) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('records exactly what GraphQL serves for the sampled cases', async () => {
    expect(await readModels.served.recordDay(new Date(`${asOf}T12:00:00Z`))).toBeGreaterThan(0);
    for (const office of scenario.offices) recorded.push(...(await readModels.served.servedOn({ agency: 'USCIS', formType: scenario.formType, office }, asOf)));
    expect(recorded.length).toBeGreaterThan(20);
    for (const row of recorded) {
      const body = await post(app, SERVED, { r: row.receiptNumber });
      expect(body.errors).toBeUndefined();
      const served = (body.data?.['caseStatus'] as { estimate: Record<string, never> & { likelyBy: { date: string } | null; eightyPercentBy: { date: string } | null; reasons: { code: string }[]; cohort: { pooled: boolean }; publishedStyle: { medianDays: number | null; p80Days: number | null }; ageDays: number; asOf: string; clock: string } })
        .estimate;
      const received = dayFromIso(served.asOf) - served.ageDays;
      expect({
        likelyBy: row.likelyBy,
        eightyPercentBy: row.eightyPercentBy,
        pooled: row.pooled,
        reasons: row.reasons,
        clock: row.timeScale.toUpperCase(),
        publishedLikelyBy: row.publishedLikelyBy,
        publishedEightyPercentBy: row.publishedEightyPercentBy,
      }).toEqual({
        likelyBy: served.likelyBy?.date ?? null,
        eightyPercentBy: served.eightyPercentBy?.date ?? null,
        pooled: served.cohort.pooled,
        reasons: [...new Set(served.reasons.map((reason) => reason.code))],
        clock: served.clock,
        publishedLikelyBy: served.publishedStyle.medianDays === null ? null : isoFromDay(received + served.publishedStyle.medianDays),
        publishedEightyPercentBy: served.publishedStyle.p80Days === null ? null : isoFromDay(received + served.publishedStyle.p80Days),
      });
    }
  });

  it('publishes, once the cases are decided, the share of 80 % dates that came true beside the published-style dates', async () => {
    const receipts = [...new Set(recorded.map((row) => row.receiptNumber))].sort();
    let latest = scenario.asOf;
    for (const [i, receipt] of receipts.entries()) {
      const row = recorded.find((r) => r.receiptNumber === receipt);
      if (!row) throw new Error(`no row for ${receipt}`);
      // A miss only where the date falls within the year: scoring covers the last 24 months of
      // as-of days, and a long wait dated from a year of decisions can be two years out.
      const missable = row.eightyPercentBy !== null && dayFromIso(row.eightyPercentBy) <= scenario.asOf + 365;
      const day = missable && i % 3 === 0 ? dayFromIso(row.eightyPercentBy as string) + 10 : scenario.asOf + 2 + (i % 30);
      latest = Math.max(latest, day, ...[row.eightyPercentBy, row.publishedEightyPercentBy].filter((d): d is string => d !== null && dayFromIso(d) <= scenario.asOf + 365).map((d) => dayFromIso(d)));
      await append(receipt, [{ type: 'DecisionIssued', data: { outcome: 'approved' }, occurredAt: `${isoFromDay(day)}T09:00:00Z` }]);
    }
    await projector.catchUp();
    await readModels.served.score(new Date(`${isoFromDay(latest + 1)}T12:00:00Z`));

    const body = await post(app, ACCURACY, { agency: 'USCIS', formType: scenario.formType });
    expect(body.errors).toBeUndefined();
    const months = body.data?.['estimateAccuracy'] as Record<string, unknown>[];
    const stored = await readModels.estimateAccuracy('USCIS', scenario.formType);
    expect(months).toEqual(stored.map(({ accuracy, ...month }) => ({ ...month, ...accuracy })));
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ month: asOf.slice(0, 7), served: recorded.length, scoredThrough: isoFromDay(latest) });
    const estimates = months[0]['estimates'] as { scored: number; cameTrue: number; cameTrueShare: number };
    // A third of the dated cases were decided ten days after their date: misses.
    expect(estimates.cameTrueShare).toBeGreaterThan(0);
    expect(estimates.cameTrueShare).toBeLessThan(1);
    expect(estimates.cameTrue).toBeLessThan(estimates.scored);

    // The same figures as CSV, every row a month.
    const csv = await app.inject({ method: 'GET', url: `/estimates/accuracy.csv?agency=USCIS&formType=${scenario.formType}` });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe(
      'agency,form_type,month,scored_through,served,no_date,percent_no_date,dates_scored,dates_came_true,percent_came_true,errors_counted,median_error_days,published_dates_scored,published_dates_came_true,published_percent_came_true,published_errors_counted,published_median_error_days',
    );
    expect(lines).toHaveLength(2);
    expect(lines[1].split(',').slice(0, 5)).toEqual(['USCIS', scenario.formType, asOf.slice(0, 7), isoFromDay(latest), String(recorded.length)]);
    expect(lines[1].split(',')[9]).toBe((Math.round(estimates.cameTrueShare * 1000) / 10).toFixed(1));
  });

  it('refuses an unknown agency or form with a coded error naming the argument, over GraphQL and as problem+json', async () => {
    const unknownAgency = await post(app, ACCURACY, { agency: 'NOPE', formType: 'I-485' });
    expect(unknownAgency.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'agency' } });
    const unknownForm = await post(app, ACCURACY, { agency: 'USCIS', formType: '=HYPERLINK("x")' });
    expect(unknownForm.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'formType' } });
    const csv = await app.inject({ method: 'GET', url: '/estimates/accuracy.csv?agency=USCIS&formType=I-9999' });
    expect(csv.statusCode).toBe(400);
    expect(csv.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(csv.json()).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', argument: 'formType' });
  });

  it('charges each query, and each download on a count of its own, to the client’s lookup limit', async () => {
    const csv = () => limited.inject({ method: 'GET', url: `/estimates/accuracy.csv?agency=USCIS&formType=${scenario.formType}` });
    const query = () => post(limited, ACCURACY, { agency: 'USCIS', formType: scenario.formType });
    for (let i = 0; i < 2; i++) {
      expect((await csv()).statusCode).toBe(200);
      expect((await query()).errors).toBeUndefined();
    }
    const refused = await csv();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await query()).errors?.[0]).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });

  it('writes cells a spreadsheet would run as formulas as text', () => {
    const month = { agency: '=cmd|calc', formType: '+1', month: '@2027-02', scoredThrough: '-1', served: 1, withheld: 0, withheldShare: null };
    const dates = { scored: 0, cameTrue: 0, cameTrueShare: null, errors: 0, medianErrorDays: null };
    const [, row] = estimateAccuracyCsv([{ ...month, estimates: dates, publishedStyle: dates }]).trim().split('\r\n');
    expect(row.startsWith(`'=cmd|calc,'+1,'@2027-02,'-1,1,`)).toBe(true);
  });
});
