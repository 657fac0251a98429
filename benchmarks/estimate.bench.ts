/**
 * Estimate benchmark: latency and throughput of the public case lookup with its
 * processing-time estimate (`caseStatus { … estimate { … } }`) at 1,000,000 cases, against
 * the same lookup without `estimate` as the same-run reference (before and after, so a change
 * in the machine's load shows).
 *
 *   node tools/run-ts.mjs benchmarks/estimate.bench.ts
 *
 * Data as benchmarks/query.bench.ts builds it: 10,000 lifecycles through the real event store
 * and projector, grown to 1,000,000 cases by SQL copies under new receipt numbers. A copy
 * counts exactly like its original in every cohort table, so the estimate counts are
 * multiplied like the query benchmark's cohort tables. Before measuring, a few served
 * estimates are compared with `estimateCase` computed here from the cohort's per-case rows.
 * The status API runs as its own process (NODE_ENV=production, rate limit raised so it counts
 * but never refuses); autocannon drives it from here, asking for random cases received by
 * the as-of day.
 *
 * The generated histories run from 2024 to 2027 and are busiest in 2025, so by default the
 * status API's clock is pinned to BENCH_AS_OF (2025-10-01; benchmarks/estimate/status-api-as-of.ts,
 * the app as apps/status-api composes it) where most pending cases get dates. BENCH_AS_OF=today
 * runs apps/status-api's own main on today's clock instead.
 *
 * Settings (environment): BENCH_DATABASE_URL, BENCH_BASE_CASES (10,000), BENCH_TOTAL_CASES
 * (1,000,000), BENCH_AS_OF (2025-10-01T12:00:00Z, or today), BENCH_VERIFY_CASES (5),
 * BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (5), BENCH_CONNECTIONS (16), BENCH_MAX_MINUTES (40),
 * BENCH_SERVER_NODE_ENV (production).
 */
import { cpus } from 'node:os';
import { Pool } from 'pg';
import { dayFromIso, estimateCase, type CaseObservation } from '@case-status/processing-time';
import { caseDays, SERVED_ESTIMATE_OPTIONS } from '@case-status/read-models';
import { receiptNumber, receiptTemplate, type ReceiptTemplate } from './query/lifecycles';
import { caseCounts, cloneCases, projectCases } from './query/load-read-models';
import { cleanUpOnce, cpuSecondsOfPids, fmt, freePort, loadAverage, log, measure, processGroup, runBenchmark, runSettings, seconds, startServer, wholeSetting, type Measurement, type RunningServer } from './query/load-test';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const { base: BASE_CASES, total: TOTAL_CASES } = caseCounts();
const VERIFY_CASES = wholeSetting('BENCH_VERIFY_CASES', 5, 0, 100);
const { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, maxMinutes: MAX_MINUTES } = runSettings({ connections: 16, maxMinutes: 40 });

const SERVER_NODE_ENV = process.env['BENCH_SERVER_NODE_ENV'] ?? 'production';
const AS_OF_SETTING = process.env['BENCH_AS_OF'] || '2025-10-01T12:00:00Z';
const PINNED_AS_OF = AS_OF_SETTING === 'today' ? null : new Date(AS_OF_SETTING);
if (PINNED_AS_OF && Number.isNaN(PINNED_AS_OF.getTime())) throw new Error(`BENCH_AS_OF must be an ISO 8601 time or "today", not "${AS_OF_SETTING}"`);
const asOfNow = (): Date => PINNED_AS_OF ?? new Date();
const TARGET_P99_MS = 50;

const stamp = Date.now();
const readModelSchema = `bench_estimate_${stamp}`;
const schemas = { readModels: readModelSchema, eventStore: `${readModelSchema}_es`, scratch: `${readModelSchema}_tmp` };
const ESTIMATE_TABLES = ['estimate_pending', 'estimate_decided', 'estimate_durations', 'estimate_decided_received', 'estimate_step_gaps'];

