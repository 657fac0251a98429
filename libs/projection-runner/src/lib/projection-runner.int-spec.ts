import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { comparePositions, type GlobalPosition, type RecordedEvent } from '@case-status/event-contract';
import { migrateSchema, quoteIdent } from '@case-status/postgres-support';
import { migrateWithCheckpoint } from './checkpoint';
import type { Projection, ProjectionSource } from './projection';
import { ProjectionRunner } from './projection-runner';
import { rebuildProjection } from './rebuild';

jest.setTimeout(30_000);

const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test', max: 10 });
const prefix = `runner_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
let counter = 0;
const nextSchema = () => `${prefix}_${++counter}`;

afterAll(async () => {
  const { rows } = await pool.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${prefix}%`]);
  for (const row of rows) await pool.query(`DROP SCHEMA IF EXISTS "${row.nspname}" CASCADE`);
  await pool.end();
});

/** Events in memory. */
class Source implements ProjectionSource {
  readonly events: RecordedEvent[] = [];

  append(streamId: string, count = 1): void {
    for (let i = 0; i < count; i++) {
      const n = BigInt(this.events.length + 1);
      this.events.push({ id: `e${n}`, streamId, revision: n, position: { commit: n, prepare: n }, type: 'Counted', data: {}, metadata: {}, recordedAt: new Date(Date.UTC(2026, 0, 1)) });
    }
  }

  async readAll(options: { after?: GlobalPosition; maxCount?: number; streamPrefixes?: string[] }): Promise<RecordedEvent[]> {
    return this.events
      .filter((e) => (!options.after || comparePositions(e.position, options.after) > 0) && (options.streamPrefixes ?? ['']).some((p) => e.streamId.startsWith(p)))
      .slice(0, options.maxCount);
  }
}

/**
 * Counts events per stream with a plain increment: nothing in it recognises an event seen
 * before, so every guarantee against counting twice comes from the runner.
 */
const counting: Projection = {
  name: 'counting',
  schema: 'counting',
  streamPrefixes: ['count-'],
  migrations: [{ version: 1, name: 'counts', sql: (schema) => `CREATE TABLE ${quoteIdent(schema)}.counts (stream_id text PRIMARY KEY, events integer NOT NULL)` }],
  apply: async (tx, events, { schema }) => {
    await tx.query(
      `INSERT INTO ${quoteIdent(schema)}.counts AS c SELECT stream_id, count(*) FROM unnest($1::text[]) AS stream_id GROUP BY stream_id
       ON CONFLICT (stream_id) DO UPDATE SET events = c.events + excluded.events`,
      [events.map((event) => event.streamId)],
    );
  },
};

async function counts(schema: string): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ stream_id: string; events: number }>(`SELECT stream_id, events FROM "${schema}".counts ORDER BY stream_id`);
  return Object.fromEntries(rows.map((row) => [row.stream_id, row.events]));
}

