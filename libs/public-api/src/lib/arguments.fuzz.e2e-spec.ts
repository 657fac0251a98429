import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { feedbackResults, FeedbackSubmitter, PostgresFeedbackResults, SurveyLinks } from '@case-status/feedback';
import { migrateProjection } from '@case-status/projection-runner';
import { silentLogger } from '@case-status/logging';
import { DeliveryLog, SmtpEmailSender, SubscriptionService, migrateNotifications } from '@case-status/notifications';
import { SmtpCapture, TEST_DATABASE_URL, dropSchema, uniqueName } from '@case-status/notifications/testing';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, signingKey } from '../testing';
import { ERROR_CODES } from './shared/status-errors';
import { createStatusApp } from './status.app';

/**
 * Property-based: the public operations' arguments, random (strings of every kind, e-mail
 * addresses where a receipt number belongs, values of the wrong type, inline or as
 * variables), against the real status app with its notifications on PostgreSQL and a real
 * SMTP server, and its survey on the PostgreSQL event store. Run counts are kept small so the
 * file runs in seconds; fast-check prints the seed and the shrunk counterexample of a
 * failure, and `FUZZ_RUNS` asks for more.
 */
/**
 * The suite runs one fixed seed, so its outcome is the same on every run; `FUZZ_SEED=random`
 * (or another number) explores new inputs, and `FUZZ_RUNS` asks for more of them.
 */
const seed = process.env['FUZZ_SEED'] === 'random' ? undefined : Number(process.env['FUZZ_SEED'] ?? 20261205);
const runs = (usual: number) => ({ numRuns: Number(process.env['FUZZ_RUNS'] ?? usual), ...(seed === undefined ? {} : { seed }) });

/** An address anywhere in a message: what no error may echo. */
const EMAIL_ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;

const KNOWN_RECEIPTS = ['IOE0912345678', 'IOE0900000002', 'VBA-2026-0000001'];
const FEEDBACK_SECRET = 'fuzz-feedback-secret';
/** The known cases' survey links, so that answers get past the question of who is asking too. */
const SURVEY_LINKS = KNOWN_RECEIPTS.map((receiptNumber) => new SurveyLinks({ secret: FEEDBACK_SECRET }).issue(receiptNumber).token);
const email = fc.emailAddress().filter((address) => EMAIL_ADDRESS.test(address));
/** What someone might type where a receipt number belongs. */
const receiptLike = fc.oneof(
  fc.constantFrom(...KNOWN_RECEIPTS, 'ioe0912345678', ' IOE0912345678 ', 'IOE091234567', 'IOE-0912345678', ''),
  email,
  fc.tuple(fc.constantFrom('IOE', 'MSC', 'VBA-'), email).map(([prefix, address]) => `${prefix}${address}`),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ minLength: 200, maxLength: 300 }),
);
/** A value of any JSON type, for an argument that expects a string (or an enum, or an input object). */
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
const stringArg = fc.oneof({ weight: 6, arbitrary: receiptLike as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: wrongType });
const language = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('EN', 'ES') as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('en', 'FR', ''), email, wrongType) });
const score = fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: -10, max: 10 }), fc.constant(null));
const answers = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record(
      { satisfaction: score, trust: score, ease: score, equity: score, freeText: fc.oneof(fc.string({ maxLength: 60 }), email.map((a) => `write to me at ${a}`), fc.string({ minLength: 2001, maxLength: 2100 })) },
      { requiredKeys: [] },
    ) as fc.Arbitrary<unknown>,
  },
  { weight: 1, arbitrary: fc.oneof(wrongType, fc.record({ satisfaction: fc.oneof(email, fc.double()) }), fc.record({ [`unknown`]: fc.string() })) },
);

interface Operation {
  /** The operation's text with its arguments as variables. */
  query: string;
  variables: Record<string, unknown>;
}

/** Each public operation, its arguments drawn at random. */
const operations: fc.Arbitrary<Operation>[] = [
  stringArg.map((r) => ({ query: 'query ($r: String!) { caseStatus(receiptNumber: $r) { receiptNumber statusCode text } }', variables: { r } })),
  fc.record({ a: stringArg, f: stringArg, o: stringArg, w: fc.oneof(fc.integer({ min: -5, max: 40 }), wrongType) }).map((variables) => ({
    query: 'query ($a: String!, $f: String!, $o: String!, $w: Int) { processingTimes(agency: $a, formType: $f, office: $o, windowMonths: $w) { medianDays completedCount } }',
    variables,
  })),
  fc.record({ r: stringArg, e: fc.oneof({ weight: 3, arbitrary: email as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: stringArg }), l: language }).map((variables) => ({
    query: 'mutation ($r: String!, $e: String!, $l: Language) { subscribeToCase(receiptNumber: $r, email: $e, language: $l) { subscriptionId status } }',
    variables,
  })),
  fc.record({ r: stringArg, a: answers, l: language, s: fc.option(fc.oneof(stringArg, fc.constantFrom(...SURVEY_LINKS)), { nil: undefined }) }).map((variables) => ({
    query: 'mutation ($r: String!, $a: FeedbackAnswersInput!, $l: Language, $s: String) { submitFeedback(receiptNumber: $r, answers: $a, language: $l, surveyLink: $s) { quarter replayed } }',
    variables,
  })),
  fc.record({ l: language, a: fc.option(stringArg, { nil: undefined }) }).map((variables) => ({
    query: 'query ($l: Language, $a: String) { feedbackSurvey(language: $l, agency: $a) { intro questions { id text } } }',
    variables,
  })),
  fc.record({ a: stringArg, s: fc.option(stringArg, { nil: undefined }), from: fc.option(fc.oneof(fc.constantFrom('FY2026-Q1', 'FY2026-Q5', '2026-Q1'), stringArg), { nil: undefined }), to: fc.option(stringArg, { nil: undefined }) }).map((variables) => ({
    query: 'query ($a: String!, $s: String, $from: String, $to: String) { feedbackResults(agency: $a, service: $s, fromQuarter: $from, toQuarter: $to) { openQuarter groups { quarter } } }',
    variables,
  })),
];

