import Fastify, { type FastifyInstance } from 'fastify';
import { registerSecurityHeaders } from './security-headers';

const API_CSP = "default-src 'none';frame-ancestors 'none'";

function expectCommonHeaders(headers: Record<string, unknown>): void {
  expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-powered-by']).toBeUndefined();
}

describe('registerSecurityHeaders', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    await registerSecurityHeaders(app, { isPage: (path) => path === '/page', pageCsp: { 'connect-src': ["'self'", 'wss://live.example'] }, defaultCacheControl: 'no-store' });
    app.get('/json', async (_request, reply) => reply.header('x-powered-by', 'Express').send({ ok: true }));
    app.get('/cached', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send('figures'));
    app.get('/page', async (_request, reply) => reply.type('text/html').send('<p>hi</p>'));
    app.get('/fails', async () => {
      throw new Error('boom');
    });
    await app.ready();
  });

  afterAll(() => app.close());

  it('gives JSON answers a CSP that loads nothing, HSTS, nosniff, no referrer, no framing and no X-Powered-By', async () => {
    const res = await app.inject({ url: '/json?x=1' });
    expect(res.headers['content-security-policy']).toBe(API_CSP);
    expectCommonHeaders(res.headers);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('keeps the same headers on 404s and on errors', async () => {
    for (const url of ['/nowhere', '/fails']) {
      const res = await app.inject({ url });
      expect([url, res.headers['content-security-policy'], res.headers['cache-control']]).toEqual([url, API_CSP, 'no-store']);
      expectCommonHeaders(res.headers);
    }
  });

  it('gives pages their own-origin policy with the directives the app adds, and leaves a Cache-Control that an answer set', async () => {
    const page = await app.inject({ url: '/page' });
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self' wss://live.example;form-action 'self';base-uri 'none';frame-ancestors 'none'",
    );
    expectCommonHeaders(page.headers);
    expect((await app.inject({ url: '/cached' })).headers['cache-control']).toBe('public, max-age=300');
  });
});
