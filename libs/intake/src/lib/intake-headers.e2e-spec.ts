import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { createPostgresEventStore, type EventStore } from '@case-status/event-store';
import { createIntakeApp } from './intake.app';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const API_CSP = "default-src 'none';frame-ancestors 'none'";

describe('intake API security headers', () => {
  const schema = `intake_headers_${process.pid}_${Date.now()}`;
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  let store: EventStore;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema });
    app = await createIntakeApp({ eventStore: store, agencyKeys: {}, logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const expectCommon = (headers: Record<string, unknown>) => {
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-powered-by']).toBeUndefined();
  };

  it('sends the API headers and no-store on refusals, the OpenAPI document and unknown paths', async () => {
    const refused = await app.inject({ method: 'POST', url: '/v1/cases/IOE0912345678/events', payload: {} });
    const document = await app.inject({ method: 'GET', url: '/openapi.json' });
    const missing = await app.inject({ method: 'GET', url: '/v2/nothing' });
    expect([refused.statusCode, document.statusCode, missing.statusCode]).toEqual([401, 200, 404]);
    for (const res of [refused, document, missing]) {
      expect(res.headers['content-security-policy']).toBe(API_CSP);
      expect(res.headers['cache-control']).toBe('no-store');
      expectCommon(res.headers);
    }
  });

  it('lets the API docs page run only scripts from this server', async () => {
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/^default-src 'none';script-src 'self';style-src 'self' 'unsafe-inline';/);
    expect(csp).toContain("frame-ancestors 'none'");
    expectCommon(page.headers);
    // Every script of the page is a file of this server: none inline (the CSP would block it), none from elsewhere.
    const scripts = [...page.body.matchAll(/<script([^>]*)>/g)].map((match) => /src="([^"]+)"/.exec(match[1])?.[1] ?? 'inline');
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect(src).toMatch(/^\.\/docs\/[\w.-]+\.js$/);
  });
});