async function eventually(condition: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('ProjectionRunner on real PostgreSQL', () => {
  it('replays a batch that crashed before its commit without counting anything twice', async () => {
    const source = new Source();
    source.append('count-a', 7);
    source.append('count-b', 5);
    source.append('other-c', 3);
    const schema = nextSchema();
    const killedInBatch2 = async (batch: number) => {
      if (batch === 2) throw new Error('killed');
    };
    const crashing = new ProjectionRunner(counting, { pool, source, schema, batchSize: 4, beforeCommit: killedInBatch2 });
    await crashing.init();
    await expect(crashing.catchUp()).rejects.toThrow('killed');
    // The first batch committed with its checkpoint; the second neither wrote nor moved it.
    expect(await counts(schema)).toEqual({ 'count-a': 4 });

    const restarted = new ProjectionRunner(counting, { pool, source, schema, batchSize: 4 });
    await restarted.init();
    expect(restarted.checkpoint).toBe('4:4');
    expect(await restarted.catchUp()).toBe(8);
    expect(await counts(schema)).toEqual({ 'count-a': 7, 'count-b': 5 });
    const { rows } = await pool.query(`SELECT projection, position, events_projected::int AS events FROM "${schema}".checkpoint`);
    expect(rows).toEqual([{ projection: 'counting', position: '12:12', events: 12 }]);
    expect(restarted.lag()).toMatchObject({ position: '12:12', caughtUp: true, lagMs: 0 });
  });

  it('lets only one of two runners racing on one schema commit each batch', async () => {
    const source = new Source();
    for (const stream of ['count-a', 'count-b', 'count-c']) source.append(stream, 40);
    const schema = nextSchema();
    const one = new ProjectionRunner(counting, { pool, source, schema, batchSize: 3 });
    const two = new ProjectionRunner(counting, { pool, source, schema, batchSize: 7 });
    await Promise.all([one.init(), two.init()]);
    await Promise.all([one.catchUp(), two.catchUp()]);
    expect(await counts(schema)).toEqual({ 'count-a': 40, 'count-b': 40, 'count-c': 40 });
    const { rows } = await pool.query(`SELECT position, events_projected::int AS events FROM "${schema}".checkpoint`);
    expect(rows).toEqual([{ position: '120:120', events: 120 }]);
  });

  it('rebuilds into fresh tables while the live runner keeps serving, swaps them in, and the live runner carries on', async () => {
    const source = new Source();
    source.append('count-a', 10);
    const schema = nextSchema();
    const live = new ProjectionRunner(counting, { pool, source, schema, batchSize: 4, pollIntervalMs: 10 });
    await live.init();
    const running = live.start();
    let open: () => void = () => undefined;
    try {
      await eventually(async () => (await counts(schema))['count-a'] === 10);
      // A fault a fixed version would not make: the rebuild must not carry it over.
      await pool.query(`UPDATE "${schema}".counts SET events = 99`);

      // The rebuild's reads wait; meanwhile the live runner projects what arrives and readers see the old tables.
      const gate = new Promise<void>((resolve) => (open = resolve));
      const gated: ProjectionSource = { readAll: (options) => gate.then(() => source.readAll(options)) };
      const rebuilding = rebuildProjection(counting, { pool, source: gated, schema, batchSize: 3 });
      source.append('count-b', 2);
      await eventually(async () => (await counts(schema))['count-b'] === 2);
      expect(await counts(schema)).toEqual({ 'count-a': 99, 'count-b': 2 });
      // The build schema exists, waiting for its first read.
      await eventually(async () => (await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname LIKE $1`, [`${schema}_build_%`])).rowCount === 1);
      expect(await counts(schema)).toEqual({ 'count-a': 99, 'count-b': 2 });

      open();
      expect(await rebuilding).toMatchObject({ events: 12, replaced: true });
      expect(await counts(schema)).toEqual({ 'count-a': 10, 'count-b': 2 });
      source.append('count-a', 5);
      await eventually(async () => (await counts(schema))['count-a'] === 15);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await counts(schema)).toEqual({ 'count-a': 15, 'count-b': 2 });
      const { rows: left } = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY 1`, [`${schema}%`]);
      expect(left.map((row) => row.nspname)).toEqual([schema]);
    } finally {
      open();
      await live.stop();
      await running;
    }
  });

  it('makes a live batch that waited for the swap fail its compare-and-set instead of writing into the swapped-in tables', async () => {
    const source = new Source();
    source.append('count-a', 10);
    const schema = nextSchema();
    const live = new ProjectionRunner(counting, { pool, source, schema });
    await live.init();
    await live.catchUp();

    // The swap holds the live checkpoint row and then waits in its catch-up read.
    let reads = 0;
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const gated: ProjectionSource = { readAll: async (options) => (++reads === 2 ? gate.then(() => source.readAll(options)) : source.readAll(options)) };
    const rebuilding = rebuildProjection(counting, { pool, source: gated, schema });
    try {
      await eventually(async () => reads === 2);
      source.append('count-a', 2);
      // Its compare-and-set waits for the swap's row lock.
      const projecting = live.catchUp();
      await eventually(async () => (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [`UPDATE "${schema}".checkpoint%`])).rowCount === 1);
      open();
      await rebuilding;
      await projecting;
      expect(await counts(schema)).toEqual({ 'count-a': 12 });
      expect(live.checkpoint).toBe('12:12');
    } finally {
      open();
    }
  });

  it('wakes up on a NOTIFY though its poll interval is an hour, and polls without a channel', async () => {
    const channel = `${prefix}_appended`;
    const source = new Source();
    const notified = new ProjectionRunner(counting, { pool, source, schema: nextSchema(), pollIntervalMs: 3_600_000, wakeChannel: channel });
    const polling = new ProjectionRunner(counting, { pool, source, schema: nextSchema(), pollIntervalMs: 20 });
    await Promise.all([notified.init(), polling.init()]);
    const running = [notified.start(), polling.start()];
    try {
      // Both have read once and found nothing; now one hour stands between the first and its next read.
      await new Promise((resolve) => setTimeout(resolve, 200));
      source.append('count-a', 3);
      await eventually(async () => (await counts(polling.schema))['count-a'] === 3);
      expect(await counts(notified.schema)).toEqual({});
      await pool.query('SELECT pg_notify($1, $2)', [channel, 'appended']);
      await eventually(async () => (await counts(notified.schema))['count-a'] === 3);
      expect(notified.lag()).toMatchObject({ position: '3:3', caughtUp: true });
    } finally {
      await Promise.all([notified.stop(), polling.stop()]);
      await Promise.all(running);
    }
  });

  it('keeps the position of a checkpoint table an earlier release created, and completes it', async () => {
    const schema = nextSchema();
    // As the read models' first migration left it, with what a projector then committed.
    await migrateSchema(pool, schema, [
      {
        version: 1,
        name: 'counts and checkpoint',
        sql: (s) => `${counting.migrations[0].sql(s)};
          CREATE TABLE "${s}".checkpoint (projection text PRIMARY KEY, position text NOT NULL, events_projected bigint NOT NULL DEFAULT 0, last_recorded_at timestamptz);
          INSERT INTO "${s}".checkpoint VALUES ('counting', '2:2', 2, now());
          INSERT INTO "${s}".counts VALUES ('count-a', 2);`,
      },
    ], 'test');
    const source = new Source();
    source.append('count-a', 5);
    const runner = new ProjectionRunner(counting, { pool, source, schema });
    await runner.init();
    expect(runner.checkpoint).toBe('2:2');
    await runner.catchUp();
    expect(await counts(schema)).toEqual({ 'count-a': 5 });
    const { rows } = await pool.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows).toEqual([{ version: 0 }, { version: 1 }]);
    await expect(migrateWithCheckpoint(pool, schema, [{ version: 0, name: 'mine', sql: () => '' }])).rejects.toThrow(RangeError);
  });
});
