import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
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
        cpuSeconds: serverAndBackendsCpu(run.pool, server),
      });
    },
  );
  report(label, result);
  return result;
}

/**
 * CPU seconds used so far by a server's processes and by the PostgreSQL backends serving it:
 * the backends at the other end of the server's own connections to PostgreSQL, found (when
 * first asked: after the warm-up, when its pool is full) from the sockets the server holds,
 * the same ones every time after. Local server, so their CPU time is in /proc.
 */
export function serverAndBackendsCpu(pool: Pool, server: RunningServer): () => Promise<Record<string, number>> {
  let backends: number[] | undefined;
  return async () => {
    const members = processGroup(server.pid);
    if (!backends) {
      const { rows: port } = await pool.query<{ port: number }>('SELECT inet_server_port() AS port');
      const ports = localPortsTo(socketInodes(members), port[0].port);
      const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE client_port = ANY ($1::int[])`, [ports]);
      backends = rows.map((row) => row.pid);
    }
    return { server: cpuSecondsOfPids(members), postgres: cpuSecondsOfPids(backends) };
  };
}

/** The inodes of the sockets these processes hold open. */
function socketInodes(pids: readonly number[]): Set<string> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // exited
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
      } catch {
        // closed meanwhile
      }
    }
  }
  return inodes;
}

/** Local ports of the TCP sockets among `inodes` that are connected to `remotePort`. */
function localPortsTo(inodes: Set<string>, remotePort: number): number[] {
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[] = [];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      const [local, remote, inode] = [fields[1], fields[2], fields[9]];
      if (inodes.has(inode) && parseInt(remote.slice(remote.lastIndexOf(':') + 1), 16) === remotePort) ports.push(parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return ports;
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