/** What a public case page asks for; the estimate query adds the estimate to it. */
const CASE_FIELDS = `receiptNumber agency formType office step statusCode statusText { en es } nextStep { en es } receivedAt lastChangedAt revision decision { outcome decidedAt }`;
const ESTIMATE_FIELDS = `estimate {
  asOf method clock sampleSize ageDays queueProgress { queueJoined progress pacePerWeek }
  likelyBy { date daysFromAsOf atRisk } eightyPercentBy { date daysFromAsOf atRisk }
  reasons { code probability observed threshold message { en es } }
  queue { openAhead openTotal last4Weeks { perWeek } weeksToClearAheadAtRecentPace standstill explanation { en es } }
  decisionPace { recent { perWeek } baseline { perWeek } ratio }
  staleness { step since daysSinceLastStep usualGap { medianDays p90Days sampleSize } stale explanation { en es } }
  publishedStyle { medianDays p80Days p93Days decidedCount }
  curve { cases censored median { days lower upper } p80 { days lower upper } }
  summary { en es }
}`;
const REFERENCE_QUERY = `query CasePage($r: String!) { caseStatus(receiptNumber: $r) { ${CASE_FIELDS} } }`;
const ESTIMATE_QUERY = `query CasePageWithEstimate($r: String!) { caseStatus(receiptNumber: $r) { ${CASE_FIELDS} ${ESTIMATE_FIELDS} } }`;

const servers = new Set<RunningServer>();
const pool = new Pool({ connectionString: databaseUrl, max: 6 });
/** Stops the servers this run started and drops every schema it made; safe to call twice. */
const cleanUp = cleanUpOnce(pool, servers, readModelSchema);

/** The copies count like their originals in every estimate table, as cloneCases does for the cohort tables. */
async function multiplyEstimateCounts(factor: number): Promise<void> {
  for (const table of ESTIMATE_TABLES) await pool.query(`UPDATE "${schemas.readModels}".${table} SET cases = cases * $1::int`, [factor]);
}

/** The lifecycles (case numbers n of the base cases) whose receipt is on or before the as-of day. */
async function lifecyclesReceivedBy(templates: readonly ReceiptTemplate[], asOf: Date): Promise<number[]> {
  const { rows } = await pool.query<{ receipt_number: string }>(
    `SELECT receipt_number FROM "${schemas.readModels}".case_status WHERE left(received_at_text, 10) <= $1`,
    [asOf.toISOString().slice(0, 10)],
  );
  const received = new Set(rows.map((row) => row.receipt_number));
  return templates.map((_, n) => n).filter((n) => received.has(receiptNumber(templates[n], n)));
}

async function prepareTables(): Promise<void> {
  for (const table of ['case_status', 'case_history', 'cohort_completed', 'cohort_pending', ...ESTIMATE_TABLES]) await pool.query(`VACUUM (ANALYZE) "${schemas.readModels}".${table}`);
  await pool.query('CHECKPOINT');
}

async function describeTables(): Promise<string> {
  const s = `"${schemas.readModels}"`;
  const { rows } = await pool.query<{ cases: string; rows: string; cohorts: string; largest: string }>(
    `SELECT (SELECT count(*) FROM ${s}.case_status)::text AS cases,
            (${ESTIMATE_TABLES.map((table) => `(SELECT count(*) FROM ${s}.${table})`).join(' + ')})::text AS rows,
            (SELECT count(DISTINCT (agency, form_type, office)) FROM ${s}.case_status)::text AS cohorts,
            (SELECT max(n) FROM (SELECT count(*) AS n FROM ${s}.case_status GROUP BY agency, form_type, office) c)::text AS largest`,
  );
  const found = rows[0];
  return `${fmt(Number(found.cases))} cases in ${found.cohorts} cohorts (largest ${fmt(Number(found.largest))} cases); ${fmt(Number(found.rows))} rows in the estimate tables`;
}

