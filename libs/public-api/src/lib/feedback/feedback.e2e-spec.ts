import { createHash, randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { caseStreamId } from '@case-status/case-domain';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { feedbackResults, FeedbackSubmitter, PostgresFeedbackResults, REDACTED, responseEventId, SurveyLinks } from '@case-status/feedback';
import { CaseLinker, caseLinks, newPersonAssertionKeys, PostgresAccessCodeAttempts, PostgresCaseLinks, PostgresRepresentatives, type PersonAssertionSigner } from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { caseReadModels, PostgresReadModels } from '@case-status/read-models';
import { ProjectionRunner } from '@case-status/projection-runner';
import { InMemoryCaseStatusChangeFeed, agencyKeys, caseworkerToken, signingKey, type SigningKey } from '../../testing';
import { createStatusApp } from '../status.app';

const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const SECRET = 'test-feedback-secret';

interface GraphqlBody {
  data: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const SUBMIT = `mutation ($r: String!, $a: FeedbackAnswersInput!, $l: Language, $link: String) { submitFeedback(receiptNumber: $r, answers: $a, language: $l, surveyLink: $link) { quarter replayed } }`;
const ACCESS_CODE = 'K7QM4TXR9HPA';
const RESULTS = `query ($agency: String!, $service: String, $from: String, $to: String) {
  feedbackResults(agency: $agency, service: $service, fromQuarter: $from, toQuarter: $to) {
    agency minimumResponses openQuarter csvPath
    groups { agency service serviceName quarter quarterStart quarterEnd responses
      questions { question responses published agreeShare counts { stronglyDisagree disagree neitherAgreeNorDisagree agree stronglyAgree } } }
  }
}`;
const COMMENTS = `query ($q: String!, $s: String, $first: Int, $after: String) { feedbackComments(quarter: $q, service: $s, first: $first, after: $after) { comments { service quarter language text } endCursor } }`;

const mediaType = (header: unknown) => String(header).split(';')[0];
const codes = (body: GraphqlBody) => body.errors?.map((e) => e.extensions['code']);
const schemaName = (label: string) => `fb_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

/**
 * The survey through the GraphQL status API and the CSV route, on real PostgreSQL: the event
 * store, the case read models (to know a case is decided) and the feedback projection.
 */
describe('customer feedback through the status API', () => {
  const pool = new Pool({ connectionString: DATABASE_URL, max: 6 });
  const schemas = { events: schemaName('es'), cases: schemaName('rm'), feedback: schemaName('fb'), links: schemaName('ln'), attempts: schemaName('at'), reps: schemaName('rp') };
  let now = new Date('2026-11-24T15:00:00Z'); // FY2027-Q1
  let store: PostgresEventStore;
  let caseProjector: ProjectionRunner;
  let feedbackProjector: ProjectionRunner;
  let linksProjector: ProjectionRunner;
  let linker: CaseLinker;
  let assertions: PersonAssertionSigner;
  let app: NestFastifyApplication;
  let uscisKey: SigningKey;
  let vbaKey: SigningKey;
  let receipts = 0;

  const post = async (query: string, variables?: Record<string, unknown>, options: { bearer?: string; target?: NestFastifyApplication; client?: string } = {}) => {
    const res = await (options.target ?? app).inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: options.client ?? '192.0.2.1',
      headers: options.bearer ? { authorization: `Bearer ${options.bearer}` } : {},
      payload: { query, variables },
    });
    return { status: res.statusCode, body: res.json<GraphqlBody>() };
  };
  /** The survey link a decision about the case brings its applicant (issued now, under the API's secret). */
  const surveyLink = (receiptNumber: string, options: { secret?: string; issuedAt?: Date } = {}) =>
    new SurveyLinks({ secret: options.secret ?? SECRET, clock: () => options.issuedAt ?? now }).issue(receiptNumber).token;
  /** The applicant's answer, through the survey link. */
  const submit = (receiptNumber: string, answers: Record<string, unknown>, language = 'EN', target?: NestFastifyApplication) =>
    post(SUBMIT, { r: receiptNumber, a: answers, l: language, link: surveyLink(receiptNumber) }, { target });
  /** An answer from someone with no proof, or another proof than the case's own link. */
  const submitAs = (receiptNumber: string, answers: Record<string, unknown>, proof: { link?: string; bearer?: string } = {}) =>
    post(SUBMIT, { r: receiptNumber, a: answers, l: 'EN', ...(proof.link !== undefined && { link: proof.link }) }, { bearer: proof.bearer });

  /** A USCIS case received (and decided, unless `pending`) and projected; returns its receipt number. */
  const recordCase = async (options: { formType?: string; pending?: boolean } = {}): Promise<string> => {
    const receiptNumber = `IOE09${String(++receipts).padStart(8, '0')}`;
    const received = { agency: 'USCIS', receiptNumber, formType: options.formType ?? 'I-130', office: 'NBC', accessCodeHash: await hashAccessCode(ACCESS_CODE) };
    const events = [
      { type: 'CaseReceived', data: received, occurredAt: '2026-06-01T10:00:00Z' },
      ...(options.pending ? [] : [{ type: 'DecisionIssued', data: { outcome: 'approved' }, occurredAt: '2026-11-02T10:00:00Z' }]),
    ];
    await store.appendToStream(
      caseStreamId('USCIS', receiptNumber),
      events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { occurredAt: event.occurredAt } })),
      { expectedRevision: 'no_stream' },
    );
    for (let attempt = 0; attempt < 400; attempt++) {
      await caseProjector.catchUp();
      const { rows } = await pool.query(`SELECT 1 FROM "${schemas.cases}".case_status WHERE receipt_number = $1`, [receiptNumber]);
      if (rows.length === 1) return receiptNumber;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`case ${receiptNumber} was never projected`);
  };
  /**
   * Projects until every stored feedback event is counted. One catch-up may stop short: a
   * transaction open anywhere in the cluster holds back what readers see (docs/adr/0002).
   */
  const projectAllFeedback = async () => {
    for (let attempt = 0; attempt < 400; attempt++) {
      await feedbackProjector.catchUp();
      const { rows } = await pool.query<{ stored: number; counted: number }>(
        `SELECT (SELECT count(*)::int FROM "${schemas.events}".events WHERE stream_id LIKE 'feedback-%') AS stored,
                (SELECT coalesce(sum(responses), 0)::int FROM "${schemas.feedback}".group_responses) AS counted`,
      );
      if (rows[0].counted === rows[0].stored) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the feedback projection did not catch up');
  };
  const feedbackEvents = (service = 'I-130') => store.readStream(`feedback-USCIS-${service}`);
  const storedResponses = async () =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schemas.events}".events WHERE stream_id LIKE 'feedback-%'`)).rows[0].n;
  /** A person signed in at `level` (2 unless said) who linked `linked` with its access code; returns their person assertion. */
  const signedIn = async (subject: string, linked: string[] = [], level: 1 | 2 = 2) => {
    const person = { issuer: 'https://idp.example.gov', subject, assuranceLevel: level, email: `${subject}@example.org`, emailVerified: true };
    for (const receiptNumber of linked) {
      expect(await linker.link(person, receiptNumber, ACCESS_CODE)).toMatchObject({ ok: true });
      await linksProjector.catchUp();
    }
    return assertions.sign(person);
  };

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema: schemas.events });
    caseProjector = new ProjectionRunner(caseReadModels, { pool, source: store, schema: schemas.cases });
    await caseProjector.init();
    feedbackProjector = new ProjectionRunner(feedbackResults, { pool, source: store, schema: schemas.feedback });
    await feedbackProjector.init();
    const attempts = new PostgresAccessCodeAttempts({ pool, schema: schemas.attempts });
    await attempts.migrate();
    linker = new CaseLinker({ events: store, attempts, clock: () => now });
    linksProjector = new ProjectionRunner(caseLinks, { pool, source: store, schema: schemas.links });
    await linksProjector.init();
    const assertionKeys = await newPersonAssertionKeys();
    assertions = assertionKeys.signer;
    uscisKey = await signingKey('uscis-cw');
    vbaKey = await signingKey('vba-cw');
    app = await createStatusApp({
      queries: new PostgresReadModels({ connection: pool, schema: schemas.cases }),
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ USCIS: uscisKey, VBA: vbaKey }),
      rateLimit: false,
      clock: () => now,
      feedback: {
        submitter: new FeedbackSubmitter({ events: store, secret: SECRET, clock: () => now }),
        results: new PostgresFeedbackResults({ connection: pool, schema: schemas.feedback, secret: SECRET }),
      },
      myCases: {
        linker,
        links: new PostgresCaseLinks({ connection: pool, schema: schemas.links }),
        representatives: new PostgresRepresentatives({ connection: pool, schema: schemas.reps }),
        assertionKeys: assertionKeys.publicKeys,
      },
      logger: false,
    });
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  describe('the survey', () => {
    it('serves the seven A-11 questions and the agreement scale in English and in Spanish', async () => {
      const query = `query ($l: Language) { feedbackSurvey(language: $l, agency: "USCIS") { language intro scale { value label } questions { id driver text } freeText { prompt hint maxLength } } }`;
      const en = (await post(query, { l: 'EN' })).body.data?.['feedbackSurvey'] as Record<string, unknown> & { questions: { id: string; text: string }[]; scale: { label: string }[] };
      const es = (await post(query, { l: 'ES' })).body.data?.['feedbackSurvey'] as typeof en;
      expect(en.questions.map((q) => q.id)).toEqual(['SATISFACTION', 'TRUST', 'EFFECTIVENESS', 'EASE', 'EFFICIENCY', 'EQUITY', 'EMPLOYEE_HELPFULNESS']);
      expect(en.questions[0].text).toBe('I am satisfied with the service I received from USCIS.');
      expect(es.questions[0].text).toBe('Estoy satisfecho(a) con el servicio que recibí de USCIS.');
      expect(es.questions).toHaveLength(7);
      expect(en.scale.map((p) => p.label)).toEqual(['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree']);
      expect(es.scale[4].label).toBe('Totalmente de acuerdo');
      expect(en['freeText']).toMatchObject({ maxLength: 2000 });
    });
  });

  describe('submitFeedback', () => {
    it('records an anonymous response for a decided case: no receipt number in the stored event, its stream or its id', async () => {
      const receiptNumber = await recordCase();
      const { body } = await submit(receiptNumber, { satisfaction: 5, ease: 4, trust: null, freeText: `Took long. My receipt is ${receiptNumber}, write to me at ana@example.org` }, 'ES');
      expect(body.errors).toBeUndefined();
      expect(body.data?.['submitFeedback']).toEqual({ quarter: 'FY2027-Q1', replayed: false });

      const [stored, ...more] = await feedbackEvents();
      expect(more).toHaveLength(0);
      expect(stored.type).toBe('FeedbackSubmitted');
      expect(stored.streamId).toBe('feedback-USCIS-I-130');
      expect(stored.data).toEqual({
        agency: 'USCIS',
        service: 'I-130',
        quarter: 'FY2027-Q1',
        language: 'es',
        answers: { satisfaction: 5, ease: 4 },
        freeText: `Took long. My receipt is ${REDACTED.receiptNumber}, write to me at ${REDACTED.email}`,
      });
      const everything = JSON.stringify({ ...stored, revision: String(stored.revision), position: null });
      expect(everything).not.toContain(receiptNumber);
      expect(everything).not.toContain(receiptNumber.slice(3));
      expect(everything).not.toContain('ana@example.org');
      expect(Object.keys(stored.metadata).sort()).toEqual(['attempt', 'schemaVersion']);
      // One per case comes from the id: derived from the receipt number under the secret.
      expect(stored.id).toBe(responseEventId(SECRET, receiptNumber));
    });

    it('answers the same answers again as a replay and refuses different ones, storing one response per case', async () => {
      const receiptNumber = await recordCase({ formType: 'I-765' });
      const answers = { equity: 3, efficiency: 2 };
      expect((await submit(receiptNumber, answers)).body.data?.['submitFeedback']).toEqual({ quarter: 'FY2027-Q1', replayed: false });
      expect((await submit(receiptNumber, { efficiency: 2, equity: 3 })).body.data?.['submitFeedback']).toEqual({ quarter: 'FY2027-Q1', replayed: true });
      const changed = await submit(receiptNumber, { equity: 5 });
      expect(codes(changed.body)).toEqual(['FEEDBACK_ALREADY_SUBMITTED']);
      expect(changed.body.errors?.[0].extensions['argument']).toBe('receiptNumber');
      const inOtherLanguage = await submit(receiptNumber, answers, 'ES');
      expect(codes(inOtherLanguage.body)).toEqual(['FEEDBACK_ALREADY_SUBMITTED']);
      expect(await feedbackEvents('I-765')).toHaveLength(1);
    });

    it('lets only one of two different concurrent responses for a case through', async () => {
      const receiptNumber = await recordCase({ formType: 'N-400' });
      const answers = [1, 2, 3, 4, 5].map((value) => ({ satisfaction: value }));
      const results = await Promise.all(answers.map((a) => submit(receiptNumber, a)));
      expect(results.filter((r) => r.body.errors === undefined)).toHaveLength(1);
      expect(results.flatMap((r) => codes(r.body) ?? [])).toEqual(Array(4).fill('FEEDBACK_ALREADY_SUBMITTED'));
      expect(await feedbackEvents('N-400')).toHaveLength(1);
    });

    it('refuses a case that has no decision yet, and stores nothing', async () => {
      const receiptNumber = await recordCase({ formType: 'I-90', pending: true });
      const { body } = await submit(receiptNumber, { satisfaction: 4 });
      expect(codes(body)).toEqual(['CASE_NOT_DECIDED']);
      expect(body.data).toEqual({ submitFeedback: null });
      expect(await feedbackEvents('I-90')).toHaveLength(0);
    });

    it('refuses unknown cases and malformed receipt numbers', async () => {
      expect(codes((await submit('IOE0999999999', { satisfaction: 4 })).body)).toEqual(['NOT_FOUND']);
      expect(codes((await submit('not-a-receipt', { satisfaction: 4 })).body)).toEqual(['INVALID_RECEIPT_NUMBER']);
    });

    it('refuses answers off the scale, no answers at all, and free text that is too long, naming the input', async () => {
      const receiptNumber = await recordCase({ formType: 'I-485' });
      const refusal = async (answers: Record<string, unknown>) => {
        const { body } = await submit(receiptNumber, answers);
        return { code: codes(body)?.[0], argument: body.errors?.[0].extensions['argument'] };
      };
      expect(await refusal({ satisfaction: 4, ease: 6 })).toEqual({ code: 'INVALID_ANSWER', argument: 'answers.ease' });
      expect(await refusal({ employeeHelpfulness: 0 })).toEqual({ code: 'INVALID_ANSWER', argument: 'answers.employeeHelpfulness' });
      expect(await refusal({})).toEqual({ code: 'INVALID_ANSWER', argument: 'answers' });
      expect(await refusal({ freeText: 'only words' })).toEqual({ code: 'INVALID_ANSWER', argument: 'answers' });
      expect(await refusal({ ease: 4, freeText: 'x'.repeat(2001) })).toEqual({ code: 'INVALID_ANSWER', argument: 'answers.freeText' });
      // Not a whole number: GraphQL's Int refuses it before the survey sees it.
      expect((await refusal({ ease: 2.5 })).code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(await feedbackEvents('I-485')).toHaveLength(0);
    });

    it('counts against the public rate limit, like the other public operations', async () => {
      const limited = await createStatusApp({
        queries: new PostgresReadModels({ connection: pool, schema: schemas.cases }),
        changeFeed: new InMemoryCaseStatusChangeFeed(),
        caseworkerKeys: {},
        rateLimit: { max: 2, timeWindow: 60_000 },
        feedback: {
          submitter: new FeedbackSubmitter({ events: store, secret: SECRET, clock: () => now }),
          results: new PostgresFeedbackResults({ connection: pool, schema: schemas.feedback, secret: SECRET }),
        },
        logger: false,
      });
      try {
        const statuses = [];
        for (let i = 0; i < 3; i++) {
          const res = await post(SUBMIT, { r: 'IOE0999999998', a: { ease: 3 }, link: surveyLink('IOE0999999998') }, { target: limited, client: '198.51.100.7' });
          statuses.push([res.status, codes(res.body)?.[0]]);
        }
        expect(statuses).toEqual([
          [200, 'NOT_FOUND'],
          [200, 'NOT_FOUND'],
          [429, 'RATE_LIMITED'],
        ]);
      } finally {
        await limited.close();
      }
    });

    it('answers FEEDBACK_UNAVAILABLE when the server runs without the survey, but still serves the questions', async () => {
      const bare = await createStatusApp({
        queries: new PostgresReadModels({ connection: pool, schema: schemas.cases }),
        changeFeed: new InMemoryCaseStatusChangeFeed(),
        caseworkerKeys: {},
        rateLimit: false,
        logger: false,
      });
      try {
        expect(codes((await submit('IOE0999999999', { ease: 3 }, 'EN', bare)).body)).toEqual(['FEEDBACK_UNAVAILABLE']);
        expect(codes((await post(RESULTS, { agency: 'USCIS' }, { target: bare })).body)).toEqual(['FEEDBACK_UNAVAILABLE']);
        expect((await post('{ feedbackSurvey { questions { id } } }', {}, { target: bare })).body.errors).toBeUndefined();
        const csv = await bare.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS' });
        expect([csv.statusCode, mediaType(csv.headers['content-type']), csv.json().code]).toEqual([503, 'application/problem+json', 'FEEDBACK_UNAVAILABLE']);
      } finally {
        await bare.close();
      }
    });
  });

  describe('only the applicant may answer', () => {
    const NOT_ALLOWED = "Only the applicant can answer a case's survey: open the survey link sent with the decision, or sign in (identity verified) and open the survey from My cases.";
    /** Everything a refusal shows: the HTTP status and the whole body. */
    const refusalOf = async (answer: Promise<{ status: number; body: GraphqlBody }>) => {
      const { status, body } = await answer;
      return { status, body };
    };
    const NOT_ALLOWED_ANSWER = {
      status: 200,
      body: { data: { submitFeedback: null }, errors: [{ message: NOT_ALLOWED, locations: expect.any(Array), path: ['submitFeedback'], extensions: { code: 'FEEDBACK_NOT_ALLOWED' } }] },
    };

    it('tells a stranger with a receipt number the same thing for an answered, an unanswered, an undecided and an unknown case, and stores nothing', async () => {
      const answered = await recordCase({ formType: 'I-129' });
      expect((await submit(answered, { satisfaction: 4 })).body.errors).toBeUndefined();
      const unanswered = await recordCase({ formType: 'I-129' });
      const undecided = await recordCase({ formType: 'I-129', pending: true });
      const before = await storedResponses();
      for (const receiptNumber of [answered, unanswered, undecided, 'IOE0999999997']) {
        // The same answers as the stored one, and different ones: neither tells replay from refusal.
        expect(await refusalOf(submitAs(receiptNumber, { satisfaction: 4 }))).toEqual(NOT_ALLOWED_ANSWER);
        expect(await refusalOf(submitAs(receiptNumber, { satisfaction: 1 }))).toEqual(NOT_ALLOWED_ANSWER);
        // Invalid answers do not get past the question of who is asking either.
        expect(await refusalOf(submitAs(receiptNumber, { satisfaction: 9 }))).toEqual(NOT_ALLOWED_ANSWER);
      }
      expect(await storedResponses()).toBe(before);
    });

    it("refuses case A's link for case B, and an edited, expired or foreign link, alike", async () => {
      const caseA = await recordCase({ formType: 'I-129' });
      const caseB = await recordCase({ formType: 'I-129' });
      const linkA = surveyLink(caseA);
      const [expires, mac] = linkA.split('.');
      const before = await storedResponses();
      const refused = [
        linkA, // for case B
        `${Number(expires) + 86_400}.${mac}`, // its expiry moved
        `${expires}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`, // its MAC edited
        surveyLink(caseB, { issuedAt: new Date(now.getTime() - 91 * 86_400_000) }), // issued 91 days ago
        surveyLink(caseB, { secret: 'another-deployment-secret' }),
        '',
        'x'.repeat(500),
      ];
      for (const link of refused) expect(await refusalOf(submitAs(caseB, { ease: 4 }, { link }))).toEqual(NOT_ALLOWED_ANSWER);
      expect(await storedResponses()).toBe(before);
      // Case B's own link, 89 days after it was issued, still works.
      expect((await submitAs(caseB, { ease: 4 }, { link: surveyLink(caseB, { issuedAt: new Date(now.getTime() - 89 * 86_400_000) }) })).body.errors).toBeUndefined();
    });

    it('lets the link answer once: the same answers again are a replay, different ones are refused', async () => {
      const receiptNumber = await recordCase({ formType: 'I-129' });
      const link = surveyLink(receiptNumber);
      expect((await submitAs(receiptNumber, { trust: 2 }, { link })).body.data).toEqual({ submitFeedback: { quarter: 'FY2027-Q1', replayed: false } });
      expect((await submitAs(receiptNumber, { trust: 2 }, { link })).body.data).toEqual({ submitFeedback: { quarter: 'FY2027-Q1', replayed: true } });
      expect(codes((await submitAs(receiptNumber, { trust: 5 }, { link })).body)).toEqual(['FEEDBACK_ALREADY_SUBMITTED']);
      // A link issued later for the same case is the same one-response case.
      expect(codes((await submitAs(receiptNumber, { trust: 5 }, { link: surveyLink(receiptNumber, { issuedAt: new Date(now.getTime() + 1000) }) })).body)).toEqual(['FEEDBACK_ALREADY_SUBMITTED']);
    });

    it('lets the signed-in applicant answer a case in their My cases, and nobody else signed in', async () => {
      const mine = await recordCase({ formType: 'I-129' });
      const theirs = await recordCase({ formType: 'I-129' });
      const ana = await signedIn(`ana-${randomUUID()}`, [mine]);
      const stranger = await signedIn(`eve-${randomUUID()}`, [theirs]);
      const unproofed = await signedIn(`ben-${randomUUID()}`, [], 1);
      const before = await storedResponses();
      expect(await refusalOf(submitAs(mine, { equity: 4 }, { bearer: stranger }))).toEqual(NOT_ALLOWED_ANSWER);
      expect(await refusalOf(submitAs(mine, { equity: 4 }, { bearer: unproofed }))).toEqual(NOT_ALLOWED_ANSWER);
      expect(await refusalOf(submitAs(mine, { equity: 4 }, { bearer: `${ana.slice(0, -4)}AAAA` }))).toEqual(NOT_ALLOWED_ANSWER);
      // A caseworker's token is not a person assertion.
      expect(await refusalOf(submitAs(mine, { equity: 4 }, { bearer: await caseworkerToken(uscisKey, { agency: 'USCIS' }) }))).toEqual(NOT_ALLOWED_ANSWER);
      expect(await storedResponses()).toBe(before);

      expect((await submitAs(mine, { equity: 4 }, { bearer: ana })).body.data).toEqual({ submitFeedback: { quarter: 'FY2027-Q1', replayed: false } });
      expect(codes((await submitAs(mine, { equity: 1 }, { bearer: ana })).body)).toEqual(['FEEDBACK_ALREADY_SUBMITTED']);
      expect(await storedResponses()).toBe(before + 1);
    });
  });

  describe('published results and the CSV export', () => {
    // Twelve I-130 responses in FY2027-Q2 (satisfaction by all, employee helpfulness by three),
    // one more in FY2027-Q3 while it is open.
    beforeAll(async () => {
      now = new Date('2027-02-10T12:00:00Z');
      const satisfaction = [5, 5, 5, 5, 4, 4, 4, 3, 3, 2, 1, 5];
      for (const [i, value] of satisfaction.entries()) {
        const receiptNumber = await recordCase({ formType: 'I-130' });
        const answers = { satisfaction: value, ...(i < 3 && { employeeHelpfulness: 5 }), ...(i === 0 && { freeText: 'Call me on 202 555 0143' }) };
        const { body } = await submit(receiptNumber, answers);
        expect(body.errors).toBeUndefined();
      }
      now = new Date('2027-04-05T12:00:00Z'); // FY2027-Q3, open
      expect((await submit(await recordCase({ formType: 'I-130' }), { satisfaction: 1 })).body.errors).toBeUndefined();
      await projectAllFeedback();
    }, 60_000);

    it('publishes closed quarters per service with sample sizes, withholding questions with too few answers', async () => {
      const { body } = await post(RESULTS, { agency: 'USCIS', service: 'I-130' });
      expect(body.errors).toBeUndefined();
      const results = body.data?.['feedbackResults'] as { groups: { quarter: string; questions: Record<string, unknown>[] }[] } & Record<string, unknown>;
      expect(results).toMatchObject({ agency: 'USCIS', minimumResponses: 10, openQuarter: 'FY2027-Q3', csvPath: '/feedback/results.csv?agency=USCIS&service=I-130' });
      expect(results.groups.map((g) => g.quarter)).toEqual(['FY2027-Q1', 'FY2027-Q2']);
      const q2 = results.groups[1];
      expect(q2).toMatchObject({ service: 'I-130', serviceName: 'Petition for Alien Relative', quarterStart: '2027-01-01', quarterEnd: '2027-03-31', responses: 12 });
      expect(q2.questions[0]).toEqual({
        question: 'SATISFACTION',
        responses: 12,
        published: true,
        agreeShare: 8 / 12,
        counts: { stronglyDisagree: 1, disagree: 1, neitherAgreeNorDisagree: 2, agree: 3, stronglyAgree: 5 },
      });
      expect(q2.questions[6]).toEqual({ question: 'EMPLOYEE_HELPFULNESS', responses: 3, published: false, agreeShare: null, counts: null });
      // FY2027-Q1 had one I-130 response: its size shows, nothing else.
      expect(results.groups[0].questions[0]).toMatchObject({ responses: 1, published: false, counts: null });
    });

    it('filters by quarter range and refuses malformed arguments with codes', async () => {
      const { body } = await post(RESULTS, { agency: 'USCIS', from: 'FY2027-Q2', to: 'FY2027-Q4' });
      expect((body.data?.['feedbackResults'] as { groups: { service: string; quarter: string }[] }).groups.map((g) => `${g.service} ${g.quarter}`)).toEqual(['I-130 FY2027-Q2']);
      const bad = async (variables: Record<string, unknown>) => {
        const res = await post(RESULTS, variables);
        return [codes(res.body)?.[0], res.body.errors?.[0].extensions['argument']];
      };
      expect(await bad({ agency: 'XYZ' })).toEqual(['BAD_USER_INPUT', 'agency']);
      expect(await bad({ agency: 'USCIS', service: '21-526EZ' })).toEqual(['BAD_USER_INPUT', 'service']);
      expect(await bad({ agency: 'USCIS', from: '2027-Q1' })).toEqual(['BAD_USER_INPUT', 'fromQuarter']);
      expect(await bad({ agency: 'USCIS', from: 'FY2027-Q3', to: 'FY2027-Q1' })).toEqual(['BAD_USER_INPUT', 'fromQuarter']);
    });

    it('serves the public results as CSV, exactly', async () => {
      const res = await app.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS&service=I-130&fromQuarter=FY2027-Q2' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
      expect(res.headers['content-disposition']).toBe('attachment; filename="feedback-USCIS-I-130-FY2027-Q2.csv"');
      // Published figures may be cached, unlike every other answer of the API (no-store).
      expect(res.headers['cache-control']).toBe('public, max-age=300');
      const row = (rest: string) => `USCIS,I-130,Petition for Alien Relative,2027,Q2,${rest}`;
      expect(res.body).toBe(
        [
          'agency,service,service_name,fiscal_year,quarter,question,driver,question_text,survey_responses,responses,strongly_disagree,disagree,neither_agree_nor_disagree,agree,strongly_agree,percent_agree,published',
          row('satisfaction,Satisfaction,I am satisfied with the service I received from USCIS.,12,12,1,1,2,3,5,66.7,true'),
          row('trust,Trust,This interaction increased my trust in USCIS.,12,0,,,,,,,false'),
          row('effectiveness,Effectiveness,My need was addressed.,12,0,,,,,,,false'),
          row('ease,Ease,It was easy to complete what I needed to do.,12,0,,,,,,,false'),
          row('efficiency,Efficiency,It took a reasonable amount of time to do what I needed to do.,12,0,,,,,,,false'),
          row('equity,Equity,I was treated fairly.,12,0,,,,,,,false'),
          row('employeeHelpfulness,Employee helpfulness,Employees I interacted with were helpful.,12,3,,,,,,,false'),
          '',
        ].join('\r\n'),
      );
    });

    it('gives an agency caseworker every count and the open quarter in the CSV, and refuses other agencies', async () => {
      const token = await caseworkerToken(uscisKey, { agency: 'USCIS' });
      const res = await app.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS&service=I-130', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('private, no-store');
      const lines = res.body.trim().split('\r\n');
      expect(lines.filter((line) => line.includes(',employeeHelpfulness,'))).toEqual([
        'USCIS,I-130,Petition for Alien Relative,2027,Q1,employeeHelpfulness,Employee helpfulness,Employees I interacted with were helpful.,1,0,0,0,0,0,0,,true',
        'USCIS,I-130,Petition for Alien Relative,2027,Q2,employeeHelpfulness,Employee helpfulness,Employees I interacted with were helpful.,12,3,0,0,0,0,3,100.0,true',
        'USCIS,I-130,Petition for Alien Relative,2027,Q3,employeeHelpfulness,Employee helpfulness,Employees I interacted with were helpful.,1,0,0,0,0,0,0,,true',
      ]);

      const vba = await caseworkerToken(vbaKey, { agency: 'VBA' });
      const refused = await app.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS', headers: { authorization: `Bearer ${vba}` } });
      expect([refused.statusCode, mediaType(refused.headers['content-type']), refused.json().code]).toEqual([403, 'application/problem+json', 'FORBIDDEN']);
      const forged = await app.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS', headers: { authorization: 'Bearer nonsense' } });
      expect([forged.statusCode, forged.json().code]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('refuses bad CSV parameters with problem+json naming the parameter', async () => {
      const res = await app.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS&toQuarter=Q9' });
      expect(res.statusCode).toBe(400);
      expect(mediaType(res.headers['content-type'])).toBe('application/problem+json');
      expect(res.json()).toMatchObject({ status: 400, code: 'BAD_USER_INPUT', argument: 'toQuarter' });
      expect((await app.inject({ method: 'GET', url: '/feedback/results.csv' })).json()).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'agency' });
    });

    it('shows caseworkers the redacted comments of groups with enough responses, and no one else', async () => {
      const token = await caseworkerToken(uscisKey, { agency: 'USCIS' });
      const q2 = await post(COMMENTS, { q: 'FY2027-Q2' }, { bearer: token });
      expect(q2.body.data?.['feedbackComments']).toEqual({
        comments: [{ service: 'I-130', quarter: 'FY2027-Q2', language: 'EN', text: `Call me on ${REDACTED.number}` }],
        endCursor: null,
      });
      // FY2027-Q1's comment is in a group of one response: withheld.
      expect((await post(COMMENTS, { q: 'FY2027-Q1' }, { bearer: token })).body.data?.['feedbackComments']).toEqual({ comments: [], endCursor: null });
      expect(codes((await post(COMMENTS, { q: 'FY2027-Q2' })).body)).toEqual(['UNAUTHENTICATED']);
      expect(codes((await post(COMMENTS, { q: 'FY2027-Q2', after: 'bogus' }, { bearer: token })).body)).toEqual(['BAD_USER_INPUT']);
      expect(codes((await post(COMMENTS, { q: 'FY2027-Q2', s: 'N-400x' }, { bearer: token })).body)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('comments cannot be joined back to a case', () => {
    // Ten I-485 responses in FY2027-Q2, each with a comment, given in this order.
    const given: { receiptNumber: string; text: string }[] = [];
    let token: string;

    beforeAll(async () => {
      now = new Date('2027-02-11T12:00:00Z');
      for (let i = 0; i < 10; i++) {
        const receiptNumber = await recordCase({ formType: 'I-485' });
        const text = `Comment ${String.fromCharCode(65 + i)}: the interview was rescheduled ${i + 1} times.`;
        expect((await submit(receiptNumber, { satisfaction: 3, freeText: text })).body.errors).toBeUndefined();
        given.push({ receiptNumber, text });
      }
      await projectAllFeedback();
      token = await caseworkerToken(uscisKey, { agency: 'USCIS' });
    }, 60_000);

    const page = async (after?: string | null, options: { target?: NestFastifyApplication; service?: string } = {}) => {
      const { body } = await post(COMMENTS, { q: 'FY2027-Q2', s: options.service ?? 'I-485', first: 3, after }, { bearer: token, target: options.target });
      return body;
    };
    const allPages = async () => {
      const pages: { comments: { text: string }[]; endCursor: string | null }[] = [];
      let after: string | null = null;
      do {
        const body = await page(after);
        expect(body.errors).toBeUndefined();
        const current = body.data?.['feedbackComments'] as (typeof pages)[number];
        pages.push(current);
        after = current.endCursor;
      } while (after !== null);
      return pages;
    };

    it('pages through every comment without showing the response id, its hash, the receipt number or the order they were given in', async () => {
      const pages = await allPages();
      expect(pages.map((p) => p.comments.length)).toEqual([3, 3, 3, 1]);
      const texts = pages.flatMap((p) => p.comments.map((c) => c.text));
      expect([...texts].sort()).toEqual(given.map((g) => g.text).sort());
      expect(texts).not.toEqual(given.map((g) => g.text));
      const seen = JSON.stringify(pages);
      const decoded = pages.map((p) => (p.endCursor ? Buffer.from(p.endCursor, 'base64url').toString('hex') : '')).join(' ');
      for (const { receiptNumber } of given) {
        const id = responseEventId(SECRET, receiptNumber);
        const hmac = id.replace(/-/g, '');
        const idHash = createHash('sha256').update(id).digest();
        for (const leak of [receiptNumber, receiptNumber.slice(3), id, hmac, idHash.toString('hex'), idHash.toString('base64url').slice(0, 20)]) {
          expect(seen).not.toContain(leak);
        }
        for (const leak of [hmac.slice(0, 12), idHash.toString('hex').slice(0, 12)]) expect(decoded).not.toContain(leak);
      }
    });

    it("refuses a tampered cursor, another deployment's and one from another query with BAD_USER_INPUT", async () => {
      const first = (await page()).data?.['feedbackComments'] as { endCursor: string };
      expect((await page(first.endCursor)).errors).toBeUndefined();
      const bytes = Buffer.from(first.endCursor, 'base64url');
      bytes[bytes.length - 1] ^= 1;
      const tampered = await page(bytes.toString('base64url'));
      expect([codes(tampered), tampered.errors?.[0].extensions['argument']]).toEqual([['BAD_USER_INPUT'], 'after']);
      expect(tampered.errors?.[0].message).not.toContain(first.endCursor);
      expect(codes(await page(first.endCursor, { service: 'I-130' }))).toEqual(['BAD_USER_INPUT']);

      const otherDeployment = await createStatusApp({
        queries: new PostgresReadModels({ connection: pool, schema: schemas.cases }),
        changeFeed: new InMemoryCaseStatusChangeFeed(),
        caseworkerKeys: agencyKeys({ USCIS: uscisKey }),
        rateLimit: false,
        feedback: {
          submitter: new FeedbackSubmitter({ events: store, secret: 'another-deployment-secret' }),
          results: new PostgresFeedbackResults({ connection: pool, schema: schemas.feedback, secret: 'another-deployment-secret' }),
        },
        logger: false,
      });
      try {
        const theirs = (await page(null, { target: otherDeployment })).data?.['feedbackComments'] as { comments: unknown[]; endCursor: string };
        // Same rows, same order; the cursors differ and neither deployment opens the other's.
        expect(theirs.comments).toEqual((first as unknown as { comments: unknown[] }).comments);
        expect(theirs.endCursor).not.toBe(first.endCursor);
        expect(codes(await page(first.endCursor, { target: otherDeployment }))).toEqual(['BAD_USER_INPUT']);
        expect(codes(await page(theirs.endCursor))).toEqual(['BAD_USER_INPUT']);
      } finally {
        await otherDeployment.close();
      }
    }, 30_000);
  });
});
