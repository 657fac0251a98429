import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Metrics } from '@case-status/http-support';
import { agencyKeys, agencyToken, signingKey } from '../testing/agency-tokens';
import { startIntakeApi, type IntakeApi } from './intake-api';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

describe('intake API health and metrics', () => {
  const schema = `intake_metrics_${process.pid}_${Date.now()}`;
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const metrics = new Metrics();
  let intake: IntakeApi;
  let bearer: string;

  beforeAll(async () => {
    const key = await signingKey('USCIS');
    intake = await startIntakeApi({
      events: { settings: { kind: 'postgres', schema }, database: pool },
      agencyKeys: agencyKeys(key),
      metrics,
      rateLimit: { requestsPerAgency: 2 },
      logger: false,
      port: 0,
      host: '127.0.0.1',
      ops: { port: 0, host: '127.0.0.1' },
    });
    bearer = await agencyToken(key);
  });

  afterAll(async () => {
    await intake?.stop();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const post = (receiptNumber: string) =>
    fetch(`${intake.url}/v1/cases/${receiptNumber}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: randomUUID(), type: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', data: { formType: 'I-130', office: 'NBC' } }),
    });

  it('serves only liveness on its public port: no metrics, no readiness details', async () => {
    expect((await fetch(`${intake.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${intake.url}/health/ready`)).status).toBe(404);
    const live = await fetch(`${intake.url}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('is ready on its operations server while the event store answers', async () => {
    const ready = await fetch(`${intake.opsUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } });
  });

  it('counts requests by route template, appends and rate-limit refusals, and never names a receipt number', async () => {
    const statuses = [(await post('IOE0912345678')).status, (await post('IOE0912345679')).status, (await post('IOE0912345670')).status];
    expect(statuses).toEqual([201, 201, 429]);
    const scraped = await fetch(`${intake.opsUrl}/metrics`);
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(/http_request_duration_seconds_count\{server="intake",route="\/v1\/cases\/:receiptNumber\/events",method="POST",status_code="201"\} 2/);
    expect(text).toMatch(/rate_limit_refusals_total\{server="intake",route="\/v1\/cases\/:receiptNumber\/events"\} 1/);
    expect(text).toMatch(/event_store_append_duration_seconds_count\{outcome="appended"\} 2/);
    expect(text).toContain('event_store_append_conflicts_total 0');
    expect(text).not.toMatch(/IOE09123456/);
  });
});
