import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { createPostgresEventStore, type EventStore } from '@case-status/event-store';
import { Logger } from '@nestjs/common';
import type { TrustedProxies } from '@case-status/http-support';
import { startRedisServer } from '@case-status/http-support/testing';
import { agencyKeys, agencyToken, signingKey, type SigningKey } from '../testing/agency-tokens';
import { createIntakeApp } from './intake.app';
import type { IntakeRateLimitOptions } from './intake-rate-limit';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('intake rate limits, over HTTP on real PostgreSQL (and Redis)', () => {
  const schema = `intake_limits_${process.pid}_${Date.now()}`;
  let pool: Pool;
  let store: EventStore;
  let uscis: SigningKey;
  let vba: SigningKey;
  const apps: NestFastifyApplication[] = [];

  const start = async (rateLimit: IntakeRateLimitOptions, trustProxy: TrustedProxies = false) => {
    const app = await createIntakeApp({ eventStore: store, agencyKeys: agencyKeys(uscis, vba), rateLimit, trustProxy, logger: false });
    apps.push(app);
    return app;
  };
  let receiptCounter = 0;
  const newReceipt = () => `IOE${String(Date.now() % 1e7).padStart(7, '0')}${String(receiptCounter++).padStart(3, '0')}`;
  const received = () => ({ eventId: randomUUID(), type: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', data: { formType: 'I-130', office: 'NBC' } });
  const listRefusals = (app: NestFastifyApplication, bearer: string) =>
    app.inject({ method: 'GET', url: '/v1/refusals?limit=1', headers: { authorization: `Bearer ${bearer}` } });
  const postBatch = (app: NestFastifyApplication, bearer: string, size: number) =>
    app.inject({
      method: 'POST',
      url: '/v1/events/batch',
      headers: { authorization: `Bearer ${bearer}` },
      payload: { events: Array.from({ length: size }, () => ({ receiptNumber: newReceipt(), ...received() })) },
    });

  /** The 429 every limit answers: problem+json with the retry time, in the body and in Retry-After. */
  const expectRateLimited = (res: Awaited<ReturnType<NestFastifyApplication['inject']>>, detail: RegExp) => {
    expect(res.statusCode).toBe(429);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.json()).toEqual({
      type: '/problems/rate-limited',
      title: 'Too many requests',
      status: 429,
      detail: expect.stringMatching(detail),
      code: 'RATE_LIMITED',
      instance: expect.any(String),
      retryAfterSeconds: retryAfter,
    });
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 6 });
    store = await createPostgresEventStore({ connection: pool, schema });
    uscis = await signingKey('USCIS');
    vba = await signingKey('VBA');
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await store?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  });

  it("refuses an agency's requests over its limit with 429, while another agency from the same address goes on", async () => {
    const app = await start({ requestsPerAgency: 3 });
    const uscisToken = await agencyToken(uscis);
    for (let i = 0; i < 3; i++) expect((await listRefusals(app, uscisToken)).statusCode).toBe(200);
    expectRateLimited(await listRefusals(app, uscisToken), /^Too many requests from USCIS: at most 3 every 60 seconds/);
    // Another token of the same agency shares its count: the limit is the agency's, not the token's.
    expect((await listRefusals(app, await agencyToken(uscis, { subject: 'another-system' }))).statusCode).toBe(429);
    expect((await listRefusals(app, await agencyToken(vba))).statusCode).toBe(200);
  });

  it("counts a batch's events against the agency's event limit, and refuses a batch that goes over it", async () => {
    const app = await start({ eventsPerAgency: 5 });
    const bearer = await agencyToken(uscis);
    const first = await postBatch(app, bearer, 4);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ recorded: 4, refused: 0 });
    const over = await postBatch(app, bearer, 2);
    expectRateLimited(over, /^Too many events from USCIS: at most 5 every 60 seconds \(a batch counts each of its events\)/);
    expect((await postBatch(app, await agencyToken(vba), 5)).statusCode).toBe(200);
  });

  it('limits requests with unverified tokens per address before checking them, and lets known tokens from that address through', async () => {
    const app = await start({ unverifiedPerAddress: 3 });
    const known = await agencyToken(uscis);
    expect((await listRefusals(app, known)).statusCode).toBe(200);
    const forged = await agencyToken({ ...uscis, privateKey: (await signingKey('USCIS')).privateKey });
    for (let i = 0; i < 2; i++) expect((await listRefusals(app, forged)).statusCode).toBe(401);
    // The fourth unverified request is not verified at all: 429 where a check would have said 401.
    expectRateLimited(await listRefusals(app, forged), /^Too many requests from this address with tokens not yet verified: at most 3/);
    expectRateLimited(await listRefusals(app, 'not-even-a-jwt'), /not yet verified/);
    expect((await listRefusals(app, known)).statusCode).toBe(200);
  });

  it('behind a trusted proxy, counts unverified requests per client address it forwards, not per proxy', async () => {
    const app = await start({ unverifiedPerAddress: 1 }, 1);
    const from = (client: string) => app.inject({ method: 'GET', url: '/v1/refusals', headers: { authorization: 'Bearer forged', 'x-forwarded-for': client } });
    expect((await from('198.51.100.1')).statusCode).toBe(401);
    expectRateLimited(await from('198.51.100.1'), /not yet verified/);
    expect((await from('198.51.100.2')).statusCode).toBe(401);
  });

  it('counts one IPv6 /64 as one address for unverified requests', async () => {
    const app = await start({ unverifiedPerAddress: 1 });
    const from = (remoteAddress: string) => app.inject({ method: 'GET', url: '/v1/refusals', remoteAddress, headers: { authorization: 'Bearer forged' } });
    expect((await from('2001:db8:5:6::1')).statusCode).toBe(401);
    expectRateLimited(await from('2001:db8:5:6::2'), /not yet verified/);
    expect((await from('2001:db8:5:7::1')).statusCode).toBe(401);
  });

  it('shares the counts of several intake instances through one Redis', async () => {
    const shared = { requestsPerAgency: 4, redisUrl, redisNamespace: `case-status-test:${randomUUID()}:` };
    const [one, two] = [await start(shared), await start(shared)];
    const bearer = await agencyToken(uscis);
    for (const app of [one, two, one, two]) expect((await listRefusals(app, bearer)).statusCode).toBe(200);
    expectRateLimited(await listRefusals(one, bearer), /from USCIS: at most 4/);
    expectRateLimited(await listRefusals(two, bearer), /from USCIS: at most 4/);

    const redis = new Redis(redisUrl);
    try {
      expect(await redis.keys(`${shared.redisNamespace}*`)).not.toHaveLength(0);
    } finally {
      redis.disconnect();
    }
  });

  it('shares event counts through Redis too', async () => {
    const shared = { eventsPerAgency: 6, redisUrl, redisNamespace: `case-status-test:${randomUUID()}:` };
    const [one, two] = [await start(shared), await start(shared)];
    const bearer = await agencyToken(vba);
    expect((await postBatch(one, bearer, 3)).statusCode).toBe(200);
    expect((await postBatch(two, bearer, 3)).statusCode).toBe(200);
    expectRateLimited(await postBatch(one, bearer, 1), /^Too many events from VBA: at most 6/);
  });

  it('keeps limiting requests and events in each instance, and says so once, when its Redis dies after start', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    // A Redis of this test's own, which it stops (the shared one stays up).
    const redis = await startRedisServer();
    try {
      const app = await start({ requestsPerAgency: 2, eventsPerAgency: 4, redisUrl: redis.url, redisNamespace: `case-status-test:${randomUUID()}:` });
      const bearer = await agencyToken(vba);
      expect((await postBatch(app, bearer, 2)).statusCode).toBe(200);
      await redis.stop();
      // Counted in this instance from now on: the limit is neither lifted nor turned into errors.
      expect((await postBatch(app, bearer, 3)).statusCode).toBe(200);
      expectRateLimited(await postBatch(app, bearer, 2), /^Too many events from VBA: at most 4/);
      expectRateLimited(await listRefusals(app, bearer), /^Too many requests from VBA: at most 2/);
      const failures = warn.mock.calls.map(([message]) => String(message)).filter((message) => message.startsWith('the shared rate-limit store failed'));
      expect(failures).toHaveLength(1);
    } finally {
      warn.mockRestore();
      await redis.stop();
    }
  });

  it('starts, and limits in the instance, when its Redis does not answer at start', async () => {
    const app = await start({ requestsPerAgency: 2, redisUrl: 'redis://127.0.0.1:1' });
    const bearer = await agencyToken(uscis);
    for (let i = 0; i < 2; i++) expect((await listRefusals(app, bearer)).statusCode).toBe(200);
    expectRateLimited(await listRefusals(app, bearer), /^Too many requests from USCIS: at most 2/);
  });
});
