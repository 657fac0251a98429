/**
 * Website benchmark: the server-rendered case page under load, and what a first visit costs.
 *
 *   npm run bench:web
 *
 * - **case page at 500 req/s**: `/en/case/<receipt>` for a random existing case at 500
 *   requests/s, with Brotli accepted, sent as independent visitors send them (`openLoad`,
 *   benchmarks/query/open-load.ts: Poisson arrivals, each request sent when due whether or
 *   not earlier ones were answered, up to 64 kept-alive connections); every answer
 *   must be 200 and non-empty. p50/p99 latency from when each request was due, target
 *   p99 < 100 ms.
 * - **case page at 500 req/s, autocannon**: the same rate as earlier runs of this benchmark
 *   drove it (autocannon `overallRate`, 64 connections), for comparison with their figures:
 *   autocannon sends each connection's share of a second back to back when the second starts,
 *   so the server sees 64 requests at once every second and nothing for the rest of it.
 * - **case page, unthrottled**: the same with no rate: how many pages per second the site
 *   renders (each one a GraphQL request to the status API and a Preact render).
 * - **reference, same run**: the status API's own `caseStatus` query, the one the page asks,
 *   unthrottled and driven the same way.
 * - **first visit**: Debian's Chromium with a fresh profile opens a case page; every response
 *   it received is added up as it came over the wire (headers and compressed body): HTML,
 *   CSS, JavaScript, fonts and images actually requested. Target < 150 KB. Also for the
 *   lookup page.
 *
 * The status API and the site each run as their own process (their real mains, NODE_ENV
 * production), on read models of BENCH_CASES cases projected by the real projector.
 * Settings (environment): BENCH_DATABASE_URL, BENCH_CASES (2,000), BENCH_SECONDS (20),
 * BENCH_WARMUP_SECONDS (5), BENCH_CONNECTIONS (16), BENCH_RATE_CONNECTIONS (64), BENCH_RATE (500).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { chromium } from 'playwright-core';
import { print, stripIgnoredCharacters, visit } from 'graphql';
import { CaseStatusDocument } from '@case-status/web';
import { receiptNumber, receiptTemplate } from './query/lifecycles';
import { projectCases } from './query/load-read-models';
import { cpuSecondsOfPids, fmt, freePort, loadAverage, log, processGroup, startServer, wholeSetting, type RunningServer } from './query/load-test';
import { openLoad } from './query/open-load';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const CASES = wholeSetting('BENCH_CASES', 2_000, 10, 100_000);
const SECONDS = wholeSetting('BENCH_SECONDS', 20, 1, 120);
const WARMUP_SECONDS = wholeSetting('BENCH_WARMUP_SECONDS', 5, 0, 60);
const CONNECTIONS = wholeSetting('BENCH_CONNECTIONS', 16, 1, 100);
/**
 * Connections for the fixed-rate runs: at most this many for the visitors of `openLoad`, and
 * exactly this many for autocannon's, where each connection waits for its answer before its
 * next request (with few, one slow answer delays the requests behind it and the offered rate
 * is never sent: coordinated omission).
 */
const RATE_CONNECTIONS = wholeSetting('BENCH_RATE_CONNECTIONS', 64, 1, 500);
const RATE = wholeSetting('BENCH_RATE', 500, 1, 10_000);
const TARGET_P99_MS = 100;
const TARGET_FIRST_VISIT_BYTES = 150 * 1024;

const schema = `bench_web_${Date.now()}`;
const schemas = { readModels: schema, eventStore: `${schema}_es` };
/** The case page's operation (libs/web's case.graphql), and the same without its estimate. */
const caseQuery = (withEstimate: boolean) =>
  stripIgnoredCharacters(
    print(withEstimate ? CaseStatusDocument : visit(CaseStatusDocument, { Field: (field) => (field.name.value === 'estimate' ? null : undefined), FragmentDefinition: () => null })),
  );

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

const pool = new Pool({ connectionString: databaseUrl, max: 4 });
const running = new Set<RunningServer>();

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  failed: number;
  firstFailure: string | null;
  cpuMsPerRequest: Record<string, number>;
}