interface ServedEstimate {
  likelyBy: { date: string } | null;
  eightyPercentBy: { date: string } | null;
  reasons: { code: string }[];
  queue: { openAhead: number; openTotal: number };
  queueProgress: { queueJoined: number } | null;
  sampleSize: number;
}

async function post(url: string, query: string, receipt: string): Promise<{ data?: { caseStatus?: { estimate?: ServedEstimate | null } | null }; errors?: unknown[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { r: receipt } }) });
  return (await response.json()) as { data?: { caseStatus?: { estimate?: ServedEstimate | null } | null }; errors?: unknown[] };
}

/**
 * The served estimate of a few cases against `estimateCase` over their cohort's per-case
 * rows (every case of the cohort read from case_status, the slow way): the counts the
 * estimate reads must stand for exactly those cases, copies included.
 */
async function verify(url: string, receipts: readonly string[]): Promise<string> {
  const s = `"${schemas.readModels}"`;
  const summary: string[] = [];
  for (const receipt of receipts) {
    const served = (await post(url, ESTIMATE_QUERY, receipt)).data?.caseStatus?.estimate;
    const asOf = dayFromIso(asOfNow().toISOString());
    const { rows: target } = await pool.query<{ agency: string; form_type: string; office: string; received_at_text: string; decided_at: string | null; is_pending: boolean }>(
      `SELECT agency, form_type, office, received_at_text, decision ->> 'decidedAt' AS decided_at, is_pending FROM ${s}.case_status WHERE receipt_number = $1`,
      [receipt],
    );
    const c = target[0];
    if (!c.is_pending && c.decided_at === null) {
      if (served !== null) throw new Error(`${receipt} is closed without a decision, yet has an estimate`);
      summary.push('closed');
      continue;
    }
    const started = performance.now();
    const { rows: cohort } = await pool.query<{ received_at_text: string; decided_at: string | null; office_since: string | null }>(
      `SELECT received_at_text, decision ->> 'decidedAt' AS decided_at, fold ->> 'officeSince' AS office_since FROM ${s}.case_status
       WHERE agency = $1 AND form_type = $2 AND office = $3 AND (is_pending OR decision IS NOT NULL)`,
      [c.agency, c.form_type, c.office],
    );
    const observations = cohort.map((row): CaseObservation => {
      const days = caseDays({ receivedAt: row.received_at_text, decidedAt: row.decided_at });
      const observedFrom = row.office_since === null ? days.receivedAt : Math.min(Math.max(days.receivedAt, dayFromIso(row.office_since)), days.decidedAt ?? Number.POSITIVE_INFINITY);
      return observedFrom > days.receivedAt ? { ...days, observedFrom } : days;
    });
    const own = caseDays({ receivedAt: c.received_at_text, decidedAt: c.decided_at });
    const expected = estimateCase({ cohort: observations, case: own, asOf: Math.max(asOf, own.receivedAt, own.decidedAt ?? asOf), options: SERVED_ESTIMATE_OPTIONS });
    const directMs = performance.now() - started;
    const same =
      served &&
      served.likelyBy?.date === expected.likelyBy?.date &&
      served.eightyPercentBy?.date === expected.eightyPercentBy?.date &&
      served.reasons.map((r) => r.code).join() === expected.reasons.map((r) => r.code).join() &&
      served.queue.openAhead === expected.queue.openAhead &&
      served.queue.openTotal === expected.queue.openTotal &&
      (served.queueProgress?.queueJoined ?? null) === (expected.queueProgress?.queueJoined ?? null) &&
      served.sampleSize === expected.sampleSize;
    if (!same) throw new Error(`${receipt}: served ${JSON.stringify(served)} but estimateCase over ${cohort.length} cases gives ${JSON.stringify({ ...expected, curve: undefined, publishedStyle: undefined })}`);
    summary.push(`${expected.likelyBy ? `dated ${expected.likelyBy.date}/${expected.eightyPercentBy?.date ?? '–'}` : expected.reasons.map((r) => r.code).join('+')} (${fmt(cohort.length)} cases, ${fmt(directMs)} ms per-case)`);
  }
  return summary.join('; ');
}

