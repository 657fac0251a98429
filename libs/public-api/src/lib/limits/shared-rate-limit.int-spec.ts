import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, signingKey } from '../../testing';
import { createStatusApp, type StatusAppOptions } from '../status.app';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const LOOKUP = '{ caseStatus(receiptNumber: "IOE0912345678") { statusCode } }';

/** The rate limits' counts in Redis, on a real Redis server (infra/redis/ensure.sh). */
describe('rate limits shared between instances through Redis', () => {
  const readModels = new InMemoryReadModels();
  const apps: NestFastifyApplication[] = [];

  const start = async (options: Partial<StatusAppOptions>) => {
    const app = await createStatusApp({
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ VBA: await signingKey('vba-1') }),
      rateLimit: { max: 3, timeWindow: 60_000 },
      logger: false,
      ...options,
    });
    apps.push(app);
    return app;
  };
  const lookup = async (app: NestFastifyApplication, client: string) => {
    const res = await app.inject({ method: 'POST', url: '/graphql', remoteAddress: client, payload: { query: LOOKUP } });
    return res.statusCode;
  };

  beforeAll(() => {
    readModels.put(caseView({ receiptNumber: 'IOE0912345678' }));
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  it('limits one client across two instances that share one Redis, and other clients apart', async () => {
    // A namespace of this run's own, so runs side by side do not share counts.
    const store = { redisUrl: REDIS_URL, namespace: `test-${randomUUID()}:` };
    const [a, b] = [await start({ rateLimitStore: store }), await start({ rateLimitStore: store })];
    const statuses = [await lookup(a, '198.51.100.1'), await lookup(b, '198.51.100.1'), await lookup(a, '198.51.100.1'), await lookup(b, '198.51.100.1')];
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await lookup(a, '198.51.100.1')).toBe(429);
    expect(await lookup(b, '198.51.100.2')).toBe(200);
  });

  it('keeps limiting in each instance, and says so in the log, while Redis does not answer', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      // Nothing listens on port 1.
      const app = await start({ rateLimitStore: { redisUrl: 'redis://127.0.0.1:1' } });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push(await lookup(app, '198.51.100.3'));
      expect(statuses).toEqual([200, 200, 200, 429]);
      const messages = warn.mock.calls.map(([message]) => String(message));
      expect(messages).toContain('Redis does not answer: rate limits count in this instance until it does');
      expect(messages.filter((m) => m.startsWith('the shared rate-limit store failed'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });

  it('counts the results CSV through the same store and fallback: while Redis does not answer, downloads are limited in the instance, never answered 500', async () => {
    const app = await start({ rateLimitStore: { redisUrl: 'redis://127.0.0.1:1' } });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS', remoteAddress: '198.51.100.4' });
      statuses.push(res.statusCode);
    }
    // No survey is configured here: an allowed download answers FEEDBACK_UNAVAILABLE (503).
    expect(statuses).toEqual([503, 503, 503, 429]);
  });
});
