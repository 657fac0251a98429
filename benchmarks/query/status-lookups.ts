import type { Pool } from 'pg';
import { cpuSecondsOfPids, fmt, freePort, loadAverage, log, measure, processGroup, startServer, type Measurement, type RunningServer } from './load-test';

/**
 * The public status lookup as the status page asks it, driven against the real status API
 * (its own process), and the bare Mercurius hello-world it is compared with: what bench:query
 * and bench:scale measure the same way.
 */

const CASE_STATUS_QUERY = `query CaseStatusPage($r: String!) {
  caseStatus(receiptNumber: $r) {
    receiptNumber agency formType office step statusCode
    statusText { en es } nextStep { en es }
    receivedAt lastChangedAt revision
    decision { outcome decidedAt }
    history { eventId eventType occurredAt step title { en es } }
  }
}`;
const HELLO_BODY = JSON.stringify({ query: 'query { hello }' });

/** How the lookups are driven, and where the servers they start are kept (so a clean-up can stop them). */
export interface LookupRun {
  pool: Pool;
  databaseUrl: string;
  servers: Set<RunningServer>;
  connections: number;
  warmupSeconds: number;
  seconds: number;
  /** How the servers run (production: graphql-js skips its development-only checks). */
  serverNodeEnv: string;
}

/** Starts a server, keeps it in `servers` while `work` runs, and stops it afterwards. */
export async function withServer<T>(servers: Set<RunningServer>, start: () => Promise<RunningServer>, work: (server: RunningServer) => Promise<T>): Promise<T> {
  const server = await start();
  servers.add(server);
  try {
    return await work(server);
  } finally {
    await server.stop();
    servers.delete(server);
  }
}

/** The same-run reference: a bare Fastify + Mercurius `{ hello }`, driven as the lookups are. */
export async function measureHello(run: LookupRun, label: string): Promise<Measurement> {
  const port = await freePort();
  const result = await withServer(
    run.servers,
    () => startServer({ entry: 'benchmarks/query/hello-mercurius.ts', env: { PORT: String(port), NODE_ENV: run.serverNodeEnv }, port, readyQuery: '{ hello }', timeoutMs: 60_000 }),
    (server) =>
      measure({
        url: server.url,
        connections: run.connections,
        warmupSeconds: run.warmupSeconds,
        seconds: run.seconds,
        body: () => HELLO_BODY,
        isExpected: (body) => body === '{"data":{"hello":"world"}}',
        cpuSeconds: async () => ({ server: cpuSecondsOfPids(processGroup(server.pid)) }),
      }),
  );
  report(label, result);
  return result;
}

/**
 * `caseStatus` with texts and history for a random one of `cases` receipt numbers
 * (`receiptOf(m)`, 0 ≤ m < cases), through apps/status-api over `readModelSchema`.
 */
export async function measureStatus(run: LookupRun, label: string, options: { readModelSchema: string; cases: number; receiptOf: (m: number) => string }): Promise<Measurement> {
  const port = await freePort();
  const result = await withServer(
    run.servers,
    () =>
      startServer({
        entry: 'apps/status-api/src/main.ts',
        env: { NODE_ENV: run.serverNodeEnv, DATABASE_URL: run.databaseUrl, READ_MODEL_SCHEMA: options.readModelSchema, STATUS_PORT: String(port), HOST: '127.0.0.1', STATUS_RATE_LIMIT_PER_MINUTE: '1000000' },
        port,
        readyQuery: '{ __typename }',
        timeoutMs: 90_000,
      }),
    async (server) => {
      // The last case of the range must be there, with its history, before anything is timed.
      const probe = options.receiptOf(options.cases - 1);
      const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CASE_STATUS_QUERY, variables: { r: probe } }) });
      const answer = (await response.json()) as { data?: { caseStatus?: { receiptNumber: string; history: unknown[] } | null }; errors?: unknown[] };
      if (answer.data?.caseStatus?.receiptNumber !== probe || answer.data.caseStatus.history.length === 0) {
        throw new Error(`case ${probe} is not answered as expected: ${JSON.stringify(answer).slice(0, 500)}`);
      }
      return measure({
        url: server.url,
        connections: run.connections,
        warmupSeconds: run.warmupSeconds,
        seconds: run.seconds,
        body: () => JSON.stringify({ query: CASE_STATUS_QUERY, variables: { r: options.receiptOf(Math.floor(Math.random() * options.cases)) } }),
        isExpected: (body) => body.startsWith('{"data":{"caseStatus":{"receiptNumber":') && body.includes('"history":[{') && !body.includes('"errors"'),
        cpuSeconds: async () => ({ server: cpuSecondsOfPids(processGroup(server.pid)), postgres: cpuSecondsOfPids(await backendsReading(run.pool, `"${options.readModelSchema}".case_`)) }),
      });
    },
  );
  report(label, result);
  return result;
}

/**
 * The PostgreSQL backends serving a server: the connections whose last statement named
 * `fragment` (a schema's tables; the pool is full after the warm-up). Local server, so their
 * CPU time is in /proc.
 */
export async function backendsReading(pool: Pool, fragment: string): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE $1`, [`%${fragment}%`]);
  return rows.map((row) => row.pid);
}

/** Prints a measurement (req/s, latency, CPU per request); throws if any answer was not what was asked for. */
export function report(label: string, m: Measurement, unit = 'req/s'): void {
  log(
    `${label.padEnd(24)} ${fmt(m.perSecond).padStart(6)} ${unit}   p50 ${m.p50.toFixed(2).padStart(6)} ms   p99 ${m.p99.toFixed(2).padStart(6)} ms   max ${m.max.toFixed(1).padStart(6)} ms` +
      `   (autocannon p50/p99 ${m.autocannonP50}/${m.autocannonP99} ms; ${fmt(m.requests)} requests, ${m.failed} failed)`,
  );
  const cpu = Object.entries(m.cpuPerRequest).map(([who, ms]) => `${who} ${ms.toFixed(3)}`);
  log(`${''.padEnd(24)} CPU ms per request: ${cpu.join(', ')}; machine CPU busy ${Math.round(m.cpuBusy * 100)} %, load average ${loadAverage()}`);
  if (m.failed > 0) throw new Error(`${label}: ${m.failed} responses were not what the request asks for; first: ${m.firstFailure}`);
}
