/**
 * `npm run bench:scale`: the growth curve. One run grows one event store and its read models
 * through the sizes (10,000, 100,000, 1,000,000 and 10,000,000 cases unless
 * BENCH_SCALE_SIZES says otherwise, e.g. `10000,100000`) and at each size measures, with the
 * same code:
 *
 * - intake: new cases' events through the real intake API, one event per POST over
 *   BENCH_CONNECTIONS connections, then batches of 500 events (events/s, p99, CPU per event);
 * - projection: the real projection runner catching up with exactly those events into the
 *   read models that hold the N cases (events/s), against plain `readAll` of the same events;
 * - status lookups: `caseStatus` through the real status API at random receipt numbers among
 *   all N cases (req/s, p50/p99, CPU per lookup);
 * - the HTTP figures' reference: a bare Mercurius hello-world, before the lookups and after
 *   intake (the mean of the two counts);
 *
 * then prints each figure per size and how its cost grew from the smallest size, next to
 * log(N) / log(N0), after taking out its same-run reference's drift; a cost that grew faster
 * than the logarithm (beyond BENCH_SCALE_TOLERANCE_PERCENT, 25) is flagged, and with
 * `--strict` the run exits 1.
 *
 *   node tools/run-ts.mjs benchmarks/scale.bench.ts [--strict] [--keep]
 *
 * Growing: the smallest size's cases go through the real event store and the real projection;
 * each larger size is reached by SQL copies of them under new receipt numbers, in the event
 * store (scale/event-store-copies.ts) and in the read models (query/load-read-models.ts), and
 * a sample of each growth's copies is appended and projected for real and compared row for
 * row. Before growing, the free disk of PostgreSQL's data directory is checked against the
 * bytes per case measured so far; sizes that would not fit are skipped, and said so.
 *
 * `--keep` keeps the store and read models and prints their schema; BENCH_SCALE_SCHEMA=<it>
 * continues from them in a later run (sizes below what they hold are skipped). Otherwise the
 * schemas are dropped at the end, on failure and on Ctrl-C.
 *
 * Settings (environment): BENCH_DATABASE_URL, BENCH_SCALE_SIZES, BENCH_SCALE_SCHEMA,
 * BENCH_VERIFY_CASES (200), BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (5), BENCH_CONNECTIONS
 * (16), BENCH_BATCH_CONNECTIONS (4), BENCH_SCALE_TOLERANCE_PERCENT (25),
 * BENCH_SCALE_RESERVE_GB (5: disk left free), BENCH_MAX_MINUTES (600),
 * BENCH_SERVER_NODE_ENV (production).
 */
import { statfs } from 'node:fs/promises';
import { cpus } from 'node:os';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import type { GlobalPosition } from '@case-status/event-contract';
import { caseReadModels } from '@case-status/read-models';
import { Checkpoint, ProjectionRunner } from '@case-status/projection-runner';
import { receiptNumber, receiptTemplate, type ReceiptTemplate } from './query/lifecycles';
import { cloneCases, differingRows, projectCases, settleReadModels } from './query/load-read-models';
import { cleanUpOnce, fmt, loadAverage, log, runBenchmark, runSettings, seconds, wholeSetting, type Measurement, type RunningServer } from './query/load-test';
import { measureHello, measureStatus, type LookupRun } from './query/status-lookups';
import { cloneEvents, differingEvents, keepBaseEvents, skipCopiedEvents } from './scale/event-store-copies';
import { growthOf, type Series } from './scale/growth';
import { measureIntake, NewCases, type IntakeFigures } from './scale/intake-load';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const STRICT = process.argv.includes('--strict');
const KEEP = process.argv.includes('--keep');
const SIZES = scaleSizes(process.env['BENCH_SCALE_SIZES'] ?? '10000,100000,1000000,10000000');
const BASE = SIZES[0];
const VERIFY_CASES = Math.min(BASE, wholeSetting('BENCH_VERIFY_CASES', 200, 1, 10_000));
const { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, maxMinutes: MAX_MINUTES } = runSettings({ connections: 16, maxMinutes: 600 });
const BATCH_CONNECTIONS = wholeSetting('BENCH_BATCH_CONNECTIONS', 4, 1, 100);
const TOLERANCE = wholeSetting('BENCH_SCALE_TOLERANCE_PERCENT', 25, 0, 1_000) / 100;
const RESERVE_BYTES = wholeSetting('BENCH_SCALE_RESERVE_GB', 5, 0, 10_000) * 2 ** 30;
/** Room a growth needs beyond its tables' final size: index rebuilds, sorts, WAL not yet recycled. */
const GROWTH_HEADROOM = 1.25;
const SERVER_NODE_ENV = process.env['BENCH_SERVER_NODE_ENV'] ?? 'production';
const PROJECTION_BATCH = 500; // the projector's default (PROJECTOR_BATCH_SIZE)
/** Receipt numbers of the cases intake records: far above any generated case (USCIS receipts have 10 digits). */
const FIRST_INTAKE_CASE = 9_000_000_000;