/** The same operation with its string arguments written into the query text, as a hand-written query would. */
const inlined = ({ query, variables }: Operation): Operation | undefined => {
  if (!Object.values(variables).every((value) => typeof value === 'string' || value === undefined)) return undefined;
  const body = query.replace(/^(query|mutation) \([^)]*\)/, '$1').replace(/\$(\w+)/g, (_, name: string) => (variables[name] === undefined ? 'null' : JSON.stringify(variables[name])));
  return { query: body, variables: {} };
};

const operation = fc.tuple(fc.oneof(...operations), fc.boolean()).map(([op, inline]) => (inline ? (inlined(op) ?? op) : op));

interface GraphqlAnswer {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('public GraphQL arguments under random input (property-based)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 6 });
  const schemas = { notifications: uniqueName('fuzz_notif'), events: uniqueName('fuzz_events'), feedback: uniqueName('fuzz_feedback') };
  const smtp = new SmtpCapture();
  let sender: SmtpEmailSender;
  let store: PostgresEventStore;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    await Promise.all([smtp.start(), migrateNotifications(pool, schemas.notifications), migrateProjection(pool, feedbackResults, schemas.feedback)]);
    store = await createPostgresEventStore({ connection: pool, schema: schemas.events });
    sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
    const readModels = new InMemoryReadModels();
    readModels.put(caseView({ receiptNumber: 'IOE0912345678' }));
    readModels.put(caseView({ receiptNumber: 'IOE0900000002', step: 'decided', statusCode: 'CASE_APPROVED', decision: { outcome: 'approved', decidedAt: '2026-05-01T15:00:00Z' } }));
    readModels.put(caseView({ receiptNumber: 'VBA-2026-0000001', agency: 'VBA', formType: '21-526EZ', office: 'RO301' }));
    app = await createStatusApp({
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ VBA: await signingKey('vba-1') }),
      // The limits are tested on their own; here they would only cut the runs short.
      rateLimit: false,
      subscribeRateLimit: false,
      notifications: {
        subscriptions: new SubscriptionService({
          pool,
          schema: schemas.notifications,
          email: sender,
          publicBaseUrl: 'https://status.example.gov',
          webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false },
          logger: silentLogger,
        }),
        deliveryLog: new DeliveryLog(pool, schemas.notifications),
        // Nobody is of record here: a representative token that gets past the arguments is refused.
        representatives: { isOfRecord: async () => false },
      },
      feedback: {
        submitter: new FeedbackSubmitter({ events: store, secret: FEEDBACK_SECRET }),
        results: new PostgresFeedbackResults({ connection: pool, schema: schemas.feedback, secret: FEEDBACK_SECRET }),
      },
      logger: false,
    });
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    sender?.close();
    await smtp.stop();
    for (const schema of Object.values(schemas)) await dropSchema(pool, schema);
    await pool.end();
  });

  it('answers every operation without a 500; every error carries a known code and no message echoes an e-mail address', async () => {
    await fc.assert(
      fc.asyncProperty(operation, async ({ query, variables }) => {
        const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
        expect(res.statusCode).toBeLessThan(500);
        const answer = res.json<GraphqlAnswer>();
        expect(answer.data !== undefined || answer.errors !== undefined).toBe(true);
        for (const error of answer.errors ?? []) {
          expect(ERROR_CODES).toContain(error.extensions?.['code']);
          expect(error.message).not.toMatch(EMAIL_ADDRESS);
        }
        // Not in any other part of an error either (extensions, paths).
        expect(JSON.stringify(answer.errors ?? [])).not.toMatch(EMAIL_ADDRESS);
      }),
      runs(250),
    );
  }, 60_000);

  it('survives query text that is not GraphQL, or barely, with a coded error', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.tuple(fc.constantFrom('{ caseStatus(receiptNumber: ', 'mutation { subscribeToCase(email: ', 'query ($r: String!) { caseStatus(receiptNumber: $r'), email, fc.string({ maxLength: 10 })).map((parts) => parts.join('')),
    );
    await fc.assert(
      fc.asyncProperty(text, async (query) => {
        const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query } });
        expect(res.statusCode).toBeLessThan(500);
        const answer = res.json<GraphqlAnswer>();
        for (const error of answer.errors ?? []) expect(ERROR_CODES).toContain(error.extensions?.['code']);
        expect(JSON.stringify(answer.errors ?? [])).not.toMatch(EMAIL_ADDRESS);
      }),
      runs(150),
    );
  }, 60_000);
});
