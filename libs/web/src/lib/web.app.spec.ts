import type { FastifyInstance } from 'fastify';
import { buildAssets } from './assets/build-assets';
import { Metrics } from '@case-status/http-support';
import { createWebApp, startWebServer, type WebServer } from './web.app';
import { freePort } from '@case-status/http-support/testing';

/**
 * What the site answers before or without the status API: routing by language, the lookup's
 * own checks and redirects, a status API that is down, assets and headers. The flows with the
 * API are in apps/web's end-to-end spec.
 */
describe('the website without its status API', () => {
  let app: FastifyInstance;
  let statusPort: number;

  beforeAll(async () => {
    statusPort = await freePort();
    app = await createWebApp({ statusApiUrl: `http://127.0.0.1:${statusPort}`, publicStatusApiUrl: 'https://status-api.example.gov', assets: await buildAssets() });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['es-MX,es;q=0.9', '/es/'],
    ['en-US', '/en/'],
    ['fr', '/en/'],
  ])('sends a visitor whose browser prefers %s to %s', async (acceptLanguage, location) => {
    const res = await app.inject({ url: '/', headers: { 'accept-language': acceptLanguage } });
    expect({ status: res.statusCode, location: res.headers.location }).toEqual({ status: 302, location });
  });

  it('answers an unknown language with the not-found page in the visitor’s language', async () => {
    const res = await app.inject({ url: '/fr/case/IOE0912345678', headers: { 'accept-language': 'es' } });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('<html lang="es">');
    expect(res.body).toContain('Página no encontrada');
  });

  it('sends a well-formed lookup to the case page under its normal spelling', async () => {
    const res = await app.inject({ url: '/en/case?receiptNumber=+vba+2026+0001234+' });
    expect({ status: res.statusCode, location: res.headers.location }).toEqual({ status: 303, location: '/en/case/VBA-2026-0001234' });
    const typed = await app.inject({ url: '/es/case/ioe0912345678' });
    expect({ status: typed.statusCode, location: typed.headers.location }).toEqual({ status: 301, location: '/es/case/IOE0912345678' });
  });

  it('answers a mistyped number on the lookup page, with the reason next to the field and the number kept', async () => {
    const res = await app.inject({ url: '/es/case?receiptNumber=IOE0912' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<span class="usa-error-message" id="receipt-number-error" role="alert">Un número de recibo de USCIS tiene 3 letras y luego 10 dígitos.');
    expect(res.body).toContain('value="IOE0912"');
    expect(res.body).toContain('aria-invalid="true"');
  });

  it('says plainly that something went wrong when the status API cannot be reached', async () => {
    const res = await app.inject({ url: '/en/case/IOE0912345678' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('Something went wrong on our side');
    expect(res.body).not.toMatch(/ECONNREFUSED|UNAVAILABLE|stack/);
  });

  it('sends the links of emails on to the reader’s language, and takes a one-click unsubscribe POST as mail clients send it', async () => {
    const link = await app.inject({ url: '/notifications/unsubscribe?token=abc%2Bdef', headers: { 'accept-language': 'es' } });
    expect({ status: link.statusCode, location: link.headers.location }).toEqual({ status: 302, location: '/es/notifications/unsubscribe?token=abc%2Bdef' });
    const oneClick = await app.inject({
      method: 'POST',
      url: '/notifications/unsubscribe?token=abc',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--x--\r\n',
    });
    // Accepted and passed to the status API (which is down here), not refused as a media type.
    expect(oneClick.statusCode).toBe(503);
  });

  it('shows the confirm link as a button that posts, and never lets the page be stored', async () => {
    const res = await app.inject({ url: '/en/notifications/confirm?token=t0k' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<form class="usa-form" method="post" action="/en/notifications/confirm?token=t0k">');
  });

  it('compresses pages and allows scripts and connections only to itself and the status API', async () => {
    const res = await app.inject({ url: '/en/', headers: { 'accept-encoding': 'gzip, br' } });
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-security-policy']).toContain("connect-src 'self' wss://status-api.example.gov");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toMatch(/^default-src 'none';.*frame-ancestors 'none'$/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    // The same headers as every other surface (@case-status/http-support), 404s included.
    const missing = await app.inject({ url: '/en/no-such-page' });
    for (const page of [res, missing]) {
      expect([page.headers['strict-transport-security'], page.headers['x-content-type-options'], page.headers['x-frame-options']]).toEqual(['max-age=31536000; includeSubDomains', 'nosniff', 'DENY']);
    }
  });

  it('serves the built assets precompressed and cacheable for a year', async () => {
    const page = await app.inject({ url: '/en/' });
    const css = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1] as string;
    const res = await app.inject({ url: css, headers: { 'accept-encoding': 'br' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const font = await app.inject({ url: '/assets/uswds-3.14.0/fonts/public-sans/PublicSans-Regular.woff2' });
    expect({ status: font.statusCode, cache: font.headers['cache-control'] }).toEqual({ status: 200, cache: 'public, max-age=31536000, immutable' });
  });
});

describe('the website server and its operations server', () => {
  let server: WebServer;

  beforeAll(async () => {
    const statusPort = await freePort();
    server = await startWebServer({ statusApiUrl: `http://127.0.0.1:${statusPort}`, assets: await buildAssets(), metrics: new Metrics(), port: 0, ops: { port: 0, host: '127.0.0.1' } });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
  });

  it('serves only liveness on its public port: no metrics, no readiness details', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(404);
    const live = await fetch(`${server.url}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('answers readiness (not ready without its status API) and metrics on the operations server', async () => {
    const ready = await fetch(`${server.opsUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).error['status-api']).toMatchObject({ status: 'down' });
    const metrics = await fetch(`${server.opsUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/http_request_duration_seconds_count\{server="web",route="\/health\/live",method="GET",status_code="200"\} 1/);
  });
});
