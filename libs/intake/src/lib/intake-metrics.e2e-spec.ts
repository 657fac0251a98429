import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { createPostgresEventStore } from '@case-status/event-store';
import { Metrics } from '@case-status/http-support';
import { agencyKeys, agencyToken, signingKey } from '../testing/agency-tokens';
import { createIntakeApp } from './intake.app';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

describe('intake API health and metrics', () => {
  const schema = `intake_metrics_${process.pid}_${Date.now()}`;
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const metrics = new Metrics();
  let app: NestFastifyApplication;
  let bearer: string;

  beforeAll(async () => {
    const key = await signingKey('USCIS');
    const store = await createPostgresEventStore({ connection: pool, schema });
    app = await createIntakeApp({ eventStore: store, agencyKeys: agencyKeys(key), metrics, rateLimit: { requestsPerAgency: 2 }, logger: false });
    bearer = await agencyToken(key);
  });

  afterAll(async () => {
    await app?.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const post = (receiptNumber: string) =>
    app.inject({
      method: 'POST',
      url: `/v1/cases/${receiptNumber}/events`,
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      payload: { eventId: randomUUID(), type: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', data: { formType: 'I-130', office: 'NBC' } },
    });

  it('is ready while the event store answers (through @nestjs/terminus)', async () => {
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });
  });

  it('counts requests by route template, appends and rate-limit refusals, and never names a receipt number', async () => {
    const statuses = [(await post('IOE0912345678')).statusCode, (await post('IOE0912345679')).statusCode, (await post('IOE0912345670')).statusCode];
    expect(statuses).toEqual([201, 201, 429]);
    const scraped = await app.inject({ method: 'GET', url: '/metrics' });
    expect(scraped.statusCode).toBe(200);
    const text = scraped.body;
    expect(text).toMatch(/http_request_duration_seconds_count\{server="intake",route="\/v1\/cases\/:receiptNumber\/events",method="POST",status_code="201"\} 2/);
    expect(text).toMatch(/rate_limit_refusals_total\{server="intake",route="\/v1\/cases\/:receiptNumber\/events"\} 1/);
    expect(text).toMatch(/event_store_append_duration_seconds_count\{outcome="appended"\} 2/);
    expect(text).toContain('event_store_append_conflicts_total 0');
    expect(text).not.toMatch(/IOE09123456/);
  });
});
