import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { Pool } from 'pg';
import { freePort } from '@case-status/http-support/testing';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const redisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const root = join(__dirname, '../../..');
const ISSUER = 'https://login.uscis.example';

/** What an OTLP/HTTP exporter sends, JSON encoding (as much of it as is checked here). */
interface OtlpTraces {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string; name: string }[] }[];
  }[];
}

/** The intake API as deployed: its own process, configured by environment only. */
describe('intake-api process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'intake-api-'));
  const schema = `intake_api_e2e_${process.pid}_${Date.now()}`;
  let privateKey: CryptoKey;
  let keysFile: string;

  const run = (env: Record<string, string>) => {
    const child = spawn(process.execPath, ['tools/run-ts.mjs', 'apps/intake-api/src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: schema, INTAKE_AGENCY_KEYS_FILE: keysFile, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const listening = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => output.includes('listening on') && resolve());
      void exited.then((code) => reject(new Error(`intake-api exited with ${code}: ${output}`)));
    });
    listening.catch(() => undefined); // awaited only by the tests that expect it to start
    // What the service said: the message of each JSON line (its default format), or the line itself.
    const messages = () =>
      output
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => {
          try {
            return (JSON.parse(line) as { message: string }).message;
          } catch {
            return line;
          }
        })
        .join('\n');
    return { child, exited, listening, output: messages, lines: () => output.split('\n').filter((line) => line.trim() !== '') };
  };

  /** A USCIS system's token, signed with the key the service was given. */
  const agencyToken = (scope: string) =>
    new SignJWT({ agency: 'USCIS', scope })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('e2e')
      .setIssuer(ISSUER)
      .setAudience('case-status-intake')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    keysFile = join(dir, 'keys.json');
    writeFileSync(keysFile, JSON.stringify({ USCIS: { issuers: [ISSUER], jwks: { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }] } } }));
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const pool = new Pool({ connectionString: databaseUrl });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('refuses to start in production with a plain http key URL, even a loopback one, naming the agency and setting', async () => {
    const file = join(dir, 'http-keys.json');
    writeFileSync(file, JSON.stringify({ USCIS: { issuers: [ISSUER], jwksUri: 'http://127.0.0.1:9/jwks.json' } }));
    const intake = run({ INTAKE_AGENCY_KEYS_FILE: file, NODE_ENV: 'production', INTAKE_PORT: '0', OPS_PORT: '0' });
    expect(await intake.exited).toBe(1);
    expect(intake.output()).toContain('agency keys: USCIS.jwksUri must be an https:// URL in production');
  }, 30_000);

  it('logs one JSON object per line, naming the service (LOG_FORMAT=json, the default)', async () => {
    const intake = run({ REDIS_URL: 'redis://127.0.0.1:1', INTAKE_PORT: '0', OPS_PORT: '0' });
    try {
      await intake.listening;
      const lines = intake.lines().filter((line) => !line.startsWith('(node:') && !line.startsWith('(Use `node'));
      expect(lines.length).toBeGreaterThan(1);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ time: expect.any(String), level: expect.stringMatching(/^(info|warn|error)$/), service: 'intake-api', message: expect.any(String) });
      expect(intake.output()).toContain('listening on');
    } finally {
      intake.child.kill('SIGTERM');
      await intake.exited;
    }
  }, 30_000);

  it('exports its spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, the last ones when it stops, and stores the trace context with the event', async () => {
    // An OTLP/HTTP endpoint as a collector serves it (JSON encoding): it keeps what it is sent.
    const exports: { path: string; type: string | undefined; body: OtlpTraces }[] = [];
    const collector = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        exports.push({ path: req.url ?? '', type: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const port = await freePort();
    const intake = run({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, INTAKE_PORT: String(port), OPS_PORT: '0' });
    const receiptNumber = `IOE${String(Date.now()).slice(-10)}`;
    try {
      await intake.listening;
      const token = await agencyToken('intake:write');
      const answer = await fetch(`http://127.0.0.1:${port}/v1/cases/${receiptNumber}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ eventId: randomUUID(), type: 'CaseReceived', occurredAt: '2026-01-05T09:00:00Z', data: { formType: 'I-130', office: 'NBC' } }),
      });
      expect(answer.status).toBe(201);
    } finally {
      intake.child.kill('SIGTERM');
      await intake.exited;
      await new Promise((resolve) => collector.close(resolve));
    }
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((e) => e.path === '/v1/traces' && e.type === 'application/json')).toBe(true);
    const resources = exports.flatMap((e) => e.body.resourceSpans);
    expect(new Set(resources.flatMap((r) => r.resource.attributes.filter((a) => a.key === 'service.name').map((a) => a.value.stringValue)))).toEqual(new Set(['intake-api']));
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((scope) => scope.spans));
    const request = spans.find((span) => span.name === 'POST /v1/cases/:receiptNumber/events');
    const append = spans.find((span) => span.name === 'event-store append');
    expect(request).toBeDefined();
    expect(append?.traceId).toBe(request?.traceId);
    expect(append?.parentSpanId).toBe(request?.spanId);
    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    try {
      const { rows } = await pool.query<{ metadata: { traceparent?: string } }>(`SELECT metadata FROM "${schema}".events WHERE stream_id = $1`, [`case-USCIS-${receiptNumber}`]);
      expect(rows.map((row) => row.metadata.traceparent)).toEqual([`00-${append?.traceId}-${append?.spanId}-01`]);
    } finally {
      await pool.end();
    }
  }, 30_000);

  it('refuses to start with LOG_FORMAT or an OTLP endpoint that is not one, naming the setting', async () => {
    const format = run({ LOG_FORMAT: 'colour', INTAKE_PORT: '0', OPS_PORT: '0' });
    expect(await format.exited).toBe(1);
    expect(format.output()).toContain('LOG_FORMAT must be "json" or "pretty", not "colour"');
    const endpoint = run({ OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:4318', INTAKE_PORT: '0', OPS_PORT: '0' });
    expect(await endpoint.exited).toBe(1);
    expect(endpoint.output()).toContain('OTEL_EXPORTER_OTLP_ENDPOINT must be a URL starting with http:// or https://');
  }, 30_000);

  it('refuses to start with a REDIS_URL that is not a Redis URL, naming the setting', async () => {
    const intake = run({ REDIS_URL: 'localhost:6379', INTAKE_PORT: '0', OPS_PORT: '0' });
    expect(await intake.exited).toBe(1);
    expect(intake.output()).toContain('REDIS_URL must be a URL starting with redis:// or rediss://, e.g. redis://127.0.0.1:6379, not "localhost:6379"');
  }, 30_000);

  it('starts when REDIS_URL cannot be reached, and says that it counts in this instance', async () => {
    const intake = run({ REDIS_URL: 'redis://127.0.0.1:1', INTAKE_PORT: '0', OPS_PORT: '0' });
    try {
      await intake.listening;
      expect(intake.output()).toContain('Redis does not answer: rate limits count in this instance until it does');
    } finally {
      intake.child.kill('SIGTERM');
      await intake.exited;
    }
  }, 30_000);

  it("applies INTAKE_RATE_LIMIT_PER_MINUTE per agency, counted in REDIS_URL's Redis", async () => {
    const port = await freePort();
    const intake = run({ REDIS_URL: redisUrl, INTAKE_PORT: String(port), OPS_PORT: '0', INTAKE_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      await intake.listening;
      expect(intake.output()).toContain('rate limit counts shared through Redis');
      // Counts of an earlier run within the minute may still be in Redis, so only the third answer is certain.
      const token = await agencyToken('intake:read');
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/v1/refusals`, { headers: { authorization: `Bearer ${token}` } });
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        }
      }
      expect(statuses[2]).toBe(429);
    } finally {
      intake.child.kill('SIGTERM');
      await intake.exited;
    }
  }, 30_000);
});

