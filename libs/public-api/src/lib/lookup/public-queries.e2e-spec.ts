import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, signingKey } from '../../testing';
import { createStatusApp } from '../status.app';

const NOW = new Date('2026-07-01T12:00:00Z');

describe('public GraphQL queries, through Fastify', () => {
  const readModels = new InMemoryReadModels();
  let app: NestFastifyApplication;

  const post = async (query: string, variables?: Record<string, unknown>) => {
    const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query, variables } });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };

  beforeAll(async () => {
    readModels.put(
      caseView({
        receiptNumber: 'IOE0912345678',
        step: 'evidence',
        statusCode: 'EVIDENCE_REQUESTED',
        statusText: { en: 'We asked for more evidence.', es: 'Pedimos más pruebas.' },
        nextStep: { en: 'Send it by April 1, 2026.', es: 'Envíelas antes del 1 de abril de 2026.' },
        lastChangedAt: '2026-02-01T10:00:00Z',
        openEvidenceRequests: [{ requestId: 'RFE-1', dueDate: '2026-04-01', requestedAt: '2026-02-01T10:00:00Z' }],
        upcomingAppointments: [{ kind: 'biometrics', scheduledFor: '2026-03-01T09:00:00-05:00', office: 'NYC' }],
        revision: '3',
      }),
      [
        { eventId: 'e2', eventType: 'EvidenceRequested', occurredAt: '2026-02-01T10:00:00Z', step: 'evidence', title: { en: 'Evidence requested', es: 'Pruebas solicitadas' } },
        { eventId: 'e1', eventType: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', step: 'received', title: { en: 'Case received', es: 'Caso recibido' } },
      ],
    );
    readModels.put(
      caseView({
        receiptNumber: 'VBA-2026-0000001',
        agency: 'VBA',
        formType: '21-526EZ',
        office: 'RO301',
        step: 'decided',
        statusCode: 'CASE_APPROVED',
        decision: { outcome: 'approved', decidedAt: '2026-05-01T15:00:00Z' },
      }),
    );
    // A cohort with ten decided cases (10, 20, ... 100 days) and two pending.
    for (let i = 1; i <= 10; i++) {
      const received = new Date(Date.UTC(2026, 0, 1));
      const decided = new Date(received.getTime() + i * 10 * 86_400_000);
      readModels.put(
        caseView({
          receiptNumber: `MSC26000000${String(i).padStart(2, '0')}`,
          formType: 'I-485',
          office: 'NBC',
          receivedAt: received.toISOString(),
          decision: { outcome: 'approved', decidedAt: decided.toISOString() },
        }),
      );
    }
    for (const receipt of ['MSC2600000091', 'MSC2600000092']) readModels.put(caseView({ receiptNumber: receipt, formType: 'I-485', office: 'NBC' }));

    const vba = await signingKey('vba-1');
    app = await createStatusApp({
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ VBA: vba }),
      rateLimit: false,
      clock: () => NOW,
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('caseStatus', () => {
    it('answers the public status of a case with its texts and history', async () => {
      const { status, body } = await post(`query ($r: String!) {
        caseStatus(receiptNumber: $r) {
          receiptNumber agency formType office step statusCode
          statusText { en es } nextStep { en es } text(language: ES) nextStepText
          receivedAt lastChangedAt revision
          decision { outcome decidedAt }
          history { eventType occurredAt step title { en es } }
        }
      }`, { r: 'IOE0912345678' });
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data.caseStatus).toEqual({
        receiptNumber: 'IOE0912345678',
        agency: 'USCIS',
        formType: 'I-130',
        office: 'NBC',
        step: 'EVIDENCE',
        statusCode: 'EVIDENCE_REQUESTED',
        statusText: { en: 'We asked for more evidence.', es: 'Pedimos más pruebas.' },
        nextStep: { en: 'Send it by April 1, 2026.', es: 'Envíelas antes del 1 de abril de 2026.' },
        text: 'Pedimos más pruebas.',
        nextStepText: 'Send it by April 1, 2026.',
        receivedAt: '2026-01-05T10:00:00Z',
        lastChangedAt: '2026-02-01T10:00:00Z',
        revision: '3',
        decision: null,
        history: [
          { eventType: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', step: 'RECEIVED', title: { en: 'Case received', es: 'Caso recibido' } },
          { eventType: 'EvidenceRequested', occurredAt: '2026-02-01T10:00:00Z', step: 'EVIDENCE', title: { en: 'Evidence requested', es: 'Pruebas solicitadas' } },
        ],
      });
    });

    it('reads the case once, with the history and the estimate its query selects, also through fragments and on repeat', async () => {
      const page = `query ($r: String!) { caseStatus(receiptNumber: $r) { ...Page } }
        fragment Page on CaseStatus { statusCode history { eventType } ... on CaseStatus { estimate { asOf } } }`;
      const lookup = jest.spyOn(readModels, 'caseLookup');
      const before = { history: readModels.caseHistoryReads, estimate: readModels.caseEstimateReads, status: readModels.caseStatusReads };
      for (let i = 0; i < 3; i++) {
        const { body } = await post(page, { r: 'IOE0912345678' });
        expect(body.errors).toBeUndefined();
        expect(body.data.caseStatus).toEqual({ statusCode: 'EVIDENCE_REQUESTED', history: [{ eventType: 'CaseReceived' }, { eventType: 'EvidenceRequested' }], estimate: { asOf: '2026-07-01' } });
      }
      expect(lookup.mock.calls).toEqual(Array.from({ length: 3 }, () => ['IOE0912345678', { history: true, estimateAsOf: NOW }]));
      expect({ history: readModels.caseHistoryReads, estimate: readModels.caseEstimateReads, status: readModels.caseStatusReads }).toEqual(before);
      lookup.mockRestore();
    });

    it('reads neither history nor estimate for a query that selects neither', async () => {
      const lookup = jest.spyOn(readModels, 'caseLookup');
      const { body } = await post('query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode } }', { r: 'IOE0912345678' });
      expect(body.data.caseStatus).toEqual({ statusCode: 'EVIDENCE_REQUESTED' });
      expect(lookup.mock.calls).toEqual([['IOE0912345678', { history: false }]]);
      lookup.mockRestore();
    });

    it('answers a decided case of another agency with its decision', async () => {
      const { body } = await post('{ caseStatus(receiptNumber: "VBA-2026-0000001") { agency statusCode decision { outcome decidedAt } } }');
      expect(body.data.caseStatus).toEqual({ agency: 'VBA', statusCode: 'CASE_APPROVED', decision: { outcome: 'APPROVED', decidedAt: '2026-05-01T15:00:00Z' } });
    });

    it('answers over GET as well, for caches and links', async () => {
      const query = encodeURIComponent('{ caseStatus(receiptNumber: "IOE0912345678") { statusCode } }');
      const res = await app.inject({ method: 'GET', url: `/graphql?query=${query}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ data: { caseStatus: { statusCode: 'EVIDENCE_REQUESTED' } } });
    });

    it('answers NOT_FOUND for a well-formed receipt number no case has, without logging an error', async () => {
      const logged = jest.spyOn(Logger.prototype, 'error');
      const { status, body } = await post('{ caseStatus(receiptNumber: "EAC0000000001") { statusCode } }');
      expect(logged).not.toHaveBeenCalled();
      logged.mockRestore();
      expect(status).toBe(200);
      expect(body.data).toEqual({ caseStatus: null });
      expect(body.errors).toEqual([
        expect.objectContaining({ path: ['caseStatus'], message: expect.stringContaining('No USCIS case with receipt number EAC0000000001'), extensions: { code: 'NOT_FOUND', argument: 'receiptNumber' } }),
      ]);
    });

    it.each([
      ['lower-case letters', 'ioe0912345678', /Letters must be upper case/],
      ['a USCIS-length number with an unknown receipt office', 'ABC0912345678', /does not start with a known USCIS receipt office/],
      ['a VBA number with a short claim number', 'VBA-2026-00012', /VBA receipt numbers have 16/],
      ['something that looks like no agency’s number', '12', /USCIS: a 3-letter receipt office code followed by 10 digits \(for example IOE0912345678\); VBA: /],
    ])('answers INVALID_RECEIPT_NUMBER explaining the format for %s', async (_title, receipt, reason) => {
      const { body } = await post('query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode } }', { r: receipt });
      expect(body.data).toEqual({ caseStatus: null });
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions).toEqual({ code: 'INVALID_RECEIPT_NUMBER', argument: 'receiptNumber' });
      expect(body.errors[0].message).toMatch(reason);
    });
  });

  describe('processingTimes', () => {
    it('answers median, 80th and 93rd percentile days with the count and window behind them', async () => {
      const { body } = await post(`{ processingTimes(agency: "USCIS", formType: "I-485", office: "NBC", windowMonths: 12) {
        agency formType office windowMonths windowStart windowEnd completedCount pendingCount medianDays p80Days p93Days } }`);
      expect(body.errors).toBeUndefined();
      expect(body.data.processingTimes).toEqual({
        agency: 'USCIS',
        formType: 'I-485',
        office: 'NBC',
        windowMonths: 12,
        windowStart: '2025-07-02',
        windowEnd: '2026-07-01',
        completedCount: 10,
        pendingCount: 2,
        medianDays: 50,
        p80Days: 80,
        p93Days: 100,
      });
    });

    it('uses a six-month window by default', async () => {
      const { body } = await post('{ processingTimes(agency: "USCIS", formType: "I-485", office: "NBC") { windowMonths windowStart windowEnd } }');
      expect(body.data.processingTimes).toEqual({ windowMonths: 6, windowStart: '2026-01-02', windowEnd: '2026-07-01' });
    });

    it('answers null figures, not zeros, for a cohort without decided cases', async () => {
      const { body } = await post('{ processingTimes(agency: "USCIS", formType: "N-400", office: "CHI") { completedCount medianDays p80Days p93Days } }');
      expect(body.data.processingTimes).toEqual({ completedCount: 0, medianDays: null, p80Days: null, p93Days: null });
    });

    it.each([
      ['an unknown agency', 'agency: "IRS", formType: "I-485", office: "NBC"', 'agency', /"IRS" is not an agency known here; use one of USCIS, VBA/],
      ['a form of another agency', 'agency: "USCIS", formType: "21-526EZ", office: "NBC"', 'formType', /"21-526EZ" is not a USCIS form; use one of I-130/],
      ['an unknown office', 'agency: "VBA", formType: "21-526EZ", office: "NBC"', 'office', /"NBC" is not a VBA office; use one of RO301/],
      ['a window of zero months', 'agency: "USCIS", formType: "I-485", office: "NBC", windowMonths: 0', 'windowMonths', /from 1 to 36/],
    ])('answers BAD_USER_INPUT naming the argument for %s', async (_title, args, argument, reason) => {
      const { body } = await post(`{ processingTimes(${args}) { medianDays } }`);
      expect(body.data).toEqual({ processingTimes: null });
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument }, message: expect.stringMatching(reason) })]);
    });
  });

  describe('malformed requests', () => {
    it('answers GRAPHQL_VALIDATION_FAILED with 400 for a field the schema does not have', async () => {
      const { status, body } = await post('{ caseStatus(receiptNumber: "IOE0912345678") { applicantName } }');
      expect(status).toBe(400);
      expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('applicantName'), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
    });

    it.each(['openEvidenceRequests { dueDate }', 'upcomingAppointments { scheduledFor office }'])('has no private field in the public view: %s is GRAPHQL_VALIDATION_FAILED', async (selection) => {
      const { status, body } = await post(`{ caseStatus(receiptNumber: "IOE0912345678") { ${selection} } }`);
      expect(status).toBe(400);
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })]);
      expect(JSON.stringify(body)).not.toMatch(/2026-04-01|NYC/);
    });

    it('answers GRAPHQL_PARSE_FAILED with 400 for a query that does not parse', async () => {
      const { status, body } = await post('{ caseStatus(receiptNumber: ');
      expect(status).toBe(400);
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } })]);
    });

    it('answers BAD_REQUEST with 400 for a body that is not JSON', async () => {
      const res = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{"query": ' });
      expect(res.statusCode).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]);
    });
  });

  it('serves GraphiQL', async () => {
    const res = await app.inject({ method: 'GET', url: '/graphiql' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});