const prefix = process.env['BENCH_SCALE_SCHEMA'] || `bench_scale_${Date.now()}`;
if (!/^bench_scale_[0-9]{13}$/.test(prefix)) throw new Error(`BENCH_SCALE_SCHEMA must be a schema a kept bench:scale run printed (bench_scale_<13 digits>), not "${prefix}"`);
const schemas = { readModels: prefix, eventStore: `${prefix}_es`, base: `${prefix}_base`, scratch: `${prefix}_tmp` };

const servers = new Set<RunningServer>();
const pool = new Pool({ connectionString: databaseUrl, max: 6 });
/** Stops the servers and drops the schemas (with --keep only the scratch ones); safe to call twice. */
const cleanUp = cleanUpOnce(pool, servers, KEEP ? schemas.scratch : prefix);
const lookups: LookupRun = { pool, databaseUrl, servers, connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, serverNodeEnv: SERVER_NODE_ENV };

/** Sizes ascending, each a multiple of the smallest (the base cases), within what receipt numbers hold. */
function scaleSizes(text: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  const problem = sizes.some((n) => !Number.isInteger(n))
    ? 'whole numbers'
    : sizes.some((n, i) => i > 0 && n <= sizes[i - 1])
      ? 'ascending'
      : !(sizes[0] >= 100 && sizes[0] <= 100_000)
        ? 'the smallest from 100 to 100,000'
        : sizes.some((n) => n % sizes[0] !== 0)
          ? 'multiples of the smallest'
          : sizes[sizes.length - 1] > 10_000_000
            ? 'at most 10,000,000 (VBA receipt numbers have 7 digits)'
            : undefined;
  if (problem) throw new Error(`BENCH_SCALE_SIZES must be comma-separated case counts, ${problem}: "${text}"`);
  return sizes;
}

interface AtSize {
  size: number;
  /** The HTTP reference, before the lookups and after intake: the machine's load moves during a size's measurements. */
  hello: readonly [before: Measurement, after: Measurement];
  status: Measurement;
  intake: IntakeFigures;
  /** Events intake recorded at this size, read back with plain readAll and projected by the runner. */
  newEvents: number;
  readAllPerSecond: number;
  projectionPerSecond: number;
}

interface Stored {
  cases: number;
  nextIntakeCase: number;
}

async function loadState(): Promise<Stored> {
  const { rows } = await pool.query<{ cases: number; base: number; next_intake_case: string }>(`SELECT cases, base, next_intake_case::text FROM "${schemas.base}".state`);
  if (rows[0].base !== BASE) throw new Error(`${prefix} was grown from ${fmt(rows[0].base)} base cases; BENCH_SCALE_SIZES must start there`);
  return { cases: rows[0].cases, nextIntakeCase: Number(rows[0].next_intake_case) };
}

async function saveState(state: Stored): Promise<void> {
  await pool.query(`UPDATE "${schemas.base}".state SET cases = $1, next_intake_case = $2`, [state.cases, state.nextIntakeCase]);
}