async function drive(options: {
  url: string;
  rate?: number;
  request: () => autocannon.Request;
  isExpected: (status: number, body: string) => boolean;
  cpu: () => Record<string, number>;
}): Promise<LoadResult> {
  let failed = 0;
  let firstFailure: string | null = null;
  const run = (duration: number) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      autocannon(
        {
          url: options.url,
          connections: options.rate ? RATE_CONNECTIONS : CONNECTIONS,
          duration,
          ...(options.rate && { overallRate: options.rate }),
          requests: [
            {
              setupRequest: (request) => ({ ...request, ...options.request() }),
              onResponse: (status, body) => {
                if (options.isExpected(status, body)) return;
                failed++;
                firstFailure ??= `${status} ${body.slice(0, 200)}`;
              },
            },
          ],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
    });
  if (WARMUP_SECONDS > 0) await run(WARMUP_SECONDS);
  failed = 0;
  firstFailure = null;
  const before = options.cpu();
  const own = process.cpuUsage();
  const result = await run(SECONDS);
  const after = options.cpu();
  const ownUsed = process.cpuUsage(own);
  const answered = Math.max(1, result.requests.total);
  const cpuMsPerRequest: Record<string, number> = { loadGenerator: (ownUsed.user + ownUsed.system) / 1000 / answered };
  for (const [who, seconds] of Object.entries(before)) cpuMsPerRequest[who] = ((after[who] - seconds) * 1000) / answered;
  return {
    perSecond: result.requests.total / SECONDS,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    failed: failed + result.errors + result.timeouts,
    firstFailure,
    cpuMsPerRequest,
  };
}

/** The fixed rate as independent visitors offer it (`openLoad`); CPU per request as `drive` counts it. */
async function driveOpen(options: {
  url: string;
  rate: number;
  request: () => { path: string; headers: Record<string, string> };
  isExpected: (status: number, body: string) => boolean;
  cpu: () => Record<string, number>;
}): Promise<LoadResult> {
  const run = (seconds: number) =>
    openLoad({ url: options.url, rate: options.rate, seconds, maxConnections: RATE_CONNECTIONS, request: options.request, isExpected: (status, body) => options.isExpected(status, body.toString('latin1')) });
  if (WARMUP_SECONDS > 0) await run(WARMUP_SECONDS);
  const before = options.cpu();
  const own = process.cpuUsage();
  const result = await run(SECONDS);
  const after = options.cpu();
  const ownUsed = process.cpuUsage(own);
  const answered = Math.max(1, result.requests);
  const cpuMsPerRequest: Record<string, number> = { loadGenerator: (ownUsed.user + ownUsed.system) / 1000 / answered };
  for (const [who, seconds] of Object.entries(before)) cpuMsPerRequest[who] = ((after[who] - seconds) * 1000) / answered;
  return { ...result, p50: Math.round(result.p50), p99: Math.round(result.p99), max: Math.round(result.max), cpuMsPerRequest };
}

function report(label: string, m: LoadResult): void {
  const cpu = Object.entries(m.cpuMsPerRequest).map(([who, ms]) => `${who} ${ms.toFixed(3)}`);
  log(
    `${label.padEnd(34)} ${fmt(m.perSecond).padStart(6)} req/s   p50 ${String(m.p50).padStart(4)} ms   p99 ${String(m.p99).padStart(4)} ms   max ${String(m.max).padStart(5)} ms   (${fmt(m.requests)} requests, ${m.failed} failed)`,
  );
  log(`${''.padEnd(34)} CPU ms per request: ${cpu.join(', ')}; load average ${loadAverage()}`);
  if (m.failed > 0) throw new Error(`${label}: ${m.failed} answers were not as expected; first: ${m.firstFailure}`);
}

