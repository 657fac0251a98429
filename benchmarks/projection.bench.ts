/**
 * Projection benchmark: rebuild rate (events/s) of the read models over realistic case
 * lifecycles, against plain `readAll` throughput of the same events in the same run; then live
 * lag (append commit → projection commit, seen through the change feed) at a steady append rate
 * with the real projector app running in its own process.
 *
 *   node tools/run-ts.mjs benchmarks/projection.bench.ts
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { caseStreamId, type CaseEvent } from '@case-status/case-domain';
import { createPostgresEventStore, type EventToAppend, type PostgresEventStore } from '@case-status/event-store';
import { CASE_STREAM_PREFIX, type GlobalPosition } from '@case-status/event-contract';
import { caseReadModels, PostgresCaseStatusChangeFeed } from '@case-status/read-models';
import { rebuildProjection } from '@case-status/projection-runner';
import { cpuProfileEnv, profiled, stopProcess } from './support/cpu-profile';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const LIVE_SECONDS = Number(process.env['BENCH_LIVE_SECONDS'] ?? 20);
const LIVE_RATE = Number(process.env['BENCH_LIVE_RATE'] ?? 1_000);
const BATCH = 2_000;
const stamp = Date.now();
const eventStoreSchema = `bench_proj_${stamp}_es`;
const readModelSchema = `bench_proj_${stamp}_rm`;

const OFFICES = ['NBC', 'VSC', 'CSC', 'NSC', 'TSC'];
const FORMS = ['I-130', 'I-485', 'I-765', 'N-400', 'I-90'];

/** A deterministic pseudo-random lifecycle: 3 to 10 events, most cases decided, some evidence and appointments. */
function lifecycle(n: number): CaseEvent[] {
  let seed = n * 2654435761;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) % 10_000) / 10_000;
  const receipt = `IOE${String(n).padStart(10, '0')}`;
  let t = Date.parse('2025-01-01T09:00:00Z') + Math.floor(rand() * 480) * 86_400_000;
  const at = (days: number) => new Date((t += days * 86_400_000)).toISOString().replace('.000Z', 'Z');
  const events: CaseEvent[] = [
    { type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber: receipt, formType: FORMS[n % 5], office: OFFICES[(n >> 3) % 5] }, occurredAt: at(0) },
  ];
  if (rand() < 0.6) {
    const scheduledFor = at(5);
    events.push({ type: 'AppointmentScheduled', data: { appointmentId: 'bio', kind: 'biometrics', scheduledFor: at(20), office: 'NYC' }, occurredAt: scheduledFor });
    events.push({ type: 'AppointmentAttended', data: { appointmentId: 'bio' }, occurredAt: at(0) });
  }
  events.push({ type: 'CaseReviewStarted', data: {}, occurredAt: at(10 + Math.floor(rand() * 60)) });
  if (rand() < 0.3) {
    events.push({ type: 'EvidenceRequested', data: { requestId: 'rfe', dueDate: at(0).slice(0, 10), description: 'Evidence' }, occurredAt: at(1) });
    events.push({ type: 'EvidenceReceived', data: { requestId: 'rfe' }, occurredAt: at(20 + Math.floor(rand() * 40)) });
  }
  if (rand() < 0.8) {
    events.push({ type: 'DecisionIssued', data: { outcome: rand() < 0.85 ? 'approved' : 'denied' }, occurredAt: at(20 + Math.floor(rand() * 200)) });
    events.push({ type: 'DocumentProduced', data: { documentId: 'notice', kind: 'decision_notice' }, occurredAt: at(1) });
    events.push({ type: 'DocumentMailed', data: { documentId: 'notice' }, occurredAt: at(2) });
  }
  return events;
}

/** Every lifecycle starts with its CaseReceived. */
const receiptOf = (events: CaseEvent[]): string => (events[0].data as { receiptNumber: string }).receiptNumber;

const toAppend = (event: CaseEvent): EventToAppend => ({ id: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata: { occurredAt: event.occurredAt } });

