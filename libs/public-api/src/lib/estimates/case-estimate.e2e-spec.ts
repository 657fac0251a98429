import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { caseStreamId, type CaseEvent } from '@case-status/case-domain';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { estimateCase, estimateCasesPooled, estimateCohort, isoFromDay, type CaseObservation } from '@case-status/processing-time';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels, SERVED_ESTIMATE_OPTIONS } from '@case-status/read-models';
import { ProjectionRunner } from '@case-status/projection-runner';
import { closedCase, cohortObservations, countedCases, estimateScenario, estimatorsAnswer } from '@case-status/read-models/testing';
import { caseView, InMemoryReadModels } from '../../testing';
import { createStatusApp } from '../status.app';

// The estimates through GraphQL over the real projection on real PostgreSQL.
jest.setTimeout(120_000);

interface GraphqlBody {
  data: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const ESTIMATE = `query ($r: String!) {
  caseStatus(receiptNumber: $r) {
    receiptNumber
    estimate {
      asOf method clock sampleSize ageDays
      cohort { agency formType office pooled extended periodDays explanation { en es } }
      queueProgress { queueJoined progress paceDecisions pacePerWeek paceWeeks }
      likelyBy { date probability daysFromAsOf ageDays atRisk }
      eightyPercentBy { date probability daysFromAsOf ageDays atRisk }
      reasons { code probability observed threshold message { en es } }
      queue { openAhead openTotal last4Weeks { weeks decided perWeek } weeksToClearAheadAtRecentPace standstill explanation { en es } }
      decisionPace { recent { weeks decided perWeek } baseline { weeks decided perWeek } ratio }
      staleness { step since daysSinceLastStep usualGap { medianDays p90Days sampleSize } stale explanation { en es } }
      longWait { ageDays mostDecidedWithinDays queueJoined openAhead recentPace { weeks decided perWeek } date { date } inquiry { url howTo { en es } } explanation { en es } }
      publishedStyle { windowStart windowEnd windowDays decidedCount medianDays p80Days p93Days }
      curve { method cases decided censored lateEntries median { probability days lower upper atRisk } p80 { probability days lower upper atRisk } }
      summary { en es }
      es: summaryText(language: ES)
      disclaimer { en es }
    }
  }
}`;

interface Bilingual {
  en: string;
  es: string;
}
/** The parts of an answered estimate the tests read by name. */
type Served = Record<string, unknown> & { likelyBy: unknown; eightyPercentBy: unknown; summary: Bilingual; es: string; reasons: { code: string }[]; queue: Record<string, unknown> & { explanation: Bilingual } };

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const prefix = `sg_est_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const scenario = estimateScenario({ seed: 17, cases: 700 });
const asOf = isoFromDay(scenario.asOf);

describe('processing-time estimates through GraphQL', () => {
  const pool = new Pool({ connectionString: databaseUrl, max: 6 });
  let store: PostgresEventStore;
  let projector: ProjectionRunner;
  let app: NestFastifyApplication;

  const post = async (query: string, variables?: Record<string, unknown>): Promise<GraphqlBody> => {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
    return res.json() as GraphqlBody;
  };
  const estimateOf = async (receiptNumber: string) => {
    const body = await post(ESTIMATE, { r: receiptNumber });
    expect(body.errors).toBeUndefined();
    return (body.data?.['caseStatus'] as { estimate: Served | null }).estimate;
  };
  const append = (receiptNumber: string, events: readonly CaseEvent[]) =>
    store.appendToStream(
      caseStreamId('USCIS', receiptNumber),
      events.map(({ type, data, occurredAt }) => ({ id: randomUUID(), type, data: data as Record<string, unknown>, metadata: { occurredAt } })),
      { expectedRevision: 'any' },
    );
  /** A form at a busy office and a small one: the small office's cases borrow from both. */
  const smallOffice = { busy: [] as CaseObservation[], small: [] as CaseObservation[] };

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema: `${prefix}_es` });
    for (const c of scenario.cases) await append(c.receiptNumber, c.events);
    // A cohort whose decisions stopped seven weeks ago while cases still wait.
    for (let i = 0; i < 45; i++) {
      const receipt = `IOE${String(8_000_000_000 + i)}`;
      const received = scenario.asOf - 200 + i;
      const events: CaseEvent[] = [{ type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber: receipt, formType: 'I-130', office: 'VSC' }, occurredAt: `${isoFromDay(received)}T09:00:00Z` }];
      if (i < 35) events.push({ type: 'DecisionIssued', data: { outcome: 'approved' }, occurredAt: `${isoFromDay(Math.min(received + 40, scenario.asOf - 50))}T09:00:00Z` });
      await append(receipt, events);
    }
    for (let i = 0; i < 84; i++) {
      const office = i % 12 === 5 ? 'VSC' : 'NBC';
      const receipt = `IOE${String(8_100_000_000 + i)}`;
      const received = scenario.asOf - 250 + 3 * i;
      const decided = received + 20 + ((i * 7) % 25) < scenario.asOf ? received + 20 + ((i * 7) % 25) : null;
      (office === 'VSC' ? smallOffice.small : smallOffice.busy).push({ receivedAt: received, decidedAt: decided });
      const events: CaseEvent[] = [{ type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber: receipt, formType: 'I-765', office }, occurredAt: `${isoFromDay(received)}T09:00:00Z` }];
      if (decided !== null) events.push({ type: 'DecisionIssued', data: { outcome: 'approved' }, occurredAt: `${isoFromDay(decided)}T09:00:00Z` });
      await append(receipt, events);
    }
    projector = new ProjectionRunner(caseReadModels, { pool, source: store, schema: `${prefix}_rm`, batchSize: 400 });
    await projector.init();
    await projector.catchUp();
    app = await createStatusApp({
      queries: new PostgresReadModels({ connection: pool, schema: `${prefix}_rm` }),
      changeFeed: new PostgresCaseStatusChangeFeed({ connection: databaseUrl, schema: `${prefix}_rm` }),
      caseworkerKeys: {},
      rateLimit: false,
      clock: () => new Date(`${asOf}T18:00:00Z`),
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    for (const schema of [`${prefix}_rm`, `${prefix}_es`]) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('gives the dates, queue, staleness and cohort the estimator computes from the cases themselves', async () => {
    const pending = countedCases(scenario).filter((c) => c.observation.decidedAt === null);
    let dated = 0;
    for (const c of pending.filter((_, i) => i % 4 === 0)) {
      const expected = estimatorsAnswer(scenario, c);
      const served = (await estimateOf(c.receiptNumber)) as Served;
      expect({ likelyBy: served.likelyBy, eightyPercentBy: served.eightyPercentBy }).toEqual({
        likelyBy: expected.likelyBy && { date: expected.likelyBy.date, probability: 0.5, daysFromAsOf: expected.likelyBy.daysFromAsOf, ageDays: expected.likelyBy.ageDays, atRisk: expected.likelyBy.atRisk },
        eightyPercentBy: expected.eightyPercentBy && {
          date: expected.eightyPercentBy.date,
          probability: 0.8,
          daysFromAsOf: expected.eightyPercentBy.daysFromAsOf,
          ageDays: expected.eightyPercentBy.ageDays,
          atRisk: expected.eightyPercentBy.atRisk,
        },
      });
      expect(served).toMatchObject({
        asOf,
        method: expected.method === 'none' ? 'NONE' : 'CONDITIONAL_KAPLAN_MEIER',
        clock: 'QUEUE',
        queueProgress: expected.queueProgress && {
          queueJoined: expected.queueProgress.queueJoined,
          progress: expected.queueProgress.progress / 1000,
          paceDecisions: expected.queueProgress.paceDecisions,
          pacePerWeek: expect.closeTo(expected.queueProgress.pacePerDay * 7, 9),
          paceWeeks: 4,
        },
        cohort: { agency: 'USCIS', formType: 'I-485', office: expected.pooled ? null : c.office, pooled: expected.pooled, extended: expected.window === 'extended', periodDays: expected.curve.periodDays },
        sampleSize: expected.sampleSize,
        ageDays: expected.ageDays,
        reasons: expected.reasons.map(({ code, probability, observed, threshold }) => ({ code, probability, observed, threshold })),
        queue: { openAhead: expected.queue.openAhead, openTotal: expected.queue.openTotal, last4Weeks: expected.queue.last4Weeks, standstill: expected.queue.standstill },
        decisionPace: expected.decisionPace,
        staleness: {
          step: c.step,
          since: expected.staleness?.since.date,
          daysSinceLastStep: expected.staleness?.daysSinceLastStep,
          usualGap: expected.staleness?.usualGap,
          stale: expected.staleness?.stale,
        },
        curve: { cases: expected.curve.cases, decided: expected.curve.decided, censored: expected.curve.censored, lateEntries: expected.curve.lateEntries, median: expected.curve.median },
      });
      if (served.likelyBy) {
        dated++;
        expect(served.summary.en).toContain('This is an estimate from how long past cases like yours took, not a promise.');
        expect(served.summary.es).toContain('no una promesa');
        expect(served.es).toBe(served.summary.es);
      }
    }
    expect(dated).toBeGreaterThan(10);
  });

  it('says when the dates come from the form at every office of the agency, in either language', async () => {
    const receipt = `IOE${String(8_100_000_000 + 12 * 6 + 5)}`;
    const received = scenario.asOf - 250 + 3 * (12 * 6 + 5);
    expect(smallOffice.small.find((item) => item.receivedAt === received)?.decidedAt).toBeNull();
    const [expected] = estimateCasesPooled({
      cohort: smallOffice.small,
      cases: [{ receivedAt: received }],
      asOf: scenario.asOf,
      options: SERVED_ESTIMATE_OPTIONS,
      pool: { cohort: [...smallOffice.busy, ...smallOffice.small] },
    });
    expect(expected.pooled).toBe(true);
    const served = (await estimateOf(receipt)) as Served;
    expect(served).toMatchObject({
      cohort: {
        agency: 'USCIS',
        formType: 'I-765',
        office: null,
        pooled: true,
        explanation: {
          en: "Your office has decided too few cases like yours to go on, so these dates come from cases of the same form at all of the agency's offices.",
          es: 'Su oficina ha decidido muy pocos casos como el suyo para basarse en ellos, así que estas fechas vienen de los casos del mismo formulario en todas las oficinas de la agencia.',
        },
      },
      sampleSize: expected.sampleSize,
      eightyPercentBy: { date: expected.eightyPercentBy?.date },
      reasons: [],
    });
    expect(served.summary.en).toContain("all of the agency's offices");
    expect(served.es).toContain('todas las oficinas de la agencia');

    const own = (await estimateOf(`IOE${String(8_100_000_000 + 12 * 6 + 4)}`)) as Served;
    expect(own['cohort']).toEqual({ agency: 'USCIS', formType: 'I-765', office: 'NBC', pooled: false, extended: false, periodDays: 182, explanation: null });
  });

  it('says why there is no date: decided, thin or stopped cohorts', async () => {
    const [decided] = countedCases(scenario).filter((c) => c.observation.decidedAt !== null);
    const forDecided = (await estimateOf(decided.receiptNumber)) as Served;
    expect(forDecided).toMatchObject({ method: 'NONE', likelyBy: null, eightyPercentBy: null, staleness: null });
    expect(forDecided.reasons[0]).toEqual({
      code: 'CASE_DECIDED',
      probability: null,
      observed: null,
      threshold: null,
      message: { en: 'Your case has a decision, so there is nothing left to estimate.', es: 'Su caso ya tiene una decisión, así que no queda nada por estimar.' },
    });

    const stopped = (await estimateOf('IOE8000000044')) as Served;
    expect(stopped.reasons.map((r) => r.code)).toEqual(['DECISIONS_STOPPED']);
    expect(stopped.queue).toMatchObject({ openAhead: 9, openTotal: 10, standstill: true, weeksToClearAheadAtRecentPace: null });
    expect(stopped.summary.en).toMatch(/^We cannot give a reliable date for your case right now\. No case like yours has been decided in the last 4 weeks, against [\d,]+ cases in the last 26\./);
    expect(stopped.es).toMatch(/^En este momento no podemos darle una fecha confiable para su caso\. En las últimas 4 semanas no se ha decidido ningún caso como el suyo, frente a [\d.]+ casos en las últimas 26/);
    expect(stopped.queue.explanation.es).toBe('9 casos como el suyo, recibidos antes que el suyo, siguen esperando. En las últimas 4 semanas no se ha decidido ningún caso como el suyo.');
    // It has waited 156 days where the decided cases took 40: the long-wait answer, without a date.
    expect(stopped['longWait']).toEqual({
      ageDays: 156,
      mostDecidedWithinDays: 40,
      queueJoined: 41,
      openAhead: 9,
      recentPace: [
        { weeks: 4, decided: 0, perWeek: 0 },
        { weeks: 12, decided: expect.any(Number), perWeek: expect.any(Number) },
        { weeks: 26, decided: 35, perWeek: 35 / 26 },
      ],
      date: null,
      inquiry: { url: 'https://egov.uscis.gov/e-request/', howTo: { en: expect.stringContaining('USCIS e-Request'), es: expect.stringContaining('e-Request de USCIS') } },
      explanation: {
        en: expect.stringMatching(/^Your case has waited 156 days\. 8 in 10 cases like yours decided recently took 40 days or less\. When it was received, 40 cases like it were waiting ahead of it\. 9 cases like yours received before it are still waiting\. No case like yours has been decided in the last 4 weeks .* We cannot honestly give a date for it.* Your case is taking longer than most\. Here is what you can do: .* \(https:\/\/egov\.uscis\.gov\/e-request\/\)$/),
        es: expect.stringContaining('Su caso está tardando más que la mayoría. Esto es lo que puede hacer: si su caso está fuera del tiempo normal de trámite de USCIS'),
      },
    });
    expect(stopped.summary.en).toContain('Your case is taking longer than most. Here is what you can do:');

    expect(await estimateOf(closedCase(scenario).receiptNumber)).toBeNull();
  });

  it('shows the curve beside the published-style figures of processingTimes', async () => {
    const body = await post(`{ processingTimes(agency: "USCIS", formType: "I-485", office: "NBC", windowMonths: 6) {
      windowStart windowEnd completedCount medianDays p80Days p93Days pendingCount
      curve { cases decided censored lateEntries median { days lower upper } p80 { days lower upper } }
      decisionPace { recent { perWeek } baseline { perWeek } ratio }
      summary { en es } summaryText(language: ES)
    } }`);
    expect(body.errors).toBeUndefined();
    const times = body.data?.['processingTimes'] as Record<string, unknown> & { windowStart: string; windowEnd: string; summary: Bilingual; summaryText: string };
    const windowDays = (Date.parse(times.windowEnd) - Date.parse(times.windowStart)) / 86_400_000 + 1;
    const expected = estimateCohort({ cohort: cohortObservations(scenario, 'NBC'), asOf: scenario.asOf, options: { ...SERVED_ESTIMATE_OPTIONS, publishedWindowDays: windowDays } });
    expect(times).toMatchObject({
      windowEnd: asOf,
      completedCount: expected.publishedStyle.decidedCount,
      medianDays: expected.publishedStyle.medianDays,
      p80Days: expected.publishedStyle.p80Days,
      p93Days: expected.publishedStyle.p93Days,
      curve: {
        cases: expected.curve.cases,
        decided: expected.curve.decided,
        censored: expected.curve.censored,
        lateEntries: expected.curve.lateEntries,
        median: { days: expected.curve.median.days, lower: expected.curve.median.lower, upper: expected.curve.median.upper },
        p80: { days: expected.curve.p80.days, lower: expected.curve.p80.lower, upper: expected.curve.p80.upper },
      },
      decisionPace: { ratio: expected.decisionPace.ratio },
    });
    expect(times.summary.en).toContain(`Counting the ${expected.curve.censored} cases still waiting, at the pace of the last 182 days,`);
    expect(times.summaryText).toBe(times.summary.es);
    expect(times.summaryText).toContain(`Si se cuentan también los ${expected.curve.censored} casos que siguen esperando`);
  });

  it('is served the same way by the in-memory read models tests use', async () => {
    const memory = new InMemoryReadModels();
    const cohort: CaseObservation[] = [];
    for (let i = 0; i < 40; i++) {
      const receivedAt = scenario.asOf - 190 + i * 4;
      const decidedAt = i < 32 ? receivedAt + 40 + Math.floor(i / 2) : null;
      cohort.push({ receivedAt, decidedAt });
      memory.put(
        caseView({
          receiptNumber: `IOE${String(9_000_000_000 + i)}`,
          formType: 'N-400',
          receivedAt: `${isoFromDay(receivedAt)}T10:00:00Z`,
          lastChangedAt: `${isoFromDay(decidedAt ?? receivedAt)}T10:00:00Z`,
          decision: decidedAt === null ? null : { outcome: 'approved', decidedAt: `${isoFromDay(decidedAt)}T10:00:00Z` },
        }),
      );
    }
    const served = await memory.caseEstimate('IOE9000000039', new Date(`${asOf}T18:00:00Z`));
    const expected = estimateCase({ cohort, case: { receivedAt: cohort[39].receivedAt, lastStep: { step: 'CASE_RECEIVED', since: cohort[39].receivedAt, usualGaps: [] } }, asOf: scenario.asOf, options: SERVED_ESTIMATE_OPTIONS });
    expect(served).toEqual(expected);
    expect(served?.timeScale).toBe('queue');
    expect(served?.likelyBy).not.toBeNull();
  });

  it('shows a decision on the next lookup: the status, the history and the estimate, though the case was looked up before', async () => {
    const receipt = 'IOE6000000001';
    const received = `${isoFromDay(scenario.asOf - 60)}T09:00:00Z`;
    await append(receipt, [{ type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber: receipt, formType: 'I-90', office: 'TSC' }, occurredAt: received }]);
    await projector.catchUp();
    const page = `query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode history { eventType } estimate { reasons { code } staleness { step } } } }`;
    const lookup = async () => (await post(page, { r: receipt })).data?.['caseStatus'];
    const before = await lookup();
    expect(await lookup()).toEqual(before);
    expect(before).toMatchObject({ statusCode: 'CASE_RECEIVED', history: [{ eventType: 'CaseReceived' }], estimate: { staleness: { step: 'CASE_RECEIVED' } } });

    await append(receipt, [{ type: 'DecisionIssued', data: { outcome: 'approved' }, occurredAt: `${isoFromDay(scenario.asOf - 1)}T09:00:00Z` }]);
    await projector.catchUp();
    const after = (await lookup()) as { estimate: { reasons: { code: string }[] } };
    expect(after).toMatchObject({ statusCode: 'CASE_APPROVED', history: [{ eventType: 'CaseReceived' }, { eventType: 'DecisionIssued' }], estimate: { staleness: null } });
    expect(after.estimate.reasons.map((reason) => reason.code)).toContain('CASE_DECIDED');
  });

  it('answers bad input with the coded errors of the lookups', async () => {
    const invalid = await post(ESTIMATE, { r: 'IOE12' });
    expect(invalid.errors?.map((e) => [e.extensions['code'], e.extensions['argument']])).toEqual([['INVALID_RECEIPT_NUMBER', 'receiptNumber']]);
    const unknown = await post(ESTIMATE, { r: 'IOE0999999999' });
    expect(unknown.errors?.map((e) => e.extensions['code'])).toEqual(['NOT_FOUND']);
    const office = await post('{ processingTimes(agency: "USCIS", formType: "I-485", office: "XYZ") { curve { cases } } }');
    expect(office.errors?.map((e) => [e.extensions['code'], e.extensions['argument']])).toEqual([['BAD_USER_INPUT', 'office']]);
    const language = await post('query ($r: String!) { caseStatus(receiptNumber: $r) { estimate { summaryText(language: FR) } } }', { r: scenario.cases[0].receiptNumber });
    expect(language.errors?.map((e) => e.extensions['code'])).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