async function measureLookups(url: string, label: string, query: string, randomReceipt: () => string, serverPid: number): Promise<Measurement> {
  const result = await measure({
    url,
    connections: CONNECTIONS,
    warmupSeconds: WARMUP_SECONDS,
    seconds: SECONDS,
    body: () => JSON.stringify({ query, variables: { r: randomReceipt() } }),
    isExpected: (body) => body.startsWith('{"data":{"caseStatus":{"receiptNumber":') && !body.includes('"errors"') && (query === REFERENCE_QUERY || body.includes('"estimate":')),
    cpuSeconds: async () => ({ server: cpuSecondsOfPids(processGroup(serverPid)), postgres: cpuSecondsOfPids(await serverBackends()) }),
  });
  report(label, result);
  return result;
}

/** The PostgreSQL backends serving the status API: connections whose last statement read this run's schema. */
async function serverBackends(): Promise<number[]> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE $1`, [`%"${schemas.readModels}".%`]);
  return rows.map((row) => row.pid);
}

function report(label: string, m: Measurement): void {
  log(
    `${label.padEnd(30)} ${fmt(m.perSecond).padStart(6)} req/s   p50 ${m.p50.toFixed(2).padStart(6)} ms   p99 ${m.p99.toFixed(2).padStart(6)} ms   max ${m.max.toFixed(1).padStart(6)} ms` +
      `   (${fmt(m.requests)} requests, ${m.failed} failed)`,
  );
  const cpu = Object.entries(m.cpuPerRequest).map(([who, ms]) => `${who} ${ms.toFixed(3)}`);
  log(`${''.padEnd(30)} CPU ms per request: ${cpu.join(', ')}; machine CPU busy ${Math.round(m.cpuBusy * 100)} %, load average ${loadAverage()}`);
  if (m.failed > 0) throw new Error(`${label}: ${m.failed} responses were not what the query asks for; first: ${m.firstFailure}`);
}

async function main(): Promise<void> {
  const started = performance.now();
  log(
    `estimate benchmark ${new Date().toISOString()}: ${cpus().length} cores, load ${loadAverage()}; ${fmt(TOTAL_CASES)} cases from ${fmt(BASE_CASES)} lifecycles; ` +
      `${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per measurement; schema ${schemas.readModels}`,
  );
  const templates: ReceiptTemplate[] = Array.from({ length: BASE_CASES }, (_, n) => receiptTemplate(n));
  const base = await projectCases(pool, { eventStoreSchema: schemas.eventStore, readModelSchema: schemas.readModels, cases: Array.from({ length: BASE_CASES }, (_, n) => [n, n] as const) });
  log(`projected ${fmt(base.cases)} cases (${fmt(base.events)} events) through the event store (${seconds(base.seedMs)}) and the projector (${seconds(base.projectMs)})`);
  const receivedBy = await lifecyclesReceivedBy(templates, asOfNow());
  log(`as of ${asOfNow().toISOString().slice(0, 10)}${PINNED_AS_OF ? ' (pinned)' : ''}: ${fmt(receivedBy.length)} of the ${fmt(BASE_CASES)} lifecycles received by then`);
  const copies = TOTAL_CASES / BASE_CASES - 1;
  if (copies > 0) {
    const cloneStarted = performance.now();
    await cloneCases(pool, { schema: schemas.readModels, scratchSchema: schemas.scratch, base: BASE_CASES, copies, log });
    await multiplyEstimateCounts(copies + 1);
    log(`grown to ${fmt(TOTAL_CASES)} cases in ${seconds(performance.now() - cloneStarted)}`);
  }
  await prepareTables();
  log(`read models: ${await describeTables()}`);

  const port = await freePort();
  const server = await startServer({
    entry: PINNED_AS_OF ? 'benchmarks/estimate/status-api-as-of.ts' : 'apps/status-api/src/main.ts',
    env: {
      NODE_ENV: SERVER_NODE_ENV,
      DATABASE_URL: databaseUrl,
      READ_MODEL_SCHEMA: schemas.readModels,
      STATUS_PORT: String(port),
      HOST: '127.0.0.1',
      STATUS_RATE_LIMIT_PER_MINUTE: '1000000',
      AS_OF: PINNED_AS_OF?.toISOString() ?? '',
    },
    port,
    readyQuery: '{ __typename }',
    timeoutMs: 90_000,
  });
  servers.add(server);
  // Case m is lifecycle m mod BASE_CASES under another receipt number: draw among those received by the as-of day.
  const eligible = receivedBy.length > 0 ? receivedBy : templates.map((_, n) => n);
  const randomReceipt = (): string => {
    const m = Math.floor(Math.random() * (TOTAL_CASES / BASE_CASES)) * BASE_CASES + eligible[Math.floor(Math.random() * eligible.length)];
    return receiptNumber(templates[m % BASE_CASES], m);
  };
  const probes = Array.from({ length: VERIFY_CASES }, (_, i) => {
    const m = TOTAL_CASES - BASE_CASES + eligible[(i * 7_919) % eligible.length];
    return receiptNumber(templates[m % BASE_CASES], m);
  });
  if (probes.length > 0) log(`check against estimateCase over per-case rows: ${await verify(server.url, probes)}`);

  const mix = new Map<string, number>();
  for (let i = 0; i < 200; i++) {
    const estimate = (await post(server.url, ESTIMATE_QUERY, randomReceipt())).data?.caseStatus?.estimate;
    const kind = estimate === null || estimate === undefined ? 'closed' : estimate.likelyBy ? 'dated' : estimate.reasons.map((r) => r.code).join('+');
    mix.set(kind, (mix.get(kind) ?? 0) + 1);
  }
  log(`answers for 200 random cases: ${[...mix].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ')}`);

  const before = await measureLookups(server.url, 'caseStatus (reference, before)', REFERENCE_QUERY, randomReceipt, server.pid);
  const withEstimate = await measureLookups(server.url, 'caseStatus with estimate', ESTIMATE_QUERY, randomReceipt, server.pid);
  const after = await measureLookups(server.url, 'caseStatus (reference, after)', REFERENCE_QUERY, randomReceipt, server.pid);

  log('');
  log('| run | req/s | p50 ms | p99 ms | CPU ms per request (load generator / server / PostgreSQL) |');
  log('| --- | --- | --- | --- | --- |');
  for (const [label, m] of [
    ['caseStatus, reference (before)', before],
    ['caseStatus with estimate', withEstimate],
    ['caseStatus, reference (after)', after],
  ] as const) {
    const cpu = m.cpuPerRequest;
    log(`| ${label} | ${fmt(m.perSecond)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} | ${cpu.loadGenerator.toFixed(3)} / ${(cpu['server'] ?? 0).toFixed(3)} / ${(cpu['postgres'] ?? 0).toFixed(3)} |`);
  }
  const reference = (before.perSecond + after.perSecond) / 2;
  log('');
  log(`with estimate: ${fmt(withEstimate.perSecond)} req/s = ${Math.round((withEstimate.perSecond / reference) * 100)} % of the reference (mean of before and after)`);
  log(`target p99 < ${TARGET_P99_MS} ms at ${fmt(TOTAL_CASES)} cases: ${withEstimate.p99 < TARGET_P99_MS ? 'met' : 'NOT met'} (${withEstimate.p99.toFixed(2)} ms)`);
  log(`total ${seconds(performance.now() - started)}`);
}

runBenchmark('estimate benchmark', { maxMinutes: MAX_MINUTES, cleanUp }, main);
