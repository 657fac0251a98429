import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { caseStreamId } from '@case-status/case-domain';
import { createPostgresEventStore } from '@case-status/event-store';
import { caseReadModels, weeklyCaseFlow } from '@case-status/read-models';
import { rebuildProjection } from '@case-status/projection-runner';
import { lifecycle, RECEIPT_DIGITS } from './lifecycles';
import { wholeSetting } from './load-test';

/**
 * Two ways into the read models, and a check that they agree:
 *
 * - `projectCases` appends real lifecycles to a real PostgreSQL event store and runs the real
 *   projection (`rebuildProjection(caseReadModels)`) into the read-model schema: rows exactly as production
 *   writes them.
 *   With `flowSchema`, the same events are also projected by the real weekly case flow
 *   projection (`weeklyCaseFlow`: what the console's backlog page reads).
 * - `cloneCases` copies those base cases with set-based SQL under new receipt numbers
 *   (case m = k · base + n is base case n), changing only what a receipt number changes: the
 *   stream id, `receipt_number`, `fold.state.receiptNumber`, and fresh event ids. A clone's
 *   cohort contribution depends on agency, form, office and dates only, so the cohort counts
 *   (and with `flowSchema` the weekly flow's received and decided) are multiplied by the
 *   number of copies. The flow's per-case `case_cohort` rows are not copied: they only serve
 *   events still to come.
 * - `differingRows` compares cloned rows with rows the real projector wrote for the same
 *   lifecycles in another schema.
 */

const q = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

export interface ProjectedCases {
  cases: number;
  events: number;
  seedMs: number;
  projectMs: number;
}

