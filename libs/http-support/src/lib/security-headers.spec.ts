import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { applySecurityHeaders, registerSecurityHeaders } from './security-headers';

const API_CSP = "default-src 'none';frame-ancestors 'none'";

function expectCommonHeaders(headers: Record<string, unknown>): void {
  expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-powered-by']).toBeUndefined();
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return headers;
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

describe('applySecurityHeaders', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      applySecurityHeaders(request, response, request.url === '/page' ? 'page' : 'api');
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sets the same headers on a plain node:http server', async () => {
    const api = await fetch(`${base}/json`);
    expect(api.headers.get('content-security-policy')).toBe(API_CSP);
    expectCommonHeaders(headersOf(api));
    const page = await fetch(`${base}/page`);
    expect(page.headers.get('content-security-policy')).toMatch(/^default-src 'none';script-src 'self';.*form-action 'self'/);
    expectCommonHeaders(headersOf(page));
  });
});