/** The base cases through the real event store and projector; what later copies copy kept aside. */
async function start(): Promise<Stored> {
  const exists = (await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schemas.base])).rowCount === 1;
  if (exists) {
    const state = await loadState();
    log(`continuing ${prefix}: ${fmt(state.cases)} cases`);
    return state;
  }
  const base = await projectCases(pool, { eventStoreSchema: schemas.eventStore, readModelSchema: schemas.readModels, cases: Array.from({ length: BASE }, (_, n) => [n, n] as const) });
  log(`loaded ${fmt(base.cases)} cases (${fmt(base.events)} events) through the event store (${seconds(base.seedMs)}) and the projector (${seconds(base.projectMs)})`);
  await pool.query(`CREATE SCHEMA "${schemas.base}"`);
  await keepBaseEvents(pool, { eventStoreSchema: schemas.eventStore, baseSchema: schemas.base, base: BASE });
  for (const table of ['cohort_completed', 'cohort_pending']) await pool.query(`CREATE TABLE "${schemas.base}".${table} AS SELECT * FROM "${schemas.readModels}".${table}`);
  await pool.query(`CREATE TABLE "${schemas.base}".state (base int NOT NULL, cases int NOT NULL, next_intake_case bigint NOT NULL)`);
  await pool.query(`INSERT INTO "${schemas.base}".state VALUES ($1, $1, $2)`, [BASE, FIRST_INTAKE_CASE]);
  await settle();
  return { cases: BASE, nextIntakeCase: FIRST_INTAKE_CASE };
}

/** Read models as bench:query settles them, and the event tables the same way. */
async function settle(): Promise<void> {
  for (const table of ['events', 'streams']) await pool.query(`VACUUM (ANALYZE) "${schemas.eventStore}".${table}`);
  await settleReadModels(pool, schemas.readModels);
}