/** Appends the lifecycles of the given case numbers (n, m) to a fresh event store, then projects them into `readModelSchema`. */
export async function projectCases(
  pool: Pool,
  options: { eventStoreSchema: string; readModelSchema: string; flowSchema?: string; cases: readonly (readonly [n: number, m: number])[] },
): Promise<ProjectedCases> {
  const store = await createPostgresEventStore({ connection: pool, schema: options.eventStoreSchema });
  try {
    const seedStarted = performance.now();
    let next = 0;
    let events = 0;
    const worker = async (): Promise<void> => {
      while (next < options.cases.length) {
        const [n, m] = options.cases[next++];
        const { agency, receipt, events: lifecycleEvents } = lifecycle(n, m);
        events += lifecycleEvents.length;
        await store.appendToStream(
          caseStreamId(agency, receipt),
          lifecycleEvents.map((event) => ({ id: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata: { occurredAt: event.occurredAt } })),
          { expectedRevision: 'no_stream' },
        );
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    const seedMs = performance.now() - seedStarted;
    const result = await rebuildProjection(caseReadModels, { pool, source: store, schema: options.readModelSchema, batchSize: 2_000 });
    const cases = (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${options.readModelSchema}".case_status`)).rows[0].n;
    if (cases !== options.cases.length || result.events !== events) {
      throw new Error(`projected ${cases} cases / ${result.events} events, expected ${options.cases.length} / ${events}`);
    }
    if (options.flowSchema) await rebuildProjection(weeklyCaseFlow, { pool, source: store, schema: options.flowSchema, batchSize: 2_000 });
    return { cases, events, seedMs, projectMs: result.durationMs };
  } finally {
    await store.close();
  }
}

/**
 * Adds copies `firstCopy … copies` (firstCopy 1 unless given) of the `base` cases now in
 * `schema`: the cases numbered 0 … base-1, which must all be there; other cases (earlier
 * copies, cases recorded since) are left as they are. Secondary indexes are dropped for the
 * load and recreated from their own definitions afterwards (faster than maintaining them row
 * by row; same indexes at the end). The cohort counts grow by the base cases' own counts per
 * copy: `baseCohorts` names a schema holding `cohort_completed` and `cohort_pending` as they
 * were with the base cases alone; without it, the counts now in `schema` must be exactly
 * those (firstCopy 1).
 */
export async function cloneCases(
  pool: Pool,
  options: { schema: string; scratchSchema: string; flowSchema?: string; base: number; firstCopy?: number; copies: number; baseCohorts?: string; log: (line: string) => void },
): Promise<void> {
  const firstCopy = options.firstCopy ?? 1;
  if (firstCopy > 1 && (options.baseCohorts === undefined || options.flowSchema !== undefined)) throw new Error('cloneCases: later copies need baseCohorts, and cannot grow a weekly flow');
  const s = q(options.schema);
  const x = q(options.scratchSchema);
  const client = await pool.connect();
  try {
    await client.query(`SET statement_timeout = '20min'`);
    await client.query(`SET maintenance_work_mem = '256MB'`);
    await client.query(`CREATE SCHEMA ${x}`);
    await client.query(
      `CREATE TABLE ${x}.base_cases AS
       SELECT * FROM (SELECT c.*, d.w, left(c.receipt_number, length(c.receipt_number) - d.w) AS head, right(c.receipt_number, d.w)::bigint AS n
                      FROM ${s}.case_status c CROSS JOIN LATERAL (SELECT ($1::jsonb ->> c.agency)::int AS w) d) numbered
       WHERE n < $2`,
      [JSON.stringify(RECEIPT_DIGITS), options.base],
    );
    const { rows: check } = await client.query<{ cases: number; numbers: number; low: number; high: number; odd: number }>(
      `SELECT count(*)::int AS cases, count(DISTINCT n)::int AS numbers, min(n)::int AS low, max(n)::int AS high,
              count(*) FILTER (WHERE w IS NULL OR stream_id <> 'case-' || agency || '-' || receipt_number OR status_code IS NULL)::int AS odd
       FROM ${x}.base_cases`,
    );
    const found = check[0];
    if (found.cases !== options.base || found.numbers !== options.base || found.low !== 0 || found.high !== options.base - 1 || found.odd !== 0) {
      throw new Error(`cloning needs exactly the base cases 0…${options.base - 1}; found ${JSON.stringify(found)}`);
    }
    await client.query(`CREATE TABLE ${x}.base_history AS SELECT h.*, b.agency, b.head, b.w, b.n FROM ${s}.case_history h JOIN ${x}.base_cases b USING (stream_id)`);

    const { rows: indexes } = await client.query<{ name: string; definition: string }>(
      `SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
       WHERE ns.nspname = $1 AND t.relname IN ('case_status', 'case_history') AND NOT i.indisprimary`,
      [options.schema],
    );
    for (const index of indexes) await client.query(`DROP INDEX ${s}.${q(index.name)}`);

    const step = 10;
    for (let first = firstCopy; first <= options.copies; first += step) {
      const last = Math.min(options.copies, first + step - 1);
      const started = performance.now();
      await client.query(
        `INSERT INTO ${s}.case_status (stream_id, revision, public_revision, fold, agency, receipt_number, form_type, office, step, status_code, status_text, next_step,
           received_at, received_at_text, last_changed_at, decision, open_evidence_requests, upcoming_appointments, is_pending)
         SELECT 'case-' || b.agency || '-' || r.receipt, b.revision, b.public_revision, jsonb_set(b.fold, '{state,receiptNumber}', to_jsonb(r.receipt)), b.agency, r.receipt,
           b.form_type, b.office, b.step, b.status_code, b.status_text, b.next_step, b.received_at, b.received_at_text, b.last_changed_at, b.decision,
           b.open_evidence_requests, b.upcoming_appointments, b.is_pending
         FROM generate_series($1::int, $2::int) AS k CROSS JOIN ${x}.base_cases b
         CROSS JOIN LATERAL (SELECT b.head || lpad((k * $3::int + b.n)::text, b.w, '0') AS receipt) r`,
        [first, last, options.base],
      );
      await client.query(
        `INSERT INTO ${s}.case_history (stream_id, revision, event_id, event_type, occurred_at, occurred_at_text, step, title)
         SELECT 'case-' || h.agency || '-' || h.head || lpad((k * $3::int + h.n)::text, h.w, '0'), h.revision, gen_random_uuid()::text, h.event_type,
           h.occurred_at, h.occurred_at_text, h.step, h.title
         FROM generate_series($1::int, $2::int) AS k CROSS JOIN ${x}.base_history h`,
        [first, last, options.base],
      );
      options.log(`  copies ${first}-${last} of ${options.copies}: ${((last - first + 1) * options.base).toLocaleString('en-US')} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const started = performance.now();
    for (const index of indexes) await client.query(index.definition);
    options.log(`  ${indexes.length} secondary indexes recreated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (options.baseCohorts === undefined) {
      await client.query(`UPDATE ${s}.cohort_completed SET cases = cases * $1::int`, [options.copies + 1]);
      await client.query(`UPDATE ${s}.cohort_pending SET cases = cases * $1::int`, [options.copies + 1]);
    } else {
      const b = q(options.baseCohorts);
      const added = options.copies - firstCopy + 1;
      await client.query(
        `UPDATE ${s}.cohort_completed c SET cases = c.cases + b.cases * $1::int FROM ${b}.cohort_completed b
         WHERE (c.agency, c.form_type, c.office, c.decided_on, c.duration_days) = (b.agency, b.form_type, b.office, b.decided_on, b.duration_days)`,
        [added],
      );
      await client.query(
        `UPDATE ${s}.cohort_pending c SET cases = c.cases + b.cases * $1::int FROM ${b}.cohort_pending b
         WHERE (c.agency, c.form_type, c.office, c.received_on) = (b.agency, b.form_type, b.office, b.received_on)`,
        [added],
      );
    }
    if (options.flowSchema) await client.query(`UPDATE ${q(options.flowSchema)}.weekly_flow SET received = received * $1::int, decided = decided * $1::int`, [options.copies + 1]);
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${x} CASCADE`).catch(() => undefined);
    client.release();
  }
}

/** Rows of `expectedSchema` (projected for real) that `schema` does not hold identically, and the other way round; event ids excepted. */
export async function differingRows(pool: Pool, options: { schema: string; expectedSchema: string }): Promise<{ compared: number; cases: number; history: number }> {
  const s = q(options.schema);
  const e = q(options.expectedSchema);
  const historyColumns = 'stream_id, revision, event_type, occurred_at, occurred_at_text, step, title';
  const { rows } = await pool.query<{ compared: number; cases: number; history: number }>(
    `WITH streams AS (SELECT stream_id FROM ${e}.case_status)
     SELECT (SELECT count(*)::int FROM streams) AS compared,
       (SELECT count(*)::int FROM ((SELECT * FROM ${e}.case_status EXCEPT SELECT * FROM ${s}.case_status WHERE stream_id IN (SELECT stream_id FROM streams))
                                   UNION ALL (SELECT * FROM ${s}.case_status WHERE stream_id IN (SELECT stream_id FROM streams) EXCEPT SELECT * FROM ${e}.case_status)) d) AS cases,
       (SELECT count(*)::int FROM ((SELECT ${historyColumns} FROM ${e}.case_history EXCEPT SELECT ${historyColumns} FROM ${s}.case_history WHERE stream_id IN (SELECT stream_id FROM streams))
                                   UNION ALL (SELECT ${historyColumns} FROM ${s}.case_history WHERE stream_id IN (SELECT stream_id FROM streams) EXCEPT SELECT ${historyColumns} FROM ${e}.case_history)) d) AS history`,
  );
  return rows[0];
}

/**
 * What autovacuum would have done to freshly loaded read models (hint bits, visibility map,
 * statistics), and their dirty pages written out now rather than during a measurement (1M
 * cases are ~5 GB).
 */
export async function settleReadModels(pool: Pool, schema: string): Promise<void> {
  for (const table of ['case_status', 'case_history', 'cohort_completed', 'cohort_pending']) await pool.query(`VACUUM (ANALYZE) ${q(schema)}.${table}`);
  await pool.query('CHECKPOINT');
}

/**
 * How many cases a 1M benchmark projects and how many it ends with (BENCH_BASE_CASES, default
 * 10,000; BENCH_TOTAL_CASES, default 1,000,000, a multiple of the base), from the environment.
 */
export function caseCounts(): { base: number; total: number } {
  const base = wholeSetting('BENCH_BASE_CASES', 10_000, 100, 100_000);
  const total = wholeSetting('BENCH_TOTAL_CASES', 1_000_000, base, 5_000_000);
  if (total % base !== 0) throw new Error(`BENCH_TOTAL_CASES (${total}) must be a multiple of BENCH_BASE_CASES (${base})`);
  return { base, total };
}
