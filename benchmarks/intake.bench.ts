/**
 * `npm run bench:intake`: events/s for batched intake over HTTP and for direct store appends,
 * against the raw PostgreSQL INSERT rate of the same rows, measured in the same run (before
 * and after), with the same batch per statement and the same number of connections.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { caseStreamId } from '@case-status/case-domain';
import { createPostgresEventStore, type EventToAppend, type JsonObject, type PostgresEventStore } from '@case-status/event-store';
import { intakeCredentials, UNLIMITED_INTAKE } from './support/intake-credentials';
import { cpuSecondsOfPids, processGroup, startServer, type RunningServer } from './query/load-test';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const ROWS = Number(process.env['BENCH_ROWS'] ?? 50_000);
const HTTP_SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 20);
/** Concurrent connections everywhere: HTTP clients of the intake, and the reference's and the store's database connections. */
const CONNECTIONS = 4;
const CASES_PER_BATCH = 100; // five lifecycle events each
const EVENTS_PER_BATCH = CASES_PER_BATCH * 5; // one intake request, one reference INSERT statement
const WARM_UP_BATCHES = 2 * CONNECTIONS;
const PORT = 3901;
const HELLO_PORT = 3902;
const INTAKE_APPLICATION = `bench-intake-${process.pid}`;
/** Agencies mostly send one event at a time, from many systems at once. */
const SINGLE_CONNECTIONS = Number(process.env['BENCH_SINGLE_CONNECTIONS'] ?? 32);
/** Which sections run: BENCH_PARTS=single for the single-event section alone (default: all). */
const PARTS = (process.env['BENCH_PARTS'] ?? 'store,batch,single').split(',');

const schema = `bench_${Date.now()}`;
const referenceSchema = `${schema}_raw`;

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

let receiptSeq = 0;
interface Submitted {
  receiptNumber: string;
  eventId: string;
  type: string;
  occurredAt: string;
  data: JsonObject;
}

/** One batch as an agency sends it: 100 new cases × received, review started, evidence requested, evidence received, decision issued. */
function batchOfSubmissions(): Submitted[] {
  const events: Submitted[] = [];
  for (let c = 0; c < CASES_PER_BATCH; c++) {
    const receiptNumber = `IOE${String(++receiptSeq).padStart(10, '0')}`;
    const item = (type: string, occurredAt: string, data: JsonObject): Submitted => ({ receiptNumber, eventId: randomUUID(), type, occurredAt, data });
    events.push(
      item('CaseReceived', '2026-01-05T10:00:00Z', { formType: 'I-130', office: 'NBC' }),
      item('CaseReviewStarted', '2026-01-20T10:00:00Z', {}),
      item('EvidenceRequested', '2026-02-01T10:00:00Z', { requestId: 'RFE-1', dueDate: '2026-04-01', description: 'Birth certificate' }),
      item('EvidenceReceived', '2026-03-01T10:00:00Z', { requestId: 'RFE-1' }),
      item('DecisionIssued', '2026-05-01T10:00:00Z', { outcome: 'approved' }),
    );
  }
  return events;
}

/** A submission as the intake stores it: the domain's data (a received case also carries agency and receipt number) and the intake's metadata. */
function asStored(submitted: Submitted): { streamId: string; event: EventToAppend } {
  const data = submitted.type === 'CaseReceived' ? { agency: 'USCIS', receiptNumber: submitted.receiptNumber, ...submitted.data } : submitted.data;
  const metadata = { occurredAt: new Date(submitted.occurredAt).toISOString(), schemaVersion: 1, taxonomyVersion: '1.0', submissionHash: 'x'.repeat(43), submittedBy: 'bench' };
  return { streamId: caseStreamId('USCIS', submitted.receiptNumber), event: { id: submitted.eventId, type: submitted.type, data, metadata } };
}

/** Runs `batches` batches on CONNECTIONS workers at once; returns rows/s. */
async function concurrently(batches: number, work: (batch: { streamId: string; event: EventToAppend }[]) => Promise<void>): Promise<number> {
  const prepared = Array.from({ length: batches }, () => batchOfSubmissions().map(asStored));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < prepared.length) await work(prepared[next++]);
    }),
  );
  return rate(batches * EVENTS_PER_BATCH, performance.now() - started);
}