/** Bytes the store and read models take on disk, tables and indexes. */
async function bytesOnDisk(): Promise<number> {
  const { rows } = await pool.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = ANY ($1) AND c.relkind IN ('r', 'm')`,
    [[schemas.eventStore, schemas.readModels]],
  );
  return Number(rows[0].bytes);
}

/** Free bytes where PostgreSQL keeps its data (this machine's server: its data directory is local). */
async function freeDisk(): Promise<{ path: string; bytes: number }> {
  const { rows } = await pool.query<{ path: string }>(`SELECT current_setting('data_directory') AS path`);
  for (const path of [rows[0].path, '/']) {
    try {
      const stats = await statfs(path);
      return { path, bytes: stats.bavail * stats.bsize };
    } catch {
      // not readable from here: the root file system is the next best guess
    }
  }
  throw new Error('cannot tell how much disk is free');
}

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

/** From `cases` to `size` cases by copies, in the store and the read models; a sample of the copies checked against real appends and projection. */
async function grow(from: number, size: number): Promise<void> {
  const firstCopy = from / BASE;
  const lastCopy = size / BASE - 1;
  log(`growing to ${fmt(size)} cases: copies ${firstCopy}-${lastCopy} of the ${fmt(BASE)} base cases`);
  const copied = await cloneEvents(pool, { eventStoreSchema: schemas.eventStore, baseSchema: schemas.base, base: BASE, firstCopy, lastCopy, log });
  await cloneCases(pool, { schema: schemas.readModels, scratchSchema: `${schemas.scratch}_clone`, base: BASE, firstCopy, copies: lastCopy, baseCohorts: schemas.base, log });
  await skipCopiedEvents(pool, { projection: caseReadModels.name, readModelSchema: schemas.readModels, eventStoreSchema: schemas.eventStore, events: copied });
  await settle();

  const sample = Array.from({ length: VERIFY_CASES }, (_, i) => {
    const n = Math.floor((i * BASE) / VERIFY_CASES);
    return [n, (firstCopy + (i % (lastCopy - firstCopy + 1))) * BASE + n] as const;
  });
  const verify = { eventStoreSchema: `${schemas.scratch}_ves`, readModelSchema: `${schemas.scratch}_vrm` };
  try {
    await projectCases(pool, { ...verify, cases: sample });
    const rows = await differingRows(pool, { schema: schemas.readModels, expectedSchema: verify.readModelSchema });
    const events = await differingEvents(pool, { schema: schemas.eventStore, expectedSchema: verify.eventStoreSchema });
    log(
      `check: ${rows.compared} copied cases against the same lifecycles appended and projected for real: ` +
        `${events.events} events, ${events.streams} stream rows, ${rows.cases} case rows and ${rows.history} history rows differ (event ids aside)`,
    );
    if (rows.compared !== sample.length || rows.cases + rows.history + events.events + events.streams !== 0) throw new Error('the copies are not what the store and the projector write; figures over them would mean nothing');
  } finally {
    for (const schema of Object.values(verify)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}

async function checkpointOf(): Promise<GlobalPosition> {
  const stored = await new Checkpoint(schemas.readModels, caseReadModels.name).load(pool);
  if (!stored) throw new Error(`${schemas.readModels} has no checkpoint`);
  return stored.position;
}

/** Plain readAll of what the projection reads after `from`, in the projector's batches: the projection's reference. */
async function readAllAfter(store: PostgresEventStore, from: GlobalPosition): Promise<{ events: number; ms: number }> {
  let position = from;
  let events = 0;
  const started = performance.now();
  for (;;) {
    const batch = await store.readAll({ after: position, maxCount: PROJECTION_BATCH, streamPrefixes: [...caseReadModels.streamPrefixes] });
    events += batch.length;
    if (batch.length < PROJECTION_BATCH) break;
    position = batch[batch.length - 1].position;
  }
  return { events, ms: performance.now() - started };
}

async function measureAt(size: number, templates: readonly ReceiptTemplate[], intakeCases: NewCases, store: PostgresEventStore): Promise<AtSize> {
  log('');
  log(`--- ${fmt(size)} cases: load average ${loadAverage()}`);
  const helloBefore = await measureHello(lookups, 'hello-world (before)');
  const status = await measureStatus(lookups, 'caseStatus', { readModelSchema: schemas.readModels, cases: size, receiptOf: (m) => receiptNumber(templates[m % BASE], m) });

  const before = await checkpointOf();
  const intake = await measureIntake({ ...lookups, batchConnections: BATCH_CONNECTIONS }, { eventStoreSchema: schemas.eventStore, cases: intakeCases, label: 'intake' });
  const helloAfter = await measureHello(lookups, 'hello-world (after)');

  // Twice, the faster counts: the first read also brings the new events' pages into memory, where the projection then finds them.
  const reference = [await readAllAfter(store, before), await readAllAfter(store, before)].reduce((a, b) => (a.ms <= b.ms ? a : b));
  const runner = new ProjectionRunner(caseReadModels, { pool, source: store, schema: schemas.readModels, batchSize: PROJECTION_BATCH });
  await runner.init();
  const started = performance.now();
  const projected = await runner.catchUp();
  const projectMs = performance.now() - started;
  if (projected !== reference.events) throw new Error(`the projection caught up with ${projected} events; readAll found ${reference.events}`);
  const readAllPerSecond = (reference.events / reference.ms) * 1000;
  const projectionPerSecond = (projected / projectMs) * 1000;
  log(`readAll (reference)      ${fmt(readAllPerSecond).padStart(6)} ev/s   ${fmt(reference.events)} events intake recorded at this size`);
  log(`projection catch-up      ${fmt(projectionPerSecond).padStart(6)} ev/s   ${seconds(projectMs)}, ${Math.round((projectionPerSecond / readAllPerSecond) * 100)} % of readAll`);
  return { size, hello: [helloBefore, helloAfter], status, intake, newEvents: reference.events, readAllPerSecond, projectionPerSecond };
}

const cpuOf = (m: Measurement): number => Object.entries(m.cpuPerRequest).reduce((sum, [who, ms]) => (who === 'loadGenerator' ? sum : sum + ms), 0);
/** The mean of the reference's before and after figures. */
const hello = (r: AtSize, value: (m: Measurement) => number): number => (value(r.hello[0]) + value(r.hello[1])) / 2;

/** Every figure, per size, with the same-run reference it is judged against. */
function seriesOf(results: readonly AtSize[]): Series[] {
  const of = (figure: string, kind: Series['kind'], value: (r: AtSize) => number, reference?: string): Series => ({ figure, kind, values: results.map(value), reference });
  return [
    of('hello-world req/s (reference)', 'rate', (r) => hello(r, (m) => m.perSecond)),
    of('hello-world p50 ms (reference)', 'cost', (r) => hello(r, (m) => m.p50)),
    of('hello-world p99 ms (reference)', 'cost', (r) => hello(r, (m) => m.p99)),
    of('hello-world server CPU ms/req (reference)', 'cost', (r) => hello(r, cpuOf)),
    of('caseStatus req/s', 'rate', (r) => r.status.perSecond, 'hello-world req/s (reference)'),
    of('caseStatus p50 ms', 'cost', (r) => r.status.p50, 'hello-world p50 ms (reference)'),
    of('caseStatus p99 ms', 'cost', (r) => r.status.p99, 'hello-world p99 ms (reference)'),
    of('caseStatus server+PostgreSQL CPU ms/req', 'cost', (r) => cpuOf(r.status), 'hello-world server CPU ms/req (reference)'),
    of('single-event intake events/s', 'rate', (r) => r.intake.single.perSecond, 'hello-world req/s (reference)'),
    of('single-event intake p99 ms', 'cost', (r) => r.intake.single.p99, 'hello-world p99 ms (reference)'),
    of('single-event intake server+PostgreSQL CPU ms/event', 'cost', (r) => cpuOf(r.intake.single), 'hello-world server CPU ms/req (reference)'),
    of('batched intake events/s', 'rate', (r) => r.intake.batched.perSecond * r.intake.batchSize, 'hello-world req/s (reference)'),
    of('batched intake p99 ms per request', 'cost', (r) => r.intake.batched.p99, 'hello-world p99 ms (reference)'),
    of('batched intake server+PostgreSQL CPU ms/event', 'cost', (r) => cpuOf(r.intake.batched) / r.intake.batchSize, 'hello-world server CPU ms/req (reference)'),
    of('readAll events/s (reference)', 'rate', (r) => r.readAllPerSecond),
    of('projection catch-up events/s', 'rate', (r) => r.projectionPerSecond, 'readAll events/s (reference)'),
  ];
}

const figure = (value: number): string => (value >= 100 ? fmt(value) : value >= 1 ? value.toFixed(2) : value.toFixed(3));

/** The figures per size, the same-run ratios, and the growth of each cost against log N; true when one grew faster. */
function printCurve(results: readonly AtSize[]): boolean {
  const sizes = results.map((r) => r.size);
  const series = seriesOf(results);
  log('');
  log(`| figure | ${sizes.map(fmt).join(' | ')} |`);
  log(`| --- | ${sizes.map(() => '---').join(' | ')} |`);
  for (const s of series) log(`| ${s.figure} | ${s.values.map(figure).join(' | ')} |`);
  const percent = (value: (r: AtSize) => number): string => results.map((r) => `${Math.round(value(r) * 100)} %`).join(' | ');
  log(`| caseStatus / hello-world req/s | ${percent((r) => r.status.perSecond / hello(r, (m) => m.perSecond))} |`);
  log(`| single-event intake / hello-world req/s | ${percent((r) => r.intake.single.perSecond / hello(r, (m) => m.perSecond))} |`);
  log(`| projection / readAll events/s | ${percent((r) => r.projectionPerSecond / r.readAllPerSecond)} |`);
  log(`| events intake recorded (and projected) | ${results.map((r) => fmt(r.newEvents)).join(' | ')} |`);

  const growth = growthOf(sizes, series, TOLERANCE);
  if (growth.length === 0) {
    log('one size only: no growth to judge');
    return false;
  }
  log('');
  log(`Growth of each cost (latency, CPU per operation, 1 / throughput) from ${fmt(sizes[0])} cases, with its same-run reference's drift taken out;`);
  log(`flagged when it grew more than log(N) / log(N0) by over ${Math.round(TOLERANCE * 100)} %.`);
  log('');
  log('| figure | cases | cost growth | reference drift | growth net of drift | log N / log N0 | verdict |');
  log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const row of growth.filter((g) => !g.figure.endsWith('(reference)'))) {
    log(
      `| ${row.figure} | ${fmt(row.size)} | ${row.growth.toFixed(2)} | ${row.referenceDrift.toFixed(2)} | ${row.adjusted.toFixed(2)} | ${row.logRatio.toFixed(2)} | ${row.fasterThanLog ? 'FASTER THAN LOG' : 'ok'} |`,
    );
  }
  const tooFast = growth.filter((g) => g.fasterThanLog && !g.figure.endsWith('(reference)'));
  log('');
  log(tooFast.length === 0 ? 'nothing grew faster than log N' : `grew faster than log N: ${[...new Set(tooFast.map((g) => g.figure))].join('; ')}`);
  return tooFast.length > 0;
}

