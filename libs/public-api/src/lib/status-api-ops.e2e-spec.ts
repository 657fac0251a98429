import { Pool } from 'pg';
import { Metrics } from '@case-status/http-support';
import { startStatusApi, type StatusApi } from './status-api';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

describe('status API health and metrics', () => {
  const schema = `status_ops_${process.pid}_${Date.now()}`;
  const metrics = new Metrics();
  let api: StatusApi;

  beforeAll(async () => {
    api = await startStatusApi({ databaseUrl, readModelSchema: schema, caseworkerKeys: {}, rateLimit: { max: 3, timeWindow: 60_000 }, metrics, port: 0, host: '127.0.0.1', ops: { port: 0, host: '127.0.0.1' }, logger: false });
  });

  afterAll(async () => {
    await api?.stop();
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  const lookup = (receiptNumber: string, operationName?: string) =>
    fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `query ${operationName ?? ''}($r: String!) { caseStatus(receiptNumber: $r) { statusCode } }`, variables: { r: receiptNumber } }),
    });

  it('serves only liveness on its public port: no metrics, no readiness details', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${api.url}/health/ready`)).status).toBe(404);
    const live = await fetch(`${api.url}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('is ready on its operations server while the read models and live updates reach the database', async () => {
    const ready = await fetch(`${api.opsUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await ready.json()).details).toEqual({ database: { status: 'up' }, 'live-updates': { status: 'up', database: 'up' } });
  });

  it('counts operations by name and outcome and rate-limit refusals, and no receipt number or made-up name reaches /metrics', async () => {
    const answers = [
      await lookup('IOE0912345678', 'CaseStatus'),
      await lookup('IOE0912345679', 'CaseStatus'),
      await lookup('IOE0912345670'),
      await lookup('IOE0912345671', 'CaseStatus'),
    ];
    const bodies = await Promise.all(answers.map((answer) => answer.json()));
    expect(bodies[3].errors[0].extensions.code).toBe('RATE_LIMITED');
    const text = await (await fetch(`${api.opsUrl}/metrics`)).text();
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="CaseStatus",type="query",outcome="\w+"\} 2/);
    expect(text).toMatch(/graphql_operation_duration_seconds_count\{operation="anonymous",type="query",outcome="\w+"\} 1/);
    expect(text).toMatch(/rate_limit_refusals_total\{server="status",route="\/graphql"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{server="status",route="\/graphql",method="POST",status_code="200"\} \d/);
    expect(text).not.toMatch(/IOE09123456/);
  });
});
