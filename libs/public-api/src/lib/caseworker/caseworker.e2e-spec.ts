import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, caseworkerToken, signingKey, type SigningKey } from '../../testing';
import type { RecordedEvent } from '@case-status/event-store';
import type { AccessRead } from '@case-status/identity';
import { createStatusApp } from '../status.app';

const NOW = new Date('2026-07-01T00:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

const HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';
const recorded = (revision: number, type: string, data: Record<string, unknown>, occurredAt: string): RecordedEvent => ({
  id: `00000000-0000-4000-8000-00000000000${revision}`,
  streamId: 'case-USCIS-IOE1000000009',
  revision: BigInt(revision),
  position: { commit: BigInt(revision + 1), sequence: 0 } as unknown as RecordedEvent['position'],
  type,
  data,
  metadata: { occurredAt, submittedBy: 'uscis-intake' },
  recordedAt: new Date(occurredAt),
});
/** The stream of IOE1000000009: received with an access code hash, a new code issued, then in review. */
const streams = new Map<string, RecordedEvent[]>([
  [
    'case-USCIS-IOE1000000009',
    [
      recorded(0, 'CaseReceived', { formType: 'N-400', office: 'CHI', accessCodeHash: HASH }, daysAgo(5)),
      recorded(1, 'AccessCodeIssued', { accessCodeHash: HASH }, daysAgo(4)),
      recorded(2, 'CaseReviewStarted', {}, daysAgo(3)),
    ],
  ],
]);

/** USCIS's refusal log, newest first: two unknown offices today, one older than a week. */
const refusal = (revision: number, refusedAt: string, receiptNumber: string): RecordedEvent => ({
  ...recorded(revision, 'SubmissionRefused', { code: 'INVALID_VALUE', status: 422, detail: 'The submission is not valid.', receiptNumber, errors: [{ field: '/data/office', reason: '"XXX" is not a USCIS office' }] }, refusedAt),
  streamId: 'intake-refusals-USCIS',
  metadata: { refusedAt, submittedBy: 'uscis-feed' },
});
streams.set('intake-refusals-USCIS', [refusal(2, daysAgo(0), 'IOE1000000020'), refusal(1, daysAgo(0), 'IOE1000000021'), refusal(0, daysAgo(8), 'IOE1000000022')]);

describe('caseworker GraphQL queries, through Fastify', () => {
  const readModels = new InMemoryReadModels();
  let app: NestFastifyApplication;
  const privateReads: AccessRead[] = [];
  let uscisKey: SigningKey;
  let vbaKey: SigningKey;

  const post = async (query: string, bearer?: string, variables?: Record<string, unknown>) => {
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
      payload: { query, variables },
    });
    return { status: res.statusCode, body: res.json() };
  };
  const uscisCaseworker = () => caseworkerToken(uscisKey, { agency: 'USCIS' });

  beforeAll(async () => {
    // Pending USCIS cases aged 10, 60, 120, 200 and 400 days at NBC, one at CHI, one decided; one VBA case.
    [10, 60, 120, 200, 400].forEach((age, i) => readModels.put(caseView({ receiptNumber: `IOE100000000${i}`, receivedAt: daysAgo(age) })));
    readModels.put(caseView({ receiptNumber: 'IOE1000000009', office: 'CHI', formType: 'N-400', receivedAt: daysAgo(5), statusCode: 'CASE_IN_REVIEW', step: 'in_review' }));
    readModels.put(caseView({ receiptNumber: 'IOE1000000010', receivedAt: daysAgo(300), decision: { outcome: 'denied', decidedAt: daysAgo(1) }, statusCode: 'CASE_DENIED' }));
    readModels.put(caseView({ receiptNumber: 'VBA-2026-0000001', agency: 'VBA', formType: '21-526EZ', office: 'RO301', receivedAt: daysAgo(3) }));

    const accuracy = { served: 40, withheld: 4, withheldShare: 0.1, estimates: { scored: 30, cameTrue: 24, cameTrueShare: 0.8, errors: 25, medianErrorDays: 12 }, publishedStyle: { scored: 36, cameTrue: 18, cameTrueShare: 0.5, errors: 25, medianErrorDays: 40 } };
    readModels.accuracy.set('USCIS|I-130', [{ agency: 'USCIS', formType: 'I-130', month: '2026-05', scoredThrough: '2026-06-30', accuracy }]);
    readModels.accuracy.set('VBA|21-526EZ', [{ agency: 'VBA', formType: '21-526EZ', month: '2026-05', scoredThrough: '2026-06-30', accuracy: { ...accuracy, served: 7 } }]);

    uscisKey = await signingKey('uscis-cw-1');
    vbaKey = await signingKey('vba-cw-1');
    app = await createStatusApp({
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ USCIS: uscisKey, VBA: vbaKey }),
      caseEvents: { readStream: async (streamId: string) => streams.get(streamId) ?? [] },
      // The audit itself is tested on PostgreSQL (access-audit.e2e-spec): here, what is recorded.
      accessAudit: { record: async (reads: readonly AccessRead[]) => void privateReads.push(...reads), ofCase: async () => [], ofAgency: async () => [] },
      rateLimit: false,
      clock: () => NOW,
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('backlog', () => {
    it("answers the caseworker's agency's pending cases by form and office, with aging buckets", async () => {
      const { body } = await post('{ backlog { agency formType office pendingCount oldestReceivedAt aging { upTo30 upTo90 upTo180 upTo365 over365 } } }', await uscisCaseworker());
      expect(body.errors).toBeUndefined();
      expect(body.data.backlog).toEqual([
        { agency: 'USCIS', formType: 'I-130', office: 'NBC', pendingCount: 5, oldestReceivedAt: daysAgo(400), aging: { upTo30: 1, upTo90: 1, upTo180: 1, upTo365: 1, over365: 1 } },
        { agency: 'USCIS', formType: 'N-400', office: 'CHI', pendingCount: 1, oldestReceivedAt: daysAgo(5), aging: { upTo30: 1, upTo90: 0, upTo180: 0, upTo365: 0, over365: 0 } },
      ]);
    });

    it('narrows to one form and office', async () => {
      const { body } = await post('{ backlog(formType: "N-400", office: "CHI") { formType office pendingCount } }', await uscisCaseworker());
      expect(body.data.backlog).toEqual([{ formType: 'N-400', office: 'CHI', pendingCount: 1 }]);
    });

    it('answers BAD_USER_INPUT for an office of another agency', async () => {
      const { body } = await post('{ backlog(office: "RO301") { pendingCount } }', await uscisCaseworker());
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'office' }, message: expect.stringContaining('"RO301" is not a USCIS office') })]);
    });
  });

  describe('cases', () => {
    const page = `query ($first: Int, $after: String, $filter: CaseFilter) {
      cases(first: $first, after: $after, filter: $filter) { edges { cursor node { receiptNumber agency } } pageInfo { hasNextPage endCursor } }
    }`;

    it('pages through the agency’s cases oldest first with cursors, and sees no other agency’s case', async () => {
      const token = await uscisCaseworker();
      const first = await post(page, token, { first: 4 });
      expect(first.body.data.cases.edges.map((e: { node: { receiptNumber: string } }) => e.node.receiptNumber)).toEqual([
        'IOE1000000004',
        'IOE1000000010',
        'IOE1000000003',
        'IOE1000000002',
      ]);
      expect(first.body.data.cases.pageInfo).toEqual({ hasNextPage: true, endCursor: first.body.data.cases.edges[3].cursor });
      const second = await post(page, token, { first: 4, after: first.body.data.cases.pageInfo.endCursor });
      expect(second.body.data.cases.edges.map((e: { node: { receiptNumber: string } }) => e.node.receiptNumber)).toEqual(['IOE1000000001', 'IOE1000000000', 'IOE1000000009']);
      expect(second.body.data.cases.pageInfo.hasNextPage).toBe(false);
    });

    it('filters by status and receipt dates', async () => {
      const { body } = await post(page, await uscisCaseworker(), { filter: { statusCode: 'CASE_IN_REVIEW', receivedFrom: '2026-06-01' } });
      expect(body.data.cases.edges).toEqual([{ cursor: expect.any(String), node: { receiptNumber: 'IOE1000000009', agency: 'USCIS' } }]);
    });

    it.each([
      ['a page larger than the limit', { first: 101 }, 'first', /from 1 to 100/],
      ['a cursor this API did not issue', { after: 'not-a-cursor' }, 'after', /not a cursor this API returned/],
      ['a receipt date that is not a date', { filter: { receivedFrom: 'last tuesday' } }, 'filter.receivedFrom', /use YYYY-MM-DD/],
      ['a form of another agency', { filter: { formType: '21-526EZ' } }, 'filter.formType', /not a USCIS form/],
    ])('answers BAD_USER_INPUT for %s', async (_title, variables, argument, reason) => {
      const { body } = await post(page, await uscisCaseworker(), variables);
      expect(body.data).toEqual({ cases: null });
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument }, message: expect.stringMatching(reason) })]);
    });
  });

  describe('processing times and served estimates of the own agency', () => {
    it('answers the published-style figures, the curve and the pace of a form at every office of the agency, or one', async () => {
      const query = `query ($formType: String!, $office: String) {
        cohortProcessingTimes(formType: $formType, office: $office) { agency formType office completedCount pendingCount medianDays curve { cases } decisionPace { recent { perWeek } } }
      }`;
      const all = await post(query, await uscisCaseworker(), { formType: 'I-130' });
      expect(all.body.errors).toBeUndefined();
      expect(all.body.data.cohortProcessingTimes.map((row: { office: string }) => row.office)).toEqual(['NBC', 'VSC', 'CSC', 'NSC', 'TSC', 'PSC', 'NYC', 'LOS', 'CHI', 'HOU', 'MIA']);
      const nbc = await post(query, await uscisCaseworker(), { formType: 'I-130', office: 'NBC' });
      expect(nbc.body.data.cohortProcessingTimes).toEqual([
        expect.objectContaining({ agency: 'USCIS', formType: 'I-130', office: 'NBC', completedCount: 1, pendingCount: 5, curve: { cases: expect.any(Number) }, decisionPace: { recent: { perWeek: expect.any(Number) } } }),
      ]);
    });

    it("answers the served estimates' accuracy of the caseworker's agency, never another's", async () => {
      const query = 'query ($formType: String!) { servedEstimateAccuracy(formType: $formType) { agency formType month served estimates { cameTrueShare } publishedStyle { cameTrueShare } } }';
      const uscis = await post(query, await uscisCaseworker(), { formType: 'I-130' });
      expect(uscis.body.data.servedEstimateAccuracy).toEqual([{ agency: 'USCIS', formType: 'I-130', month: '2026-05', served: 40, estimates: { cameTrueShare: 0.8 }, publishedStyle: { cameTrueShare: 0.5 } }]);
      const vba = await caseworkerToken(vbaKey, { agency: 'VBA' });
      expect((await post(query, vba, { formType: '21-526EZ' })).body.data.servedEstimateAccuracy).toEqual([expect.objectContaining({ agency: 'VBA', served: 7 })]);
      const refused = await post(query, vba, { formType: 'I-130' });
      expect(refused.body.data).toEqual({ servedEstimateAccuracy: null });
      expect(refused.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'formType' }, message: expect.stringContaining('not a VBA form') })]);
    });

    it("refuses a VBA caseworker USCIS's processing times, and anyone without a caseworker token", async () => {
      const query = '{ cohortProcessingTimes(formType: "I-130", office: "NBC") { medianDays } }';
      const vba = await post(query, await caseworkerToken(vbaKey, { agency: 'VBA' }));
      expect(vba.body.data).toEqual({ cohortProcessingTimes: null });
      expect(vba.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'formType' } })]);
      const office = await post('{ cohortProcessingTimes(formType: "21-526EZ", office: "NBC") { medianDays } }', await caseworkerToken(vbaKey, { agency: 'VBA' }));
      expect(office.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'office' } })]);
      const stranger = await post(query);
      expect(stranger.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
      const analyst = await post('{ servedEstimateAccuracy(formType: "I-130") { month } }', await caseworkerToken(uscisKey, { agency: 'USCIS', roles: ['analyst'] }));
      expect(analyst.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
    });
  });

  describe("a case's events", () => {
    const query = 'query ($r: String!) { caseEvents(receiptNumber: $r) { revision type occurredAt recordedAt data metadata } }';

    it('answers every event of the case, the non-public ones included, oldest first, and never an access code hash', async () => {
      const { body } = await post(query, await uscisCaseworker(), { r: 'IOE1000000009' });
      expect(body.errors).toBeUndefined();
      expect(body.data.caseEvents.map((e: { type: string }) => e.type)).toEqual(['CaseReceived', 'AccessCodeIssued', 'CaseReviewStarted']);
      expect(body.data.caseEvents[0]).toEqual({
        revision: 0,
        type: 'CaseReceived',
        occurredAt: daysAgo(5),
        recordedAt: daysAgo(5),
        data: JSON.stringify({ formType: 'N-400', office: 'CHI', accessCodeHash: '[not kept]' }),
        metadata: JSON.stringify({ occurredAt: daysAgo(5), submittedBy: 'uscis-intake' }),
      });
      expect(JSON.parse(body.data.caseEvents[1].data)).toEqual({ accessCodeHash: '[not kept]' });
      expect(JSON.stringify(body)).not.toContain('scrypt');
    });

    it('records the read in the access audit, once, naming the private parts read and the reader', async () => {
      const before = privateReads.length;
      await post(query, await uscisCaseworker(), { r: 'IOE1000000009' });
      expect(privateReads.slice(before)).toEqual([
        { agency: 'USCIS', receiptNumber: 'IOE1000000009', reader: { agency: 'USCIS', subject: expect.any(String) }, grant: 'caseworker', fields: ['caseEvents.data', 'caseEvents.metadata'] },
      ]);
      // Types and times alone carry nothing private: not recorded.
      const { body } = await post('query ($r: String!) { caseEvents(receiptNumber: $r) { revision type } }', await uscisCaseworker(), { r: 'IOE1000000009' });
      expect(body.errors).toBeUndefined();
      expect(privateReads).toHaveLength(before + 1);
    });

    it('refuses another agency’s caseworker before reading anything, and answers NOT_FOUND for a case on no record', async () => {
      const vba = await post(query, await caseworkerToken(vbaKey, { agency: 'VBA' }), { r: 'IOE1000000009' });
      expect(vba.body.data).toEqual({ caseEvents: null });
      expect(vba.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', argument: 'receiptNumber' } })]);
      // The same refusal for a USCIS number no case has: a refusal says nothing about existence.
      const unknown = await post(query, await caseworkerToken(vbaKey, { agency: 'VBA' }), { r: 'IOE1999999999' });
      expect(unknown.body.errors).toEqual(vba.body.errors);
      const missing = await post(query, await uscisCaseworker(), { r: 'IOE1999999999' });
      expect(missing.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'NOT_FOUND', argument: 'receiptNumber' } })]);
      const malformed = await post(query, await uscisCaseworker(), { r: 'not a receipt' });
      expect(malformed.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'INVALID_RECEIPT_NUMBER' }) })]);
      expect((await post(query, undefined, { r: 'IOE1000000009' })).body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    });
  });

  describe('intake refusals', () => {
    const query = 'query ($days: Int) { intakeRefusals(days: $days) { since total truncated reasons { code field count lastRefusedAt example receiptNumbers } } }';

    it("groups the agency's refused submissions of the window by reason", async () => {
      const { body } = await post(query, await uscisCaseworker(), { days: 7 });
      expect(body.errors).toBeUndefined();
      expect(body.data.intakeRefusals).toEqual({
        since: daysAgo(7),
        total: 2,
        truncated: false,
        reasons: [{ code: 'INVALID_VALUE', field: '/data/office', count: 2, lastRefusedAt: daysAgo(0), example: '"XXX" is not a USCIS office', receiptNumbers: ['IOE1000000020', 'IOE1000000021'] }],
      });
    });

    it("reads only the caseworker's own agency's log, and checks the window", async () => {
      const vba = await post(query, await caseworkerToken(vbaKey, { agency: 'VBA' }), { days: 30 });
      expect(vba.body.data.intakeRefusals).toEqual({ since: daysAgo(30), total: 0, truncated: false, reasons: [] });
      const wide = await post(query, await uscisCaseworker(), { days: 91 });
      expect(wide.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'days' } })]);
    });
  });

  describe('who may ask', () => {
    const backlog = '{ backlog { pendingCount } }';

    it('answers UNAUTHENTICATED without a token', async () => {
      const { status, body } = await post(backlog);
      expect(status).toBe(200);
      expect(body.data).toEqual({ backlog: null });
      expect(body.errors).toEqual([expect.objectContaining({ path: ['backlog'], extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('Authorization: Bearer') })]);
    });

    it('answers UNAUTHENTICATED for a token issued for another audience (e.g. intake)', async () => {
      const { body } = await post(backlog, await caseworkerToken(uscisKey, { agency: 'USCIS', audience: 'case-status-intake' }));
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('"aud"') })]);
    });

    it("answers UNAUTHENTICATED for a token claiming USCIS but signed with VBA's key", async () => {
      const { body } = await post(backlog, await caseworkerToken(vbaKey, { agency: 'USCIS' }));
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
    });

    it('answers UNAUTHENTICATED for an expired token', async () => {
      const { body } = await post(backlog, await caseworkerToken(uscisKey, { agency: 'USCIS', expiresIn: '-5m' }));
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('expired') })]);
    });

    it('answers FORBIDDEN for a valid agency token without the caseworker role', async () => {
      const { body } = await post(backlog, await caseworkerToken(uscisKey, { agency: 'USCIS', roles: ['analyst'] }));
      expect(body.data).toEqual({ backlog: null });
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' }, message: expect.stringContaining('"caseworker" role') })]);
    });

    it("answers FORBIDDEN when a caseworker asks for another agency's backlog or cases", async () => {
      const token = await caseworkerToken(vbaKey, { agency: 'VBA' });
      const backlogOfUscis = await post('{ backlog(agency: "USCIS") { pendingCount } }', token);
      expect(backlogOfUscis.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', argument: 'agency' }, message: expect.stringContaining('VBA caseworker may only see VBA cases') })]);
      const casesOfUscis = await post('{ cases(filter: { agency: "USCIS" }) { edges { cursor } } }', token);
      expect(casesOfUscis.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', argument: 'filter.agency' } })]);
    });

    it("gives a VBA caseworker VBA's cases only", async () => {
      const { body } = await post('{ cases { edges { node { receiptNumber } } } }', await caseworkerToken(vbaKey, { agency: 'VBA' }));
      expect(body.data.cases.edges).toEqual([{ node: { receiptNumber: 'VBA-2026-0000001' } }]);
    });

    it('keeps public queries open to anyone in the same request as a refused caseworker field', async () => {
      const { body } = await post('{ caseStatus(receiptNumber: "IOE1000000009") { statusCode } backlog { pendingCount } }');
      expect(body.data).toEqual({ caseStatus: { statusCode: 'CASE_IN_REVIEW' }, backlog: null });
      expect(body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    });
  });
});
