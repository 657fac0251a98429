import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, caseView } from '../testing';
import { createStatusApp, type StatusAppOptions } from './status.app';

const API_CSP = "default-src 'none';frame-ancestors 'none'";
/** An absolute or protocol-relative URL: anything that would load from another origin. */
const OTHER_ORIGIN = /\b(?:https?:|wss?:)?\/\/[a-z0-9.-]+/i;

async function start(options: Partial<StatusAppOptions> = {}): Promise<NestFastifyApplication> {
  const readModels = new InMemoryReadModels();
  readModels.put(caseView({ receiptNumber: 'IOE0912345678' }));
  return createStatusApp({ queries: readModels, changeFeed: new InMemoryCaseStatusChangeFeed(), caseworkerKeys: {}, rateLimit: false, logger: false, ...options });
}

function expectSecurityHeaders(headers: Record<string, unknown>, csp: string | RegExp = API_CSP): void {
  if (typeof csp === 'string') expect(headers['content-security-policy']).toBe(csp);
  else expect(headers['content-security-policy']).toMatch(csp);
  expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-powered-by']).toBeUndefined();
}

describe('status API security headers and GraphQL console', () => {
  describe('with the console on (development)', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await start({ graphiql: true });
    });
    afterAll(() => app.close());

    it('answers GraphQL with the API headers and no-store: the answer names a case', async () => {
      const res = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ caseStatus(receiptNumber: "IOE0912345678") { receiptNumber } }' } });
      expect(res.statusCode).toBe(200);
      expectSecurityHeaders(res.headers);
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it('keeps them on refusals and unknown paths', async () => {
      const bad = await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{' } });
      expect(bad.statusCode).toBe(400);
      expectSecurityHeaders(bad.headers);
      const missing = await app.inject({ method: 'GET', url: '/nothing-here' });
      expect(missing.statusCode).toBe(404);
      expectSecurityHeaders(missing.headers);
      expect(missing.headers['cache-control']).toBe('no-store');
    });

    it('keeps them on the CSV route (its caching is tested in feedback.e2e-spec.ts)', async () => {
      const csv = await app.inject({ method: 'GET', url: '/feedback/results.csv?agency=USCIS' });
      expect(csv.statusCode).toBe(503); // no survey configured here
      expectSecurityHeaders(csv.headers);
      expect(csv.headers['cache-control']).toBe('no-store');
    });

    it('serves the console page and its files from this server, loading nothing from another origin', async () => {
      const page = await app.inject({ method: 'GET', url: '/graphiql' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expectSecurityHeaders(page.headers, /^default-src 'none';script-src 'self';style-src 'self';.*connect-src 'self';.*frame-ancestors 'none'$/);
      const referenced = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(referenced.sort()).toEqual(['/graphiql/console.css', '/graphiql/console.js']);
      expect(page.body).not.toMatch(OTHER_ORIGIN);
      for (const path of referenced) {
        const file = await app.inject({ method: 'GET', url: path });
        expect([path, file.statusCode]).toEqual([path, 200]);
        expect(file.body).not.toMatch(OTHER_ORIGIN);
      }
      // Mercurius' own GraphiQL files (which load React and GraphiQL from a CDN) are not served.
      expect((await app.inject({ method: 'GET', url: '/graphiql/main.js' })).statusCode).toBe(404);
    });
  });

  describe('in production', () => {
    const nodeEnv = process.env['NODE_ENV'];
    let app: NestFastifyApplication;
    beforeAll(async () => {
      process.env['NODE_ENV'] = 'production';
      app = await start();
    });
    afterAll(async () => {
      process.env['NODE_ENV'] = nodeEnv;
      await app.close();
    });

    it('has no console: /graphiql and its files are 404, with the API headers', async () => {
      for (const url of ['/graphiql', '/graphiql/console.js', '/graphiql/main.js', '/graphiql/config.js']) {
        const res = await app.inject({ method: 'GET', url });
        expect([url, res.statusCode]).toEqual([url, 404]);
        expectSecurityHeaders(res.headers);
      }
      expect((await app.inject({ method: 'POST', url: '/graphql', payload: { query: '{ __typename }' } })).statusCode).toBe(200);
    });
  });

  it('has no console when told so outside production', async () => {
    const app = await start({ graphiql: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/graphiql' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