/**
 * The upper bound: plain multi-row INSERTs of the same rows into the store's own events table
 * (created by the store's migration in a scratch schema: same columns, defaults, indexes and
 * constraints), 500 rows per statement, on CONNECTIONS connections at once. The stream rows
 * the foreign key needs are inserted beforehand, outside the timing, and nothing is checked:
 * no expected revision, no stream head, no NOTIFY.
 */
async function rawInsertRate(pool: Pool, batches: number): Promise<number> {
  const t = `"${referenceSchema}"`;
  const insert = async (batch: { streamId: string; event: EventToAppend }[]) => {
    const streams = [...new Set(batch.map((row) => row.streamId))];
    const values: unknown[] = [];
    const tuples: string[] = [];
    const revisions = new Map<string, number>();
    for (const { streamId, event } of batch) {
      const revision = revisions.get(streamId) ?? 0;
      revisions.set(streamId, revision + 1);
      const p = values.length;
      tuples.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`);
      values.push(event.id, streamId, revision, event.type, event.data, event.metadata);
    }
    return { streams, sql: `INSERT INTO ${t}.events (event_id, stream_id, stream_revision, type, data, metadata) VALUES ${tuples.join(',')}`, values };
  };
  const prepared = await Promise.all(Array.from({ length: batches }, () => insert(batchOfSubmissions().map(asStored))));
  await pool.query(`INSERT INTO ${t}.streams (stream_id, revision) SELECT unnest($1::text[]), 4`, [prepared.flatMap((p) => p.streams)]);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < prepared.length) {
        const { sql, values } = prepared[next++];
        await pool.query(sql, values);
      }
    }),
  );
  return rate(batches * EVENTS_PER_BATCH, performance.now() - started);
}

function startIntake(keysFile: string): Promise<RunningServer> {
  return startServer({
    entry: 'apps/intake-api/src/main.ts',
    env: {
      INTAKE_AGENCY_KEYS_FILE: keysFile,
      INTAKE_PORT: String(PORT),
      DATABASE_URL: `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}application_name=${INTAKE_APPLICATION}`,
      EVENT_STORE_SCHEMA: schema,
      ...UNLIMITED_INTAKE,
    },
    port: PORT,
    readyPath: '/health/live',
    timeoutMs: 120_000,
  });
}

function batchBody(): string {
  return JSON.stringify({ events: batchOfSubmissions() });
}

async function batchedIntakeRate(origin: string, token: string): Promise<{ eventsPerSecond: number; refused: number; p99: number }> {
  let refused = 0;
  let recorded = 0;
  const run = (duration: number) =>
    autocannon({
      url: `${origin}/v1/events/batch`,
      method: 'POST',
      connections: CONNECTIONS,
      duration,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: batchBody() }), onResponse: (status, body) => {
        const answer = JSON.parse(body) as { recorded: number; refused: number };
        if (status !== 200) refused += EVENTS_PER_BATCH;
        else { recorded += answer.recorded; refused += answer.refused; }
      } }],
    });
  await run(3); // warm-up: JIT, pool connections, prepared plans
  refused = 0;
  recorded = 0;
  const result = await run(HTTP_SECONDS);
  return { eventsPerSecond: Math.round(recorded / result.duration), refused, p99: result.latency.p99 };
}

interface SingleRun {
  perSecond: number;
  p50: number;
  p99: number;
  failed: number;
  /** CPU ms the server's processes spent per answered request: steadier than req/s on a busy machine. */
  serverCpuMs: number;
  /** The same for the PostgreSQL backends serving the server's connections (none for hello-world). */
  databaseCpuMs: number;
}

/** The PostgreSQL backends of the intake's pool, told apart by the application name its connection string sets. */
async function intakeBackends(pool: Pool): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, [INTAKE_APPLICATION]);
  return rows.map((row) => row.pid);
}

/**
 * One event per POST on SINGLE_CONNECTIONS connections, as agencies send them: each connection
 * walks its own case through its lifecycle (received, review started, evidence requested and
 * received, decision issued), one event per request, then starts a new case; counts 201s.
 * The reference takes the same bodies at the same rate of connections on POST /hello.
 */
async function singleEventRate(
  server: RunningServer,
  url: (receiptNumber: string) => string,
  headers: Record<string, string>,
  duration: number,
  backends: () => Promise<number[]> = async () => [],
): Promise<SingleRun> {
  let ok = 0;
  let failed = 0;
  const databasePids = await backends();
  const cpuBefore = cpuSecondsOfPids(processGroup(server.pid));
  const databaseBefore = cpuSecondsOfPids(databasePids);
  const result = await autocannon({
    url: url('IOE0000000000'),
    method: 'POST',
    connections: SINGLE_CONNECTIONS,
    duration,
    headers: { ...headers, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req, context: { lifecycle?: Submitted[] }) => {
          if (!context.lifecycle?.length) context.lifecycle = batchOfSubmissions().slice(0, 5);
          const { receiptNumber, ...event } = context.lifecycle.shift() as Submitted;
          return { ...req, path: new URL(url(receiptNumber)).pathname, body: JSON.stringify(event) };
        },
        onResponse: (status) => (status === 201 ? ok++ : failed++),
      },
    ],
  });
  const perRequest = (cpuSeconds: number) => (cpuSeconds * 1000) / Math.max(ok, 1);
  return {
    perSecond: Math.round(ok / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: failed + result.errors + result.timeouts,
    serverCpuMs: perRequest(cpuSecondsOfPids(processGroup(server.pid)) - cpuBefore),
    databaseCpuMs: perRequest(cpuSecondsOfPids(databasePids) - databaseBefore),
  };
}

/** The store and batched sections compare with the raw INSERT reference; the single-event section with hello-world. */
async function storeSection(pool: Pool, store: PostgresEventStore, batches: number): Promise<number> {
  // Warm every path up (connections, plans, caches) before anything is timed.
  await rawInsertRate(pool, WARM_UP_BATCHES);
  const appendPerCase = (batch: { streamId: string; event: EventToAppend }[]) =>
    Promise.all([...groupByStream(batch)].map(([streamId, events]) => store.appendToStream(streamId, events, { expectedRevision: 'no_stream' }))).then(() => undefined);
  await concurrently(WARM_UP_BATCHES, appendPerCase);
  const appendPerBatch = (batch: { streamId: string; event: EventToAppend }[]) =>
    store.appendToStreams([...groupByStream(batch)].map(([streamId, events]) => ({ streamId, events, expectedRevision: 'no_stream' as const }))).then(() => undefined);
  await concurrently(WARM_UP_BATCHES, appendPerBatch);

  const rawBefore = await rawInsertRate(pool, batches);
  console.log(`reference  raw multi-row INSERT (${EVENTS_PER_BATCH} rows/statement), before: ${rawBefore} rows/s`);
  const perCase = await concurrently(batches, appendPerCase);
  const perBatch = await concurrently(batches, appendPerBatch);
  const rawAfter = await rawInsertRate(pool, batches);
  console.log(`reference  raw multi-row INSERT, after:                        ${rawAfter} rows/s`);
  const raw = Math.round((rawBefore + rawAfter) / 2);
  console.log(`store      appendToStream, one append per case (5 events):     ${perCase} events/s = ${percentOf(perCase, raw)} of raw`);
  console.log(`store      appendToStreams, one append per batch (100 cases):  ${perBatch} events/s = ${percentOf(perBatch, raw)} of raw`);
  return raw;
}

async function helloWorld(): Promise<SingleRun> {
  const server = await startServer({ entry: 'benchmarks/support/hello-fastify.ts', env: { PORT: String(HELLO_PORT) }, port: HELLO_PORT, readyPath: '/hello', timeoutMs: 60_000 });
  try {
    await singleEventRate(server, () => `${server.url}/hello`, {}, 3);
    return await singleEventRate(server, () => `${server.url}/hello`, {}, HTTP_SECONDS);
  } finally {
    await server.stop();
  }
}

async function intakeSections(pool: Pool, raw: number | undefined): Promise<void> {
  const { keysFile, token, remove } = await intakeCredentials('intake');
  const intakeServer = await startIntake(keysFile);
  try {
    if (PARTS.includes('batch')) {
      const intake = await batchedIntakeRate(intakeServer.url, token);
      const ratio = raw === undefined ? '' : ` = ${percentOf(intake.eventsPerSecond, raw)} of raw (target >= 60%)`;
      console.log(`intake     POST /v1/events/batch (${EVENTS_PER_BATCH} events/request):     ${intake.eventsPerSecond} events/s${ratio}, p99 ${intake.p99} ms per request, ${intake.refused} refused`);
    }
    if (PARTS.includes('single')) {
      const show = (label: string, run: SingleRun) =>
        `${label}${run.perSecond} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.failed} failed, CPU ms/request server ${run.serverCpuMs.toFixed(3)} / PostgreSQL ${run.databaseCpuMs.toFixed(3)}`;
      const helloBefore = await helloWorld();
      console.log(show(`reference  bare Fastify hello-world, POST, ${SINGLE_CONNECTIONS} connections, before: `, helloBefore));
      const single = (duration: number) => singleEventRate(intakeServer, (receipt) => `${intakeServer.url}/v1/cases/${receipt}/events`, { authorization: `Bearer ${token}` }, duration, () => intakeBackends(pool));
      await single(3);
      const one = await single(HTTP_SECONDS);
      const helloAfter = await helloWorld();
      console.log(show(`reference  bare Fastify hello-world, after:  `, helloAfter));
      const hello = (helloBefore.perSecond + helloAfter.perSecond) / 2;
      console.log(show(`intake     POST /v1/cases/{receipt}/events, one event each: `, one) + ` = ${percentOf(one.perSecond, hello)} of hello-world (target >= 15%)`);
    }
  } finally {
    await intakeServer.stop();
    remove();
  }
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: CONNECTIONS });
  const store = await createPostgresEventStore({ connection: pool, schema });
  await (await createPostgresEventStore({ connection: pool, schema: referenceSchema })).close();
  const batches = Math.ceil(ROWS / EVENTS_PER_BATCH);
  try {
    console.log(
      `intake benchmark (${PARTS.join(', ')}): ${batches * EVENTS_PER_BATCH} rows in batches of ${EVENTS_PER_BATCH} (${CASES_PER_BATCH} cases × 5 events), ${CONNECTIONS} connections; HTTP for ${HTTP_SECONDS}s, single events on ${SINGLE_CONNECTIONS} connections; ${cpus().length} cores; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; ${new Date().toISOString()}`,
    );
    const raw = PARTS.includes('store') ? await storeSection(pool, store, batches) : undefined;
    if (PARTS.includes('batch') || PARTS.includes('single')) await intakeSections(pool, raw);
    const sizes = await pool.query<{ schema: string; bytes: string }>(
      `SELECT $1 AS schema, round(avg(pg_column_size(data) + pg_column_size(metadata)))::text AS bytes FROM "${schema}".events
       UNION ALL SELECT $2, round(avg(pg_column_size(data) + pg_column_size(metadata)))::text FROM "${referenceSchema}".events`,
      ['stored by intake and store', 'reference'],
    );
    console.log(`row check  mean jsonb bytes per row: ${sizes.rows.map((row) => `${row.schema} ${row.bytes ?? '-'}`).join(', ')}`);
  } finally {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${referenceSchema}" CASCADE`);
    await pool.end();
  }
}

function percentOf(value: number, reference: number): string {
  return `${Math.round((value / reference) * 100)}%`;
}

function groupByStream(batch: { streamId: string; event: EventToAppend }[]): Map<string, EventToAppend[]> {
  const byStream = new Map<string, EventToAppend[]>();
  for (const { streamId, event } of batch) byStream.set(streamId, [...(byStream.get(streamId) ?? []), event]);
  return byStream;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