/** What a first visit transfers: each response's headers and body as received (compressed). */
async function firstVisit(url: string): Promise<{ total: number; byType: Record<string, number>; lines: string[] }> {
  const profile = mkdtempSync(join(tmpdir(), 'bench-web-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    headless: true,
    viewport: { width: 390, height: 844 },
  });
  try {
    const page = await context.newPage();
    const responses: Promise<{ url: string; type: string; bytes: number; encoding: string }>[] = [];
    page.on('requestfinished', (request) => {
      responses.push(
        (async () => {
          const sizes = await request.sizes();
          const response = await request.response();
          return {
            url: new URL(request.url()).pathname,
            type: request.resourceType(),
            bytes: sizes.responseHeadersSize + sizes.responseBodySize,
            encoding: (await response?.headerValue('content-encoding')) ?? 'none',
          };
        })(),
      );
    });
    await page.goto(url, { waitUntil: 'networkidle' });
    const done = await Promise.all(responses);
    const byType: Record<string, number> = {};
    for (const response of done) byType[response.type] = (byType[response.type] ?? 0) + response.bytes;
    return {
      total: done.reduce((sum, response) => sum + response.bytes, 0),
      byType,
      lines: done.map((response) => `    ${response.type.padEnd(10)} ${kb(response.bytes).padStart(9)}  ${response.encoding.padEnd(4)}  ${response.url}`),
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  log(`web benchmark ${new Date().toISOString()}: ${cpus().length} cores, load ${loadAverage()}; ${fmt(CASES)} cases; ${CONNECTIONS} connections (${RATE_CONNECTIONS} at a fixed rate), ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per run`);
  const projected = await projectCases(pool, { eventStoreSchema: schemas.eventStore, readModelSchema: schemas.readModels, cases: Array.from({ length: CASES }, (_, n) => [n, n] as const) });
  log(`loaded ${fmt(projected.cases)} cases (${fmt(projected.events)} events) through the event store and the projector`);
  const receipts = Array.from({ length: CASES }, (_, n) => receiptNumber(receiptTemplate(n), n));
  const randomReceipt = () => receipts[Math.floor(Math.random() * receipts.length)];

  const statusPort = await freePort();
  const status = await startServer({
    entry: 'apps/status-api/src/main.ts',
    env: { NODE_ENV: 'production', DATABASE_URL: databaseUrl, READ_MODEL_SCHEMA: schemas.readModels, STATUS_PORT: String(statusPort), HOST: '127.0.0.1', STATUS_RATE_LIMIT_PER_MINUTE: '1000000' },
    port: statusPort,
    readyQuery: '{ __typename }',
    timeoutMs: 90_000,
  });
  running.add(status);
  const statusBase = status.url.replace(/\/graphql$/, '');
  const webPort = await freePort();
  // The first start of a checkout compiles USWDS's Sass; later ones reuse the cache.
  const web = await startServer({
    entry: 'apps/web/src/main.ts',
    env: { NODE_ENV: 'production', STATUS_API_URL: statusBase, PORT: String(webPort), HOST: '127.0.0.1', OPS_PORT: String(await freePort()) },
    port: webPort,
    readyPath: '/health/live',
    timeoutMs: 120_000,
  });
  running.add(web);
  const cpu = () => ({ web: cpuSecondsOfPids(processGroup(web.pid)), statusApi: cpuSecondsOfPids(processGroup(status.pid)) });

  const casePage = () => ({ method: 'GET' as const, path: `/en/case/${randomReceipt()}`, headers: { 'accept-encoding': 'br' } });
  const isCasePage = (code: number, body: string) => code === 200 && body.length > 0;

  // The reference asks exactly what the page asks, and the same without the estimate, for what the estimate costs.
  for (const [label, estimate] of [['reference: caseStatus (as the page)', true], ['reference: caseStatus, no estimate', false]] as const) {
    const reference = await drive({
      url: status.url,
      request: () => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: caseQuery(estimate), variables: { receiptNumber: randomReceipt() } }) }),
      isExpected: (code, body) => code === 200 && body.startsWith('{"data":{"caseStatus":{"receiptNumber":'),
      cpu,
    });
    report(label, reference);
  }
  const unthrottled = await drive({ url: web.url, request: casePage, isExpected: isCasePage, cpu });
  report('case page, unthrottled', unthrottled);
  const atRate = await driveOpen({ url: web.url, rate: RATE, request: casePage, isExpected: isCasePage, cpu });
  report(`case page at ${RATE} req/s`, atRate);
  const atRateAutocannon = await drive({ url: web.url, rate: RATE, request: casePage, isExpected: isCasePage, cpu });
  report(`case page at ${RATE} req/s, autocannon`, atRateAutocannon);
  const unthrottledAgain = await drive({ url: web.url, request: casePage, isExpected: isCasePage, cpu });
  report('case page, unthrottled (again)', unthrottledAgain);

  // A rendered page really is the case (autocannon only sees compressed bytes).
  const sample = randomReceipt();
  const html = await (await fetch(`${web.url}/en/case/${sample}`)).text();
  if (!html.includes(`>Case ${sample}</h1>`)) throw new Error(`the case page of ${sample} does not show the case`);

  for (const [label, path] of [
    ['case page', `/en/case/${sample}`],
    ['lookup page', '/en/'],
  ] as const) {
    const visit = await firstVisit(`${web.url}${path}`);
    const parts = Object.entries(visit.byType).map(([type, bytes]) => `${type} ${kb(bytes)}`);
    log(`first visit, ${label}: ${kb(visit.total)} over the wire (${parts.join(', ')}); target < ${kb(TARGET_FIRST_VISIT_BYTES)}`);
    for (const line of visit.lines) log(line);
  }
  // Met only if the rate was actually served: a server that falls behind sees fewer requests, not slower ones.
  const served = atRate.perSecond >= RATE * 0.95;
  log(
    `target: p99 < ${TARGET_P99_MS} ms at ${RATE} req/s: served ${fmt(atRate.perSecond)} req/s with p99 ${atRate.p99} ms: ${served && atRate.p99 < TARGET_P99_MS ? 'met' : 'NOT met'}` +
      (served ? '' : ' (the rate was not reached)'),
  );
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const server of running) await server.stop().catch(() => undefined);
    for (const name of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch(() => undefined);
    await pool.end();
  });
