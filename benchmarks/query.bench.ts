/**
 * Query benchmark: throughput and p50/p99 latency of the public status lookup (`caseStatus`
 * with texts and history: what the public status page asks)
 * with 10,000 and then 1,000,000 cases in the read models, in one run; and, as the same-run
 * reference, a bare Mercurius hello-world driven the same way (before and after, so a change
 * in the machine's load shows).
 *
 *   node tools/run-ts.mjs benchmarks/query.bench.ts
 *
 * Loading: the base cases go through the real event store and the real projection; the rest
 * are SQL copies of them under new receipt numbers (see query/load-read-models.ts), checked
 * row for row against the real projection of a sample of the same copies. The status API and
 * the reference each run as their own process with NODE_ENV=production (apps/status-api's real
 * main, public rate limit raised to its maximum so it counts but never refuses); autocannon
 * drives them from here. Besides latency it prints CPU milliseconds per request of the load
 * generator, the server and the PostgreSQL backends serving it, from /proc: on a shared machine
 * those move less than req/s do.
 *
 * Settings (environment): BENCH_DATABASE_URL, BENCH_BASE_CASES (10,000), BENCH_TOTAL_CASES
 * (1,000,000), BENCH_VERIFY_CASES (200), BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (5),
 * BENCH_CONNECTIONS (16), BENCH_MAX_MINUTES (30), BENCH_SERVER_NODE_ENV (production).
 */
import { cpus } from 'node:os';
import { Pool } from 'pg';
import { receiptNumber, receiptTemplate, type ReceiptTemplate } from './query/lifecycles';
import { caseCounts, cloneCases, differingRows, projectCases, settleReadModels } from './query/load-read-models';
import { cleanUpOnce, fmt, loadAverage, log, runBenchmark, runSettings, seconds, wholeSetting, type Measurement, type RunningServer } from './query/load-test';
import { measureHello as measureHelloWorld, measureStatus as measureCaseStatus, type LookupRun } from './query/status-lookups';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const { base: BASE_CASES, total: TOTAL_CASES } = caseCounts();
const VERIFY_CASES = Math.min(BASE_CASES, wholeSetting('BENCH_VERIFY_CASES', 200, 1, 10_000));
const { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, maxMinutes: MAX_MINUTES } = runSettings({ connections: 16, maxMinutes: 30 });

/** How the servers run in production; graphql-js skips its development-only checks then. */
const SERVER_NODE_ENV = process.env['BENCH_SERVER_NODE_ENV'] ?? 'production';
const TARGET_PER_SECOND = 3_000;
const TARGET_P99_MS = 25;
const TARGET_P99_RATIO = 1.5;

const stamp = Date.now();
const readModelSchema = `bench_query_${stamp}`;
const schemas = {
  readModels: readModelSchema,
  eventStore: `${readModelSchema}_es`,
  verifyEventStore: `${readModelSchema}_ves`,
  verifyReadModels: `${readModelSchema}_vrm`,
  scratch: `${readModelSchema}_tmp`,
};

const servers = new Set<RunningServer>();
const pool = new Pool({ connectionString: databaseUrl, max: 6 });
/** Stops the servers this run started and drops every schema it made; safe to call twice. */
const cleanUp = cleanUpOnce(pool, servers, readModelSchema);
const lookups: LookupRun = { pool, databaseUrl, servers, connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, serverNodeEnv: SERVER_NODE_ENV };

async function describeTables(schema: string): Promise<string> {
  const { rows } = await pool.query<{ cases: string; history: string; size: string }>(
    `SELECT (SELECT count(*) FROM "${schema}".case_status)::text AS cases, (SELECT count(*) FROM "${schema}".case_history)::text AS history,
            pg_size_pretty(pg_total_relation_size('"${schema}".case_status') + pg_total_relation_size('"${schema}".case_history')) AS size`,
  );
  return `${fmt(Number(rows[0].cases))} cases, ${fmt(Number(rows[0].history))} history rows, ${rows[0].size} with indexes`;
}

const measureHello = (label: string): Promise<Measurement> => measureHelloWorld(lookups, label);

function measureStatus(label: string, cases: number, templates: readonly ReceiptTemplate[]): Promise<Measurement> {
  return measureCaseStatus(lookups, label, { readModelSchema: schemas.readModels, cases, receiptOf: (m) => receiptNumber(templates[m % BASE_CASES], m) });
}

