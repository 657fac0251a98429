import type { ComponentHealth } from '@case-status/postgres-support';
import { BoundedLabel, Metrics } from './metrics';
import { startOpsServer, type OpsServer } from './ops-routes';
import { checkReadiness, componentCheck, probeCheck } from './readiness';

describe('the ops server (health and metrics of a service without another HTTP server)', () => {
  let server: OpsServer;
  let projection: ComponentHealth;
  let brokerUp: boolean;
  const metrics = new Metrics();

  beforeAll(async () => {
    server = await startOpsServer({
      name: 'projector',
      port: 0,
      host: '127.0.0.1',
      metrics,
      checks: [
        componentCheck('projection:case-read-models', () => projection, { maxLagMs: 5_000 }),
        probeCheck('broker', async () => {
          if (!brokerUp) throw Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:9092'), { code: 'ECONNREFUSED' });
        }),
      ],
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    projection = { ready: true, database: 'up', lagMs: 10 };
    brokerUp = true;
  });

  it('answers liveness whatever its checks say', async () => {
    projection = { ready: false, database: 'down', detail: 'cannot reach the database' };
    const response = await fetch(`${server.url}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready when every check is up, naming each with its state and lag', async () => {
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ok',
      info: { 'projection:case-read-models': { status: 'up', database: 'up', lagMs: 10, maxLagMs: 5_000 }, broker: { status: 'up' } },
      error: {},
      details: { 'projection:case-read-models': { status: 'up', database: 'up', lagMs: 10, maxLagMs: 5_000 }, broker: { status: 'up' } },
    });
  });

  it('answers 503 naming the part that is down, without the driver message (no host names)', async () => {
    brokerUp = false;
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.status).toBe('error');
    expect(body.error).toEqual({ broker: { status: 'down', detail: 'cannot connect (Error ECONNREFUSED)' } });
    expect(body.info['projection:case-read-models'].status).toBe('up');
    expect(JSON.stringify(body)).not.toContain('10.1.2.3');
  });

  it('is not ready while a part is further behind than the threshold', async () => {
    projection = { ready: true, database: 'up', lagMs: 7_000 };
    const response = await fetch(`${server.url}/health/ready`);
    expect(response.status).toBe(503);
    expect((await response.json()).error['projection:case-read-models']).toMatchObject({ status: 'down', lagMs: 7_000, maxLagMs: 5_000 });
  });

  it('is not ready while a part cannot reach the database', async () => {
    projection = { ready: false, database: 'down', detail: 'case-read-models cannot reach the database; retrying', lagMs: 0 };
    const body = await (await fetch(`${server.url}/health/ready`)).json();
    expect(body.error['projection:case-read-models']).toMatchObject({ status: 'down', database: 'down', detail: 'case-read-models cannot reach the database; retrying' });
  });

  it('serves Prometheus metrics: process metrics and its own answers by route template, never the path asked for', async () => {
    await fetch(`${server.url}/health/ready`);
    await fetch(`${server.url}/cases/IOE0912345678`);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toMatch(/http_request_duration_seconds_count\{server="projector",route="\/health\/ready",method="GET",status_code="200"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_count\{server="projector",route="unmatched",method="GET",status_code="404"\} 1/);
    expect(text).not.toContain('IOE0912345678');
  });
});

describe('checkReadiness', () => {
  it('counts a check that does not answer in time as down', async () => {
    const answer = await checkReadiness([{ name: 'database', check: () => new Promise(() => undefined) }], 20);
    expect(answer).toEqual({ status: 'error', info: {}, error: { database: { status: 'down', detail: 'no answer within 20 ms' } }, details: { database: { status: 'down', detail: 'no answer within 20 ms' } } });
  });

  it('is ok with no checks at all', async () => {
    expect((await checkReadiness([])).status).toBe('ok');
  });
});

describe('BoundedLabel', () => {
  it('keeps the first names it sees and counts the rest, and anything malformed, as other', () => {
    const label = new BoundedLabel(2);
    expect(label.of('CaseStatus')).toBe('CaseStatus');
    expect(label.of('Estimates')).toBe('Estimates');
    expect(label.of('Third')).toBe('other');
    expect(label.of('CaseStatus')).toBe('CaseStatus');
    expect(label.of('IOE0912345678 or a@b.example')).toBe('other');
    expect(label.of(undefined)).toBe('anonymous');
  });
});
