/**
 * Debian's Prometheus server scrapes the running platform (one process, embedded database) and
 * reads the series back through its own HTTP API: every target up, the intake request that
 * recorded a case and the lookup that read it counted, and the projections' positions past the
 * event. The server loads infra/prometheus/alerts.yml, so the shipped rules are valid for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { startPlatform, type Platform } from '@case-status/platform';
import { freePort } from '@case-status/http-support/testing';

jest.setTimeout(60_000);

const binDir = process.env['PROMETHEUS_BIN_DIR'] ?? '/usr/bin';
const alertRules = resolve(__dirname, '../../../infra/prometheus/alerts.yml');
const ISSUER = 'https://login.uscis.example';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

describe('Prometheus scraping the platform', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'prometheus-e2e-'));
  const receipt = `IOE${String(Date.now()).slice(-10)}`;
  let platform: Platform | undefined;
  let prometheus: ChildProcess | undefined;
  let prometheusUrl = '';
  let prometheusLog = '';

  /** Polls an instant query until `accept` takes its samples; fails naming the query and the server's log. */
  async function query(promql: string, accept: (samples: Sample[]) => boolean): Promise<Sample[]> {
    let last: unknown;
    for (let attempt = 0; attempt < 150; attempt++) {
      const res = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: promql })}`);
      const body = (await res.json()) as { status: string; data?: { resultType: string; result: Sample[] }; error?: string };
      last = body;
      if (res.status === 200 && body.status === 'success' && body.data && accept(body.data.result)) return body.data.result;
      await sleep(200);
    }
    throw new Error(`Prometheus never answered ${promql} as expected; last answer ${JSON.stringify(last)}\n${prometheusLog.slice(-2000)}`);
  }
  const value = (sample: Sample | undefined) => Number(sample?.value[1]);

  beforeAll(async () => {
    const keys = await generateKeyPair('ES256');
    const agencyKeys = { USCIS: { issuers: [ISSUER], jwks: { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'platform', alg: 'ES256' }] } } };
    platform = await startPlatform({
      dataDir: join(scratch, 'data'),
      intakePort: 0,
      statusPort: 0,
      linksPort: 0,
      agencyKeys,
      notifications: { outboxDir: join(scratch, 'outbox') },
      logger: false,
    });

    const token = await new SignJWT({ agency: 'USCIS', scope: 'intake:write' })
      .setProtectedHeader({ alg: 'ES256', kid: 'platform' })
      .setSubject('prometheus-test')
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setAudience('case-status-intake')
      .setExpirationTime('5m')
      .sign(keys.privateKey);
    const recorded = await fetch(`${platform.intakeUrl}/v1/cases/${receipt}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: randomUUID(), type: 'CaseReceived', occurredAt: '2026-01-05T09:00:00Z', data: { formType: 'I-130', office: 'NBC' } }),
    });
    expect(recorded.status).toBe(201);

    const target = (url: string) => new URL(url).host;
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    const config = join(scratch, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
        `rule_files: [${JSON.stringify(alertRules)}]`,
        'scrape_configs:',
        // The operations server: the public ports serve no /metrics.
        `  - { job_name: platform, static_configs: [{ targets: [${JSON.stringify(target(platform.opsUrl))}] }] }`,
        '',
      ].join('\n'),
    );
    prometheus = spawn(
      join(binDir, 'prometheus'),
      [`--config.file=${config}`, `--storage.tsdb.path=${join(scratch, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout?.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    prometheus.stderr?.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
    for (let attempt = 0; ; attempt++) {
      const ready = await fetch(`${prometheusUrl}/-/ready`).then((res) => res.status === 200, () => false);
      if (ready) break;
      if (prometheus.exitCode !== null || attempt > 100) throw new Error(`Prometheus did not start:\n${prometheusLog}`);
      await sleep(100);
    }
  });

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((done) => prometheus?.once('exit', done));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await platform?.stop();
    rmSync(scratch, { recursive: true, force: true });
  }, 20_000);

  it('reads the platform’s series back through the query API', async () => {
    const current = platform;
    if (!current) throw new Error('the platform did not start');
    const lookup = await fetch(`${current.statusUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query CaseLookup($r: String!) { caseStatus(receiptNumber: $r) { statusCode } }', variables: { r: receipt } }),
    });
    expect(lookup.status).toBe(200);
    expect(await lookup.json()).toEqual({ data: { caseStatus: expect.anything() as unknown } });

    const up = await query('up', (samples) => samples.length === 1 && samples.every((s) => value(s) === 1));
    expect(up.map((s) => s.metric['job'])).toEqual(['platform']);

    const appended = await query(
      'sum(http_request_duration_seconds_count{job="platform", server="intake", route="/v1/cases/:receiptNumber/events", method="POST", status_code="201"})',
      (samples) => samples.length === 1,
    );
    expect(value(appended[0])).toBe(1);

    const lookups = await query('sum(graphql_operation_duration_seconds_count{job="platform", operation="CaseLookup", type="query", outcome="ok"})', (samples) => samples.length === 1);
    expect(value(lookups[0])).toBe(1);

    // The projections have projected the event: positions past the start, no lag left.
    const positions = await query('projection_position{job="platform"}', (samples) => samples.some((s) => s.metric['projection'] === 'case-read-models' && value(s) > 0));
    expect(positions.map((s) => s.metric['projection'])).toEqual(expect.arrayContaining(['case-read-models', 'weekly-case-flow']));
    const lag = await query('max(projection_lag_seconds{job="platform"})', (samples) => samples.length === 1);
    expect(value(lag[0])).toBeGreaterThanOrEqual(0);
    expect(value(lag[0])).toBeLessThan(30);

    // A query Prometheus refuses answers its own error, so the polling above could fail.
    const refused = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: 'sum(' })}`);
    expect(refused.status).toBe(400);

    // The shipped alert rules are loaded and none fires on a healthy platform.
    const rules = (await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; state: string }[] }[] } };
    const loaded = rules.data.groups.flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name)).toEqual(expect.arrayContaining(['ProjectionLagHigh', 'DeadLettersGrowing', 'IntakeErrorRateHigh', 'StatusChangesNotFlowing', 'ServiceDown']));
    expect(loaded.filter((r) => r.state === 'firing')).toEqual([]);
  });
});
