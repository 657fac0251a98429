import { spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import type { Pool } from 'pg';
import { cpuProfileEnv, stopProcess } from '../support/cpu-profile';

/** The part of autocannon 9 this benchmark uses (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  requests: AutocannonRequest[];
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number };
  latency: { p50: number; p99: number };
}
type Autocannon = (options: AutocannonOptions, done: (error: Error | null, result: AutocannonResult) => void) => EventEmitter;

const autocannon = createRequire(__filename)('autocannon') as Autocannon;

/** A port nothing listens on right now (loopback). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** Servers run as in production, where the status API refuses to start without a strong feedback secret. */
const BENCH_FEEDBACK_SECRET = 'benchmark-only-feedback-secret-0123456789abcdef';

/**
 * Starts a TypeScript entry point in its own process group (so stopping it also stops the
 * node process `run-ts` spawns) and waits until POST /graphql answers `readyQuery` with 200
 * (the server's `url` is then its /graphql), or, for a website, until GET `readyPath`
 * answers 200 (`url` is then its origin).
 */
export async function startServer(
  options: { entry: string; env: NodeJS.ProcessEnv; port: number; timeoutMs: number } & ({ readyQuery: string } | { readyPath: string }),
): Promise<RunningServer> {
  const role = basename(options.entry.replace(/\/src\/main\.ts$/, ''), '.ts');
  const child = spawn(process.execPath, ['tools/run-ts.mjs', options.entry], {
    env: { FEEDBACK_SECRET: BENCH_FEEDBACK_SECRET, ...process.env, ...options.env, ...cpuProfileEnv(role) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => (exited = true));
  const pid = child.pid as number;
  const stop = () => stopProcess(child, { group: true });
  const origin = `http://127.0.0.1:${options.port}`;
  const url = 'readyQuery' in options ? `${origin}/graphql` : origin;
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${options.entry} exited before it answered:\n${output}`);
    try {
      const response =
        'readyQuery' in options
          ? await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: options.readyQuery }) })
          : await fetch(`${origin}${options.readyPath}`);
      if (response.status === 200) return { url, pid, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`${options.entry} did not answer within ${options.timeoutMs} ms:\n${output}`);
}

export interface Measurement {
  requests: number;
  perSecond: number;
  /** Exact percentiles of every response's latency (ms, sub-millisecond resolution). */
  p50: number;
  p99: number;
  max: number;
  /** autocannon's own whole-millisecond histogram figures, for comparison. */
  autocannonP50: number;
  autocannonP99: number;
  /** Responses that were not the expected status and body, plus connection errors and timeouts. */
  failed: number;
  firstFailure: string | null;
  /** Machine-wide CPU busy share during the run (all processes: load generator, server, PostgreSQL, others). */
  cpuBusy: number;
  /** CPU milliseconds per answered request, by whom (from /proc, measured run only). */
  cpuPerRequest: { loadGenerator: number } & Record<string, number>;
}

/** CPU seconds (user + system) used so far by these processes; ones that are gone count nothing. */
export function cpuSecondsOfPids(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** The processes of a process group (a server started by `startServer` and the node process it runs). */
export function processGroup(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) members.push(Number(entry));
    } catch {
      // exited
    }
  }
  return members;
}

function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  const idle = fields[3] + (fields[4] ?? 0);
  return { busy: total - idle, total };
}

function run(options: AutocannonOptions, onLatency?: (ms: number) => void): Promise<AutocannonResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    if (onLatency) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => onLatency(ms));
  });
}

/** NaN when nothing was answered. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;
}

/**
 * Warm-up, then the measured run: `connections` keep-alive connections, each sending the
 * next request as soon as the previous answer arrived. Each request POSTs `body()` to `url`,
 * or `post()`'s body to its path (with `headers`: a bearer token, say), or, with `page`,
 * GETs `page.path()` (a page of a site, with `page.headers`: a session cookie, say). An
 * answer counts when its status is `status` (200) and `isExpected` accepts its body.
 */
export async function measure(options: {
  url: string;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  body?: () => string;
  post?: { request: () => { path: string; body: string }; headers: Record<string, string> };
  page?: { path: () => string; headers: Record<string, string> };
  status?: number;
  isExpected: (body: string) => boolean;
  /** CPU seconds used so far by the other parties to account for (server, database), sampled around the measured run. */
  cpuSeconds?: () => Promise<Record<string, number>>;
}): Promise<Measurement> {
  let failed = 0;
  let firstFailure: string | null = null;
  const { body, post, page, status: expectedStatus = 200 } = options;
  if ([body, post, page].filter(Boolean).length !== 1) throw new Error('measure: give one of body or post (POST) or page (GET)');
  const request: AutocannonRequest = {
    method: page ? 'GET' : 'POST',
    setupRequest: (req) => (page ? { ...req, path: page.path() } : post ? { ...req, ...post.request() } : { ...req, body: body?.() }),
    onResponse: (status, answer) => {
      if (status === expectedStatus && options.isExpected(answer)) return;
      failed++;
      firstFailure ??= `${status} ${answer.slice(0, 300)}`;
    },
  };
  const base = {
    url: options.url,
    connections: options.connections,
    method: page ? ('GET' as const) : ('POST' as const),
    headers: page ? page.headers : { 'content-type': 'application/json', ...post?.headers },
    requests: [request],
  };
  if (options.warmupSeconds > 0) await run({ ...base, duration: options.warmupSeconds });
  failed = 0;
  firstFailure = null;
  // Bounded: far more room than 2 cores can answer in the run.
  const latencies = new Float64Array(Math.max(1, options.seconds) * 50_000);
  let count = 0;
  const othersBefore = (await options.cpuSeconds?.()) ?? {};
  const before = cpuTimes();
  const ownBefore = process.cpuUsage();
  const result = await run({ ...base, duration: options.seconds }, (ms) => {
    if (count < latencies.length) latencies[count++] = ms;
  });
  const own = process.cpuUsage(ownBefore);
  const after = cpuTimes();
  const othersAfter = (await options.cpuSeconds?.()) ?? {};
  const answered = Math.max(1, result.requests.total);
  const cpuPerRequest: Measurement['cpuPerRequest'] = { loadGenerator: (own.user + own.system) / 1000 / answered };
  for (const [who, secondsBefore] of Object.entries(othersBefore)) cpuPerRequest[who] = (((othersAfter[who] ?? secondsBefore) - secondsBefore) * 1000) / answered;
  const sorted = latencies.subarray(0, count).sort();
  return {
    requests: result.requests.total,
    perSecond: result.requests.total / result.duration,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[count - 1] ?? 0,
    autocannonP50: result.latency.p50,
    autocannonP99: result.latency.p99,
    failed: failed + result.errors + result.timeouts,
    firstFailure,
    cpuBusy: (after.busy - before.busy) / Math.max(1, after.total - before.total),
    cpuPerRequest,
  };
}

/** A whole-number setting from the environment (`fallback` when unset), refused outside [min, max]. */
export function wholeSetting(name: string, fallback: number, min: number, max: number): number {
  const text = process.env[name];
  const value = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

/**
 * How long and how hard a closed-loop benchmark drives: BENCH_SECONDS (15) measured after
 * BENCH_WARMUP_SECONDS (5), over BENCH_CONNECTIONS, and BENCH_MAX_MINUTES before it gives up;
 * the defaults of the last two are the benchmark's own.
 */
export function runSettings(defaults: { connections: number; maxMinutes: number }): { seconds: number; warmupSeconds: number; connections: number; maxMinutes: number } {
  return {
    seconds: wholeSetting('BENCH_SECONDS', 15, 1, 120),
    warmupSeconds: wholeSetting('BENCH_WARMUP_SECONDS', 5, 0, 60),
    connections: wholeSetting('BENCH_CONNECTIONS', defaults.connections, 1, 100),
    maxMinutes: wholeSetting('BENCH_MAX_MINUTES', defaults.maxMinutes, 1, 1_440),
  };
}

/** How a benchmark prints: lines, seconds, the load average, grouped whole numbers. */
export const log = (line: string): void => console.log(line);
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
export const loadAverage = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');
export const fmt = (value: number): string => Math.round(value).toLocaleString('en-US');

/**
 * Stops the servers a run started, drops every schema whose name starts with `schemaPrefix`
 * and closes the pool; safe to call more than once (on exit and on a signal).
 */
export function cleanUpOnce(pool: Pool, servers: Set<RunningServer>, schemaPrefix: string): () => Promise<void> {
  let cleaning: Promise<void> | undefined;
  return () => {
    cleaning ??= (async () => {
      for (const server of servers) await server.stop().catch(() => undefined);
      servers.clear();
      const { rows } = await pool.query<{ name: string }>(`SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE $1`, [`${schemaPrefix}%`]).catch(() => ({ rows: [] }));
      for (const { name } of rows) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`).catch((error: Error) => console.error(`could not drop schema ${name}: ${error.message}`));
      await pool.end().catch(() => undefined);
    })();
    return cleaning;
  };
}

/**
 * Runs a benchmark's `main` and cleans up after it however it ends: normally, on an error
 * (exit code 1), on Ctrl-C or SIGTERM (130), or when it outlasts `maxMinutes` (1).
 */
export function runBenchmark(name: string, options: { maxMinutes: number; cleanUp: () => Promise<void> }, main: () => Promise<void>): void {
  const { cleanUp } = options;
  const deadline = setTimeout(() => {
    console.error(`${name}: still running after ${options.maxMinutes} min (BENCH_MAX_MINUTES); stopping`);
    void cleanUp().finally(() => process.exit(1));
  }, options.maxMinutes * 60_000);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.error(`${name}: ${signal}, cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  main()
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    })
    .finally(async () => {
      clearTimeout(deadline);
      await cleanUp();
    });
}