async function seed(store: PostgresEventStore): Promise<{ events: number; cases: number }> {
  let events = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (events < EVENTS) {
      const n = ++next;
      const lifecycleEvents = lifecycle(n);
      events += lifecycleEvents.length;
      await store.appendToStream(caseStreamId('USCIS', receiptOf(lifecycleEvents)), lifecycleEvents.map(toAppend), { expectedRevision: 'no_stream' });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  console.log(`seeded ${events} events in ${next} cases (${rate(events, performance.now() - started)} events/s appended)`);
  return { events, cases: next };
}

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

async function readAllRate(store: PostgresEventStore): Promise<number> {
  let position: GlobalPosition = { commit: 0n, prepare: 0n };
  let read = 0;
  const started = performance.now();
  for (;;) {
    const batch = await store.readAll({ after: position, maxCount: BATCH, streamPrefixes: [CASE_STREAM_PREFIX] });
    read += batch.length;
    if (batch.length < BATCH) break;
    position = batch[batch.length - 1].position;
  }
  return rate(read, performance.now() - started);
}

async function liveLag(store: PostgresEventStore, firstCase: number): Promise<void> {
  const projector = spawn(process.execPath, ['tools/run-ts.mjs', 'apps/projector/src/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: eventStoreSchema, READ_MODEL_SCHEMA: readModelSchema, PROJECTOR_LAG_LOG_MS: '5000', HEALTH_PORT: '0', ...cpuProfileEnv('projector') },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    projector.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      if (text.includes('lag')) process.stdout.write(`  ${text}`);
      if (text.includes('projecting case streams')) resolve();
    });
    projector.on('exit', (code) => reject(new Error(`projector exited with ${code}`)));
  });

  const pendingAppends = new Map<string, { revision: bigint; at: number }[]>();
  /** Highest revision announced per case: a notification can be handled before its append's own callback runs. */
  const announced = new Map<string, bigint>();
  const lags: number[] = [];
  const feed = new PostgresCaseStatusChangeFeed({ connection: databaseUrl, schema: readModelSchema });
  const stop = await feed.listen((change) => {
    const now = performance.now();
    const revision = BigInt(change.revision);
    if ((announced.get(change.receiptNumber) ?? -1n) < revision) announced.set(change.receiptNumber, revision);
    const waiting = pendingAppends.get(change.receiptNumber);
    if (!waiting) return;
    const still = waiting.filter((append) => {
      if (append.revision > revision) return true;
      lags.push(now - append.at);
      return false;
    });
    if (still.length === 0) pendingAppends.delete(change.receiptNumber);
    else pendingAppends.set(change.receiptNumber, still);
  });

  // Each tick appends one event to each of `perTick` cases: new cases, and later events of cases started earlier in the run.
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((LIVE_RATE * tickMs) / 1000));
  const live: { receipt: string; events: CaseEvent[]; next: number; busy: boolean }[] = [];
  let caseNumber = firstCase;
  let appended = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let tick = 0; performance.now() - started < LIVE_SECONDS * 1000; tick++) {
    const due = started + tick * tickMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (let i = 0; i < perTick; i++) {
      // A case's next event waits until its previous append has committed (the expected revision says so).
      let item = live.find((candidate) => candidate.next < candidate.events.length && !candidate.busy);
      if (!item || i % 2 === 0) {
        const events = lifecycle(++caseNumber);
        item = { receipt: receiptOf(events), events, next: 0, busy: false };
        live.push(item);
      }
      const current = item;
      const revision = BigInt(current.next);
      const event = current.events[current.next++];
      current.busy = true;
      const append = store
        .appendToStream(caseStreamId('USCIS', current.receipt), [toAppend(event)], { expectedRevision: revision === 0n ? 'no_stream' : revision - 1n })
        .then(() => {
          appended++;
          current.busy = false;
          if ((announced.get(current.receipt) ?? -1n) >= revision) {
            lags.push(0); // projected before this process even saw the append's reply
            return;
          }
          const list = pendingAppends.get(current.receipt) ?? [];
          list.push({ revision, at: performance.now() });
          pendingAppends.set(current.receipt, list);
        });
      inFlight.add(append);
      void append.finally(() => inFlight.delete(append));
    }
    while (live.length > 0 && live[0].next >= live[0].events.length) live.shift();
  }
  await Promise.all(inFlight);
  const appendSeconds = (performance.now() - started) / 1000;
  const deadline = performance.now() + 10_000;
  while (pendingAppends.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await stop();
  await feed.close();
  await stopProcess(projector, { group: true });

  lags.sort((a, b) => a - b);
  console.log(`live: ${appended} events in ${appendSeconds.toFixed(1)} s (${Math.round(appended / appendSeconds)} events/s), ${lags.length} projections seen, ${pendingAppends.size} cases never seen`);
  console.log(
    `live lag append commit -> projection commit: p50 ${percentile(lags, 0.5).toFixed(1)} ms, p95 ${percentile(lags, 0.95).toFixed(1)} ms, p99 ${percentile(lags, 0.99).toFixed(1)} ms, max ${lags[lags.length - 1].toFixed(1)} ms (target p99 < 250 ms)`,
  );
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 8 });
  const store = await createPostgresEventStore({ connection: pool, schema: eventStoreSchema });
  try {
    const seeded = await seed(store);
    const readRate = await readAllRate(store);
    console.log(`reference: plain readAll of the same events, batches of ${BATCH}: ${readRate} events/s`);
    const result = await profiled('rebuild', () => rebuildProjection(caseReadModels, { pool, source: store, schema: readModelSchema, batchSize: BATCH }));
    const rebuildRate = rate(result.events, result.durationMs);
    const cases = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${readModelSchema}".case_status`)).rows[0].n;
    console.log(
      `rebuild: ${result.events} events, ${cases} cases in ${(result.durationMs / 1000).toFixed(1)} s: ${rebuildRate} events/s (${Math.round((rebuildRate / readRate) * 100)} % of readAll; target >= 10,000)`,
    );
    await liveLag(store, seeded.cases + 1);
  } finally {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${eventStoreSchema}" CASCADE`);
    await pool.query(`DROP SCHEMA IF EXISTS "${readModelSchema}" CASCADE`);
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
