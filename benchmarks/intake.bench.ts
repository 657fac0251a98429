/**
 * `npm run bench:intake`: events/s for batched intake over HTTP and for direct store appends,
 * with the raw PostgreSQL INSERT rate for equally sized rows measured in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { createPostgresEventStore, type EventToAppend } from '@case-status/event-store';
import { intakeCredentials, UNLIMITED_INTAKE } from './support/intake-credentials';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const ROWS = Number(process.env['BENCH_ROWS'] ?? 50_000);
const BATCH = 100;
const HTTP_SECONDS = Number(process.env['BENCH_HTTP_SECONDS'] ?? 20);
const CASES_PER_REQUEST = 100; // five lifecycle events each: 500 events per request
const PORT = 3901;

const schema = `bench_${Date.now()}`;
const eventData = { formType: 'I-130', office: 'NBC', agency: 'USCIS', receiptNumber: 'IOE0000000000' };
const eventMetadata = { occurredAt: '2026-01-05T10:00:00Z', schemaVersion: 1, taxonomyVersion: '1.0', submissionHash: 'x'.repeat(43), submittedBy: 'bench' };

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

async function rawInsertRate(pool: Pool): Promise<number> {
  await pool.query(`CREATE TABLE "${schema}".raw_rows (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text NOT NULL, stream_revision bigint NOT NULL,
    type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, stream_revision))`);
  const started = performance.now();
  for (let b = 0; b < ROWS / BATCH; b++) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (let i = 0; i < BATCH; i++) {
      const p = values.length;
      tuples.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`);
      values.push(randomUUID(), `raw-${b}`, i, 'CaseReceived', eventData, eventMetadata);
    }
    await pool.query(`INSERT INTO "${schema}".raw_rows (event_id, stream_id, stream_revision, type, data, metadata) VALUES ${tuples.join(',')}`, values);
  }
  return rate(ROWS, performance.now() - started);
}

async function storeAppendRate(pool: Pool): Promise<number> {
  const store = await createPostgresEventStore({ connection: pool, schema });
  const started = performance.now();
  for (let b = 0; b < ROWS / BATCH; b++) {
    const events: EventToAppend[] = Array.from({ length: BATCH }, () => ({ id: randomUUID(), type: 'CaseReceived', data: eventData, metadata: eventMetadata }));
    await store.appendToStream(`case-BENCH-${b}`, events, { expectedRevision: 'no_stream' });
  }
  const elapsed = performance.now() - started;
  await store.close();
  return rate(ROWS, elapsed);
}

async function startIntake(keysFile: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['tools/run-ts.mjs', 'apps/intake-api/src/main.ts'], {
    env: { ...process.env, INTAKE_AGENCY_KEYS_FILE: keysFile, INTAKE_PORT: String(PORT), DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: schema, ...UNLIMITED_INTAKE },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('listening on') && resolve());
    child.on('exit', (code) => reject(new Error(`intake-api exited with ${code}`)));
  });
  return child;
}

let receiptSeq = 0;
function batchBody(): string {
  const events = [];
  for (let c = 0; c < CASES_PER_REQUEST; c++) {
    const receiptNumber = `IOE${String(++receiptSeq).padStart(10, '0')}`;
    const item = (type: string, occurredAt: string, data: object) => ({ receiptNumber, eventId: randomUUID(), type, occurredAt, data });
    events.push(
      item('CaseReceived', '2026-01-05T10:00:00Z', { formType: 'I-130', office: 'NBC' }),
      item('CaseReviewStarted', '2026-01-20T10:00:00Z', {}),
      item('EvidenceRequested', '2026-02-01T10:00:00Z', { requestId: 'RFE-1', dueDate: '2026-04-01', description: 'Birth certificate' }),
      item('EvidenceReceived', '2026-03-01T10:00:00Z', { requestId: 'RFE-1' }),
      item('DecisionIssued', '2026-05-01T10:00:00Z', { outcome: 'approved' }),
    );
  }
  return JSON.stringify({ events });
}

async function batchedIntakeRate(): Promise<{ eventsPerSecond: number; refused: number; p99: number }> {
  const { keysFile, token, remove } = await intakeCredentials('intake');
  const server = await startIntake(keysFile);
  let refused = 0;
  let recorded = 0;
  try {
    const result = await autocannon({
      url: `http://127.0.0.1:${PORT}/v1/events/batch`,
      method: 'POST',
      connections: 4,
      duration: HTTP_SECONDS,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      requests: [{ setupRequest: (req) => ({ ...req, body: batchBody() }), onResponse: (status, body) => {
        const answer = JSON.parse(body) as { recorded: number; refused: number };
        if (status !== 200) refused += CASES_PER_REQUEST * 5;
        else { recorded += answer.recorded; refused += answer.refused; }
      } }],
    });
    return { eventsPerSecond: Math.round(recorded / (result.duration)), refused, p99: result.latency.p99 };
  } finally {
    server.kill('SIGTERM');
    remove();
  }
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  await pool.query(`CREATE SCHEMA "${schema}"`);
  try {
    console.log(`intake benchmark: ${ROWS} rows in batches of ${BATCH}; HTTP for ${HTTP_SECONDS}s; ${cpus().length} cores; ${new Date().toISOString()}`);
    const raw = await rawInsertRate(pool);
    console.log(`reference  raw multi-row INSERT (${BATCH} rows/statement): ${raw} rows/s`);
    const appends = await storeAppendRate(pool);
    console.log(`store      appendToStream (${BATCH} events/append):       ${appends} events/s = ${Math.round((appends / raw) * 100)}% of raw (target >= 50%)`);
    const intake = await batchedIntakeRate();
    console.log(`intake     POST /v1/events/batch (500 events/request):   ${intake.eventsPerSecond} events/s, p99 ${intake.p99} ms per request, ${intake.refused} refused (target >= 5000 events/s)`);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
