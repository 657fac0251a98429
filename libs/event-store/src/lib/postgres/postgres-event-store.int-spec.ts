import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { anEvent, collect, describeEventStoreContract, eventually, rejectionOf, someEvents, uniqueStreamPrefix } from '../../testing';
import { statementLog } from '@case-status/postgres-support/testing';
import { comparePositions, formatPosition, parsePosition } from '../event-store.port';
import { migrate, MIGRATIONS } from './migrations';
import { appendWithin, createPostgresEventStore, PostgresEventStore } from './postgres-event-store';

// Waits in these tests are bounded by `eventually` (10 s), which must fail before Jest's own timeout does.
jest.setTimeout(30_000);

const connectionString = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

/** One schema per suite (or per test that needs a fresh one); Jest runs files in parallel. */
function uniqueSchema(label: string): string {
  return `es_${label}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

const pool = new Pool({ connectionString, max: 20 });
const schemas: string[] = [];

async function freshStore(label: string, pollIntervalMs?: number): Promise<PostgresEventStore> {
  const schema = uniqueSchema(label);
  schemas.push(schema);
  return createPostgresEventStore({ connection: pool, schema, pollIntervalMs });
}

afterAll(async () => {
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

describeEventStoreContract('PostgreSQL', async () => {
  const store = await freshStore('contract');
  return { store, cleanup: () => store.close() };
});

const ids = (events: { id: string }[]) => events.map((event) => event.id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL event store', () => {
  let store: PostgresEventStore;
  let prefix: string;
  const held: PoolClient[] = [];

  /** A transaction left open on purpose, as a slow writer elsewhere would. */
  async function openTransaction(): Promise<PoolClient> {
    const client = await pool.connect();
    held.push(client);
    await client.query('BEGIN');
    return client;
  }

  beforeAll(async () => {
    store = await freshStore('pg', 100);
  });
  afterAll(() => store.close());
  beforeEach(() => {
    prefix = uniqueStreamPrefix();
  });
  afterEach(async () => {
    // A failed test must not leave a transaction holding back every other suite's readers.
    for (const client of held.splice(0)) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  });

  describe('readers never pass a position a running transaction can still fill', () => {
    it('withholds a later commit while an earlier append is open, then delivers both in order', async () => {
      const subscriber = collect(store, { streamPrefixes: [prefix] });
      const slow = await openTransaction();
      const a = anEvent('CaseReceived');
      const b = anEvent('CaseReceived');

      const [aResult] = await appendWithin(slow, store.schema, [{ streamId: `${prefix}case-a`, events: [a], expectedRevision: 'no_stream' }]);
      const bResult = await store.appendToStream(`${prefix}case-b`, [b], { expectedRevision: 'no_stream' });
      // B is committed and has the higher sequence: a reader ordering by sequence alone would
      // deliver it now and never come back for A.
      expect(aResult.position.prepare < bResult.position.prepare).toBe(true);
      const whileOpen = await store.readAll({ streamPrefixes: [prefix] });
      await sleep(400); // several poll intervals and B's notification
      const deliveredWhileOpen = [...subscriber.events];

      await slow.query('COMMIT');
      const delivered = await subscriber.received(2);
      await subscriber.subscription.stop();

      expect(whileOpen).toEqual([]);
      expect(deliveredWhileOpen).toEqual([]);
      expect(ids(delivered)).toEqual([a.id, b.id]);
      expect(ids(await store.readAll({ streamPrefixes: [prefix] }))).toEqual([a.id, b.id]);
    });

    it('orders by transaction id before sequence, so a transaction that started earlier comes first', async () => {
      const slow = await openTransaction();
      const a = anEvent();
      const b = anEvent();
      // A gets its transaction id now, but takes its sequence number only after B committed.
      await slow.query('SELECT pg_current_xact_id()');
      const bResult = await store.appendToStream(`${prefix}case-b`, [b], { expectedRevision: 'no_stream' });
      const [aResult] = await appendWithin(slow, store.schema, [{ streamId: `${prefix}case-a`, events: [a], expectedRevision: 'no_stream' }]);
      const whileOpen = await store.readAll({ streamPrefixes: [prefix] });
      await slow.query('COMMIT');

      const all = await eventually(
        () => store.readAll({ streamPrefixes: [prefix] }),
        (events) => events.length >= 2,
      );

      expect(bResult.position.prepare < aResult.position.prepare).toBe(true);
      expect(comparePositions(aResult.position, bResult.position)).toBe(-1);
      expect(whileOpen).toEqual([]);
      expect(ids(all)).toEqual([a.id, b.id]);
    });

    it('passes the gap a rolled-back append leaves, without stalling', async () => {
      const subscriber = collect(store, { streamPrefixes: [prefix] });
      const before = anEvent();
      const after = anEvent();
      await store.appendToStream(`${prefix}case-1`, [before], { expectedRevision: 'no_stream' });
      const doomed = await openTransaction();
      const [rolledBack] = await appendWithin(doomed, store.schema, [{ streamId: `${prefix}case-1`, events: [anEvent()], expectedRevision: 0n }]);
      await doomed.query('ROLLBACK');
      const afterResult = await store.appendToStream(`${prefix}case-1`, [after], { expectedRevision: 0n });

      const delivered = await subscriber.received(2);
      await subscriber.subscription.stop();

      expect(afterResult.position.prepare > rolledBack.position.prepare).toBe(true);
      expect(ids(delivered)).toEqual([before.id, after.id]);
      expect(delivered[1].revision).toBe(1n);
    });

    it('waits out an unrelated open transaction and delivers by polling once it ends, with no notification', async () => {
      const subscriber = collect(store, { streamPrefixes: [prefix] });
      const unrelated = await openTransaction();
      await unrelated.query('SELECT pg_current_xact_id()');
      const event = anEvent();
      await store.appendToStream(`${prefix}case-1`, [event], { expectedRevision: 'no_stream' });
      await sleep(300);
      const deliveredWhileOpen = [...subscriber.events];

      await unrelated.query('COMMIT');
      const delivered = await subscriber.received(1);
      await subscriber.subscription.stop();

      expect(deliveredWhileOpen).toEqual([]);
      expect(ids(delivered)).toEqual([event.id]);
    });
  });

  describe('multi-stream appends', () => {
    const parts = (count: number, eventsEach = 2) =>
      Array.from({ length: count }, (_, i) => ({ streamId: `${prefix}case-${i}`, events: someEvents(eventsEach), expectedRevision: 'no_stream' as const }));

    it('shows nothing of an open multi-stream append to readers, then all of it at once', async () => {
      const open = await openTransaction();
      const appends = parts(3);

      await appendWithin(open, store.schema, appends);
      const whileOpen = await Promise.all([store.readAll({ streamPrefixes: [prefix] }), ...appends.map((a) => store.readStream(a.streamId))]);
      await open.query('COMMIT');

      // Readers may still wait for another transaction of the cluster that is older than this one.
      const all = await eventually(
        () => store.readAll({ streamPrefixes: [prefix] }),
        (events) => events.length > 0,
      );
      expect(whileOpen.flat()).toEqual([]);
      expect(ids(all)).toEqual(appends.flatMap((a) => ids(a.events)));
    });

    it('leaves nothing behind when the connection dies before the commit: no events, no stream heads', async () => {
      const doomed = await openTransaction();
      const appends = parts(3);
      await appendWithin(doomed, store.schema, appends);
      const pid = (await doomed.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      doomed.on('error', () => undefined); // the terminated connection reports its end

      await pool.query('SELECT pg_terminate_backend($1)', [pid]);
      held.splice(held.indexOf(doomed), 1);
      doomed.release(true);

      for (const { streamId } of appends) expect(await store.readStream(streamId)).toEqual([]);
      // No stream head survived either: every stream can still be created from scratch.
      const retried = await store.appendToStreams(appends);
      expect(retried.map((result) => result.nextExpectedRevision)).toEqual([1n, 1n, 1n]);
    });

    it('stores none of the call when an event id of its last stream is already stored elsewhere', async () => {
      const taken = anEvent();
      await store.appendToStream(`${prefix}other`, [taken], { expectedRevision: 'no_stream' });
      const appends = parts(3);
      appends[2].events.push(taken);

      const error = await rejectionOf(store.appendToStreams(appends));

      expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: taken.id });
      for (const { streamId } of appends) expect(await store.readStream(streamId)).toEqual([]);
      const heads = await pool.query(`SELECT 1 FROM "${store.schema}".streams WHERE stream_id = ANY ($1::text[])`, [appends.map((a) => a.streamId)]);
      expect(heads.rows).toEqual([]);
    });

    it('refuses a retry that only partly matches a stored call, storing none of the rest', async () => {
      const appends = parts(2);
      await store.appendToStreams([appends[0]]);

      const error = await rejectionOf(store.appendToStreams(appends));

      expect(error).toMatchObject({ code: 'DUPLICATE_EVENT_ID', eventId: appends[0].events[0].id, streamId: appends[0].streamId });
      expect(await store.readStream(appends[1].streamId)).toEqual([]);
    });

    it('lets exactly one of two concurrent calls that share a stream win; the other writes none of its streams', async () => {
      const shared = `${prefix}shared`;
      const calls = [0, 1].map((n) => [
        { streamId: `${prefix}own-${n}`, events: someEvents(1), expectedRevision: 'no_stream' as const },
        { streamId: shared, events: someEvents(2), expectedRevision: 'no_stream' as const },
      ]);

      const outcomes = await Promise.allSettled(calls.map((call) => store.appendToStreams(call)));

      const winners = outcomes.flatMap((outcome, n) => (outcome.status === 'fulfilled' ? [n] : []));
      expect(winners).toHaveLength(1);
      const loser = 1 - winners[0];
      expect((outcomes[loser] as PromiseRejectedResult).reason).toMatchObject({ code: 'WRONG_EXPECTED_REVISION', streamId: shared, actual: 1n });
      expect(await store.readStream(`${prefix}own-${loser}`)).toEqual([]);
      expect(ids(await store.readStream(shared))).toEqual(ids(calls[winners[0]][1].events));
    });

    it('is one statement for one stream, and BEGIN, one statement and COMMIT for several', async () => {
      const counted = new Pool({ connectionString, max: 2 });
      const statements = statementLog(counted);
      const counting = new PostgresEventStore(counted, { schema: store.schema });
      try {
        await counting.appendToStream(`${prefix}one`, someEvents(3), { expectedRevision: 'no_stream' });
        const single = statements.take();
        await counting.appendToStreams(parts(4));
        const multi = statements.take();

        expect(single).toEqual(['WITH']);
        expect(multi).toEqual(['BEGIN', 'WITH', 'COMMIT']);
      } finally {
        await counted.end();
      }
    });
  });

  describe('a small connection pool', () => {
    it('answers more concurrent conflicting writers than it has connections, one winner and conflicts for the rest', async () => {
      const small = new Pool({ connectionString, max: 2 });
      const schema = uniqueSchema('small');
      schemas.push(schema);
      const store = await createPostgresEventStore({ connection: small, schema });
      try {
        const stream = `${prefix}case-1`;
        const outcomes = await Promise.allSettled(
          Array.from({ length: 6 }, () => store.appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(5).fill('WRONG_EXPECTED_REVISION'));
      } finally {
        await store.close();
        await small.end();
      }
    });
  });

  describe('subscriptions', () => {
    it('re-read soon after a notification whose events an unrelated transaction still held back', async () => {
      // With a one-minute poll, only the retry after the notification can deliver within
      // `received`'s ten seconds once the unrelated transaction ends (it notifies nobody).
      const slowPoll = await freshStore('held', 60_000);
      const unrelated = await openTransaction();
      try {
        const subscriber = collect(slowPoll, {});
        await sleep(200);
        await unrelated.query('SELECT pg_current_xact_id()');
        const event = anEvent();
        await slowPoll.appendToStream(`${prefix}case-1`, [event], { expectedRevision: 'no_stream' });
        await sleep(300);
        const deliveredWhileHeld = [...subscriber.events];
        await unrelated.query('COMMIT');
        const delivered = await subscriber.received(1);
        await subscriber.subscription.stop();

        expect(deliveredWhileHeld).toEqual([]);
        expect(ids(delivered)).toEqual([event.id]);
      } finally {
        await slowPoll.close();
      }
    });

    it('wake on NOTIFY instead of waiting for the poll', async () => {
      const slowPoll = await freshStore('notify', 60_000);
      try {
        const subscriber = collect(slowPoll, {});
        await sleep(200); // let the subscription go idle on LISTEN
        const event = anEvent();
        // The poll is a minute away; `received` gives up after ten seconds.
        await slowPoll.appendToStream(`${prefix}case-1`, [event], { expectedRevision: 'no_stream' });
        const delivered = await subscriber.received(1);
        await subscriber.subscription.stop();

        expect(ids(delivered)).toEqual([event.id]);
      } finally {
        await slowPoll.close();
      }
    });

    it('do not busy-loop when idle', async () => {
      const reads = jest.spyOn(store, 'readAll');
      try {
        const subscriber = collect(store, { streamPrefixes: [prefix] });
        await sleep(1_000);
        await subscriber.subscription.stop();

        // 100 ms poll interval: about 10 reads a second; a busy loop would make thousands.
        expect(reads.mock.calls.length).toBeGreaterThan(2);
        expect(reads.mock.calls.length).toBeLessThan(25);
      } finally {
        reads.mockRestore();
      }
    });

    it('are stopped by close(), and release their listening connection', async () => {
      const own = await freshStore('close');
      const subscriber = collect(own, {});
      await sleep(100);
      const listening = async () =>
        (await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_stat_activity WHERE query ILIKE 'LISTEN "${own.schema}_appended"'`)).rows[0].n;
      const beforeClose = await listening();

      await own.close();

      await expect(subscriber.subscription.closed).resolves.toBeUndefined();
      expect(beforeClose).toBe('1');
      // The released connection goes back to the pool; its last statement is UNLISTEN.
      expect(await listening()).toBe('0');
    });

    it('close with an error when the store cannot be read', async () => {
      const broken = new PostgresEventStore(pool, { schema: uniqueSchema('unmigrated') });

      const error = await rejectionOf(broken.subscribeToAll(async () => undefined).closed);

      expect(error).toMatchObject({ code: '42P01' }); // undefined_table
    });
  });

  describe('positions', () => {
    it('round-trip exactly beyond 2^53', async () => {
      const high = await freshStore('high');
      try {
        await pool.query(`ALTER TABLE "${high.schema}".events ALTER COLUMN seq RESTART WITH 9007199254740993`);
        const events = someEvents(3);
        await high.appendToStream(`${prefix}case-1`, events, { expectedRevision: 'no_stream' });
        const all = await eventually(
          () => high.readAll(),
          (read) => read.length >= 3,
        );

        const afterFirst = await high.readAll({ after: parsePosition(formatPosition(all[0].position)) });

        expect(all.map((event) => event.position.prepare)).toEqual([9007199254740993n, 9007199254740994n, 9007199254740995n]);
        expect(parsePosition(formatPosition(all[1].position))).toEqual(all[1].position);
        // Through a double, ...993 would become ...992 and the first event would come back.
        expect(ids(afterFirst)).toEqual(ids(events.slice(1)));
      } finally {
        await high.close();
      }
    });
  });

  describe('migrations', () => {
    it('apply once; running them again changes nothing', async () => {
      const schema = uniqueSchema('migrate');
      schemas.push(schema);
      const target = new PostgresEventStore(pool, { schema });

      const first = await target.migrate();
      const { rows: before } = await pool.query(`SELECT version, name, applied_at FROM "${schema}".schema_migrations ORDER BY version`);
      const second = await target.migrate();
      const { rows: after } = await pool.query(`SELECT version, name, applied_at FROM "${schema}".schema_migrations ORDER BY version`);

      expect(first).toEqual(MIGRATIONS.map((migration) => migration.version));
      expect(second).toEqual([]);
      expect(after).toEqual(before);
      expect(before.map((row: { version: number }) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
    });

    it('are safe when several processes start at once', async () => {
      const schema = uniqueSchema('race');
      schemas.push(schema);
      // Separate pools, as separate processes would have.
      const pools = Array.from({ length: 4 }, () => new Pool({ connectionString, max: 1 }));
      try {
        const results = await Promise.all(pools.map((own) => new PostgresEventStore(own, { schema }).migrate()));

        const { rows } = await pool.query<{ version: number }>(`SELECT version FROM "${schema}".schema_migrations`);
        expect(results.filter((applied) => applied.length > 0)).toHaveLength(1);
        expect(results.flat()).toEqual(MIGRATIONS.map((migration) => migration.version));
        expect(rows).toHaveLength(MIGRATIONS.length);
      } finally {
        await Promise.all(pools.map((own) => own.end()));
      }
    });

    it('roll back entirely when one fails', async () => {
      const schema = uniqueSchema('failing');
      schemas.push(schema);
      const failing = [...MIGRATIONS, { version: 999, name: 'broken', sql: () => 'SELECT * FROM no_such_table' }];

      const error = await rejectionOf(migrate(pool, schema, failing));
      const { rows } = await pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);

      expect(error).toMatchObject({ code: '42P01' });
      expect(rows).toEqual([]);
    });
  });

  describe('construction and closing', () => {
    it.each(['Event_Store', 'event-store', 'x; DROP TABLE y', '1abc', ''])('refuses the schema name "%s"', (schema) => {
      expect(() => new PostgresEventStore(pool, { schema })).toThrow(TypeError);
    });

    it('uses the event_store schema by default', () => {
      expect(new PostgresEventStore(pool).schema).toBe('event_store');
    });

    it('leaves a pool it was given open, and ends a pool it created', async () => {
      const given = new PostgresEventStore(pool, { schema: store.schema });
      const owned = await createPostgresEventStore({ connection: connectionString, schema: store.schema });
      await owned.appendToStream(`${prefix}case-1`, [anEvent()], { expectedRevision: 'no_stream' });

      await given.close();
      await owned.close();

      await expect(pool.query('SELECT 1')).resolves.toBeDefined();
      expect(await rejectionOf(owned.readStream(`${prefix}case-1`))).toBeInstanceOf(Error);
    });
  });
});