async function main(): Promise<void> {
  const started = performance.now();
  log(
    `query benchmark ${new Date().toISOString()}: ${cpus().length} cores, load ${loadAverage()}; ${fmt(BASE_CASES)} then ${fmt(TOTAL_CASES)} cases; ` +
      `${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per measurement; schema ${schemas.readModels}`,
  );
  const templates = Array.from({ length: BASE_CASES }, (_, n) => receiptTemplate(n));

  const base = await projectCases(pool, {
    eventStoreSchema: schemas.eventStore,
    readModelSchema: schemas.readModels,
    cases: Array.from({ length: BASE_CASES }, (_, n) => [n, n] as const),
  });
  await settleReadModels(pool, schemas.readModels);
  log(`loaded ${fmt(base.cases)} cases (${fmt(base.events)} events) through the event store (${seconds(base.seedMs)}) and the projector (${seconds(base.projectMs)}): ${await describeTables(schemas.readModels)}`);

  // The real projection of a sample of the copies cloneCases will make, to compare with.
  const copies = TOTAL_CASES / BASE_CASES - 1;
  const sample = Array.from({ length: copies > 0 ? VERIFY_CASES : 0 }, (_, i) => {
    const n = Math.floor((i * BASE_CASES) / VERIFY_CASES);
    return [n, (1 + (i % copies)) * BASE_CASES + n] as const;
  });
  if (sample.length > 0) await projectCases(pool, { eventStoreSchema: schemas.verifyEventStore, readModelSchema: schemas.verifyReadModels, cases: sample });

  const helloBefore = await measureHello('hello-world (before)');
  const small = await measureStatus(`caseStatus, ${fmt(BASE_CASES)} cases`, BASE_CASES, templates);

  const cloneStarted = performance.now();
  log(`growing to ${fmt(TOTAL_CASES)} cases: ${copies} SQL copies of the ${fmt(BASE_CASES)} projected cases`);
  await cloneCases(pool, { schema: schemas.readModels, scratchSchema: schemas.scratch, base: BASE_CASES, copies, log });
  await settleReadModels(pool, schemas.readModels);
  log(`loaded in ${seconds(performance.now() - cloneStarted)} (with VACUUM ANALYZE and CHECKPOINT): ${await describeTables(schemas.readModels)}`);
  if (sample.length > 0) {
    const diff = await differingRows(pool, { schema: schemas.readModels, expectedSchema: schemas.verifyReadModels });
    log(`check: ${diff.compared} copied cases against the real projection of the same lifecycles: ${diff.cases} case rows and ${diff.history} history rows differ (event ids aside)`);
    if (diff.compared !== sample.length || diff.cases !== 0 || diff.history !== 0) throw new Error('copied rows are not what the projector writes; the 1M figures would not mean anything');
  }

  const large = await measureStatus(`caseStatus, ${fmt(TOTAL_CASES)} cases`, TOTAL_CASES, templates);
  const helloAfter = await measureHello('hello-world (after)');

  const ratio = large.p99 / small.p99;
  const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');
  log('');
  log(`| run | req/s | p50 ms | p99 ms |`);
  log(`| --- | --- | --- | --- |`);
  for (const [label, m] of [
    ['hello-world (before)', helloBefore],
    [`caseStatus, ${fmt(BASE_CASES)} cases`, small],
    [`caseStatus, ${fmt(TOTAL_CASES)} cases`, large],
    ['hello-world (after)', helloAfter],
  ] as const) {
    log(`| ${label} | ${fmt(m.perSecond)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} |`);
  }
  const reference = (helloBefore.perSecond + helloAfter.perSecond) / 2;
  log('');
  log(`caseStatus at ${fmt(TOTAL_CASES)} cases: ${fmt(large.perSecond)} req/s = ${Math.round((large.perSecond / reference) * 100)} % of the hello-world reference (mean of before and after)`);
  log(`target >= ${fmt(TARGET_PER_SECOND)} req/s at ${fmt(TOTAL_CASES)} cases: ${verdict(large.perSecond >= TARGET_PER_SECOND)}`);
  log(`target p99 < ${TARGET_P99_MS} ms at ${fmt(TOTAL_CASES)} cases: ${verdict(large.p99 < TARGET_P99_MS)} (${large.p99.toFixed(2)} ms)`);
  log(`target p99 ${fmt(TOTAL_CASES)} / p99 ${fmt(BASE_CASES)} <= ${TARGET_P99_RATIO}: ${verdict(ratio <= TARGET_P99_RATIO)} (${ratio.toFixed(2)})`);
  log(`total ${seconds(performance.now() - started)}`);
}

runBenchmark('query benchmark', { maxMinutes: MAX_MINUTES, cleanUp }, main);
