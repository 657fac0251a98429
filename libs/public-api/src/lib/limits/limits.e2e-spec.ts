import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getIntrospectionQuery } from 'graphql';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, caseworkerToken, signingKey, type SigningKey } from '../../testing';
import { createStatusApp } from '../status.app';

describe('query limits and rate limiting, through Fastify', () => {
  const readModels = new InMemoryReadModels();
  let app: NestFastifyApplication;
  let vbaKey: SigningKey;

  const post = async (query: string, options: { variables?: Record<string, unknown>; client?: string; bearer?: string } = {}) => {
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: options.client ?? '192.0.2.1',
      headers: options.bearer ? { authorization: `Bearer ${options.bearer}` } : {},
      payload: { query, variables: options.variables },
    });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };
  const codes = (body: { errors?: { extensions: { code: string } }[] }) => body.errors?.map((e) => e.extensions.code);

  beforeAll(async () => {
    readModels.put(caseView({ receiptNumber: 'IOE0912345678' }));
    readModels.put(caseView({ receiptNumber: 'VBA-2026-0000001', agency: 'VBA', formType: '21-526EZ', office: 'RO301' }));
    vbaKey = await signingKey('vba-1');
    app = await createStatusApp({
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ VBA: vbaKey }),
      maxDepth: 5,
      maxComplexity: 300,
      rateLimit: { max: 3, timeWindow: 60_000 },
      logger: false,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  describe('depth', () => {
    it('lets a query as deep as the limit through (then the token check answers)', async () => {
      const { body } = await post('{ cases(first: 2) { edges { node { history { eventId } } } } }', { client: 'depth-1' });
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a query one level deeper with QUERY_TOO_DEEP and 400, also when the depth hides in fragments', async () => {
      const query = `query Deep { cases { ...Edges } }
        fragment Edges on CaseConnection { edges { node { history { title { en } } } } }`;
      const { status, body } = await post(query, { client: 'depth-2' });
      expect(status).toBe(400);
      expect(body.data).toBeNull();
      expect(body.errors).toEqual([{ message: '"Deep" nests fields 6 levels deep; the limit is 5. Ask for less nested data.', extensions: { code: 'QUERY_TOO_DEEP', depth: 6, maxDepth: 5 } }]);
    });

    it('lets the standard introspection query (GraphiQL, code generators) through', async () => {
      const { status, body } = await post(getIntrospectionQuery(), { client: 'depth-3' });
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(body.data.__schema.queryType).toMatchObject({ name: 'Query' });
    });

    it('still limits how deep introspection goes', async () => {
      const nested = Array.from({ length: 16 }).reduce<string>((inner) => `ofType { ${inner} }`, 'name');
      const { body } = await post(`{ __schema { types { fields { type { ${nested} } } } } }`, { client: 'depth-4' });
      expect(codes(body)).toEqual(['QUERY_TOO_DEEP']);
    });
  });

  describe('complexity', () => {
    const pageOfHistories = 'query ($n: Int) { cases(first: $n) { edges { node { receiptNumber history { eventId } } } } }';

    it('refuses a page whose size times its cost exceeds the budget, before any resolver runs', async () => {
      const { status, body } = await post(pageOfHistories, { variables: { n: 100 }, client: 'cx-1' });
      expect(status).toBe(400);
      expect(body.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX', complexity: expect.any(Number), maxComplexity: 300 }, message: expect.stringContaining('the limit is 300') }),
      ]);
      expect(body.errors[0].extensions.complexity).toBeGreaterThan(300);
    });

    it('lets the same query through with a small page (then the token check answers)', async () => {
      const { body } = await post(pageOfHistories, { variables: { n: 2 }, client: 'cx-2' });
      expect(codes(body)).toEqual(['UNAUTHENTICATED']);
    });

    it('judges each request by its own page size, however often the same query text came before', async () => {
      for (const [n, code] of [[2, 'UNAUTHENTICATED'], [100, 'QUERY_TOO_COMPLEX'], [2, 'UNAUTHENTICATED'], [100, 'QUERY_TOO_COMPLEX']] as const) {
        const { body } = await post(pageOfHistories, { variables: { n }, client: `cx-4-${n}` });
        expect([n, codes(body)]).toEqual([n, [code]]);
      }
    });

    it('counts a field that @include keeps and not one it drops, by the variable’s value', async () => {
      const histories = Array.from({ length: 30 }, (_, i) => `h${i}: history { eventId }`).join(' ');
      const query = `query ($r: String!, $all: Boolean!) { caseStatus(receiptNumber: $r) { statusCode ... @include(if: $all) { ${histories} } } }`;
      const dropped = await post(query, { variables: { r: 'IOE0912345678', all: false }, client: 'cx-5' });
      expect(dropped.body.errors).toBeUndefined();
      const kept = await post(query, { variables: { r: 'IOE0912345678', all: true }, client: 'cx-6' });
      expect(codes(kept.body)).toEqual(['QUERY_TOO_COMPLEX']);
    });

    it('counts aliases: many costly lookups in one request are refused', async () => {
      const many = Array.from({ length: 20 }, (_, i) => `c${i}: caseStatus(receiptNumber: "IOE0912345678") { statusCode history { eventId } h: history { eventId } }`).join(' ');
      const { body } = await post(`{ ${many} }`, { client: 'cx-3' });
      expect(codes(body)).toEqual(['QUERY_TOO_COMPLEX']);
    });
  });

  describe('root fields', () => {
    it('refuses more root fields than the cap, naming the count and the cap, before anything runs', async () => {
      const lookups = jest.spyOn(readModels, 'caseLookup');
      const many = Array.from({ length: 21 }, (_, i) => `c${i}: caseStatus(receiptNumber: "IOE0912345678") { statusCode }`).join(' ');
      const { status, body } = await post(`{ ...Many } fragment Many on Query { ${many} }`, { client: 'root-1' });
      expect(status).toBe(400);
      expect(body).toEqual({
        data: null,
        errors: [{ message: 'The operation selects 21 root fields (aliases count one by one); the limit is 20. Send fewer lookups per request.', extensions: { code: 'TOO_MANY_ROOT_FIELDS', rootFields: 21, maxRootFields: 20 } }],
      });
      expect(lookups).not.toHaveBeenCalled();
      lookups.mockRestore();
    });
  });

  describe('rate limit on public lookups', () => {
    const lookup = '{ caseStatus(receiptNumber: "IOE0912345678") { statusCode } }';

    it('answers RATE_LIMITED with 429 and Retry-After once a client used its lookups, and other clients go on', async () => {
      for (let i = 0; i < 3; i++) {
        const { body } = await post(lookup, { client: '198.51.100.7' });
        expect(body.data).toEqual({ caseStatus: { statusCode: 'CASE_RECEIVED' } });
      }
      const limited = await post(lookup, { client: '198.51.100.7' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toEqual({
        data: null,
        errors: [{ message: expect.stringMatching(/^Too many lookups from this client: at most 3 every 60 seconds\. Try again in \d+ seconds\.$/), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }],
      });
      const processingTimes = await post('{ processingTimes(agency: "VBA", formType: "21-526EZ", office: "RO301") { completedCount } }', { client: '198.51.100.7' });
      expect(codes(processingTimes.body)).toEqual(['RATE_LIMITED']);

      const other = await post(lookup, { client: '198.51.100.8' });
      expect(other.body.data).toEqual({ caseStatus: { statusCode: 'CASE_RECEIVED' } });
    });

    it('charges one unit per public root field or alias, so aliases buy no extra lookups', async () => {
      const client = '198.51.100.20';
      const two = '{ a: caseStatus(receiptNumber: "IOE0912345678") { statusCode } b: caseStatus(receiptNumber: "IOE0912345678") { statusCode } }';
      expect((await post(two, { client })).body.data).toEqual({ a: { statusCode: 'CASE_RECEIVED' }, b: { statusCode: 'CASE_RECEIVED' } });
      // 2 of 3 used: two more are one too many.
      const refused = await post(two, { client });
      expect(refused.status).toBe(429);
      expect(codes(refused.body)).toEqual(['RATE_LIMITED']);
    });

    it('does not count operations without public lookups (caseworker queries, __typename)', async () => {
      const client = '203.0.113.9';
      const token = await caseworkerToken(vbaKey, { agency: 'VBA' });
      for (let i = 0; i < 5; i++) {
        const { body } = await post('{ backlog { pendingCount } }', { client, bearer: token });
        expect(body.errors).toBeUndefined();
        expect((await post('{ __typename }', { client })).body).toEqual({ data: { __typename: 'Query' } });
      }
      const { body } = await post(lookup, { client });
      expect(body.data).toEqual({ caseStatus: { statusCode: 'CASE_RECEIVED' } });
    });
  });
});