async function main(): Promise<void> {
  const started = performance.now();
  log(
    `scale benchmark ${new Date().toISOString()}: ${cpus().length} cores, load ${loadAverage()}; sizes ${SIZES.map(fmt).join(', ')}; ` +
      `${CONNECTIONS} connections (${BATCH_CONNECTIONS} for batches), ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per measurement; schemas ${prefix}*`,
  );
  const templates = Array.from({ length: BASE }, (_, n) => receiptTemplate(n));
  const state = await start();
  const intakeCases = new NewCases(state.nextIntakeCase, BASE);
  const store = await createPostgresEventStore({ connection: pool, schema: schemas.eventStore });
  const results: AtSize[] = [];
  let bytesPerCase = (await bytesOnDisk()) / state.cases;
  let growSecondsPerCase: number | undefined;
  try {
    for (const size of SIZES) {
      if (size < state.cases) {
        log(`${fmt(size)} cases: skipped, ${prefix} holds ${fmt(state.cases)} already`);
        continue;
      }
      if (size > state.cases) {
        const disk = await freeDisk();
        const needed = (size - state.cases) * bytesPerCase * GROWTH_HEADROOM;
        if (needed > disk.bytes - RESERVE_BYTES) {
          log(
            `${fmt(size)} cases: SKIPPED, and every larger size: growing needs about ${gb(needed)} (${fmt(bytesPerCase)} bytes per case × ${GROWTH_HEADROOM} headroom); ` +
              `${gb(disk.bytes)} free on ${disk.path}, ${gb(RESERVE_BYTES)} of it kept free`,
          );
          break;
        }
        const bytesBefore = await bytesOnDisk();
        const growStarted = performance.now();
        await grow(state.cases, size);
        const growMs = performance.now() - growStarted;
        growSecondsPerCase = growMs / 1000 / (size - state.cases);
        bytesPerCase = ((await bytesOnDisk()) - bytesBefore) / (size - state.cases);
        state.cases = size;
        await saveState(state);
        log(`grown in ${seconds(growMs)} (with the check, VACUUM ANALYZE and CHECKPOINT); ${gb(await bytesOnDisk())} on disk, ${fmt(bytesPerCase)} bytes per copied case`);
      }
      results.push(await measureAt(size, templates, intakeCases, store));
      state.nextIntakeCase = intakeCases.nextCase;
      await saveState(state);
    }
  } finally {
    await store.close();
  }

  const tooFast = printCurve(results);
  const largest = SIZES[SIZES.length - 1];
  if (state.cases < largest) {
    const rate = growSecondsPerCase === undefined ? '' : `, about ${Math.round(((largest - state.cases) * growSecondsPerCase) / 60)} min of growing at this run's rate`;
    log(`${fmt(largest)} cases would need about ${gb(largest * bytesPerCase)} for the store and read models${rate}`);
  }
  log(`total ${seconds(performance.now() - started)}${KEEP ? `; kept: continue with BENCH_SCALE_SCHEMA=${prefix}` : ''}`);
  if (STRICT && tooFast) {
    console.error('--strict: a cost grew faster than log N');
    process.exitCode = 1;
  }
}

runBenchmark('scale benchmark', { maxMinutes: MAX_MINUTES, cleanUp }, main);
