import { Client, Pool, type Notification } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

// Jest's project-level testTimeout is not applied in the root multi-project run.
jest.setTimeout(30_000);

describe('embedded PostgreSQL shared by several connections', () => {
  let embedded: EmbeddedPostgres;
  let pool: Pool;
  const clients: Client[] = [];

  async function connect(): Promise<Client> {
    const client = new Client({ connectionString: embedded.connectionString });
    clients.push(client);
    await client.connect();
    return client;
  }

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres();
    pool = new Pool({ connectionString: embedded.connectionString, max: 4 });
    await pool.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
  }, 60_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
    await pool.query('TRUNCATE items');
  });

  afterAll(async () => {
    await pool?.end();
    await embedded?.stop();
  }, 30_000);

  it('keeps each connection’s Parse/Bind/Execute together: queries held back by a transaction, half of them failing, all answer correctly', async () => {
    // Held back, every connection of the pool has its sequence queued when the transaction
    // ends. A failing Bind makes the session skip messages until a Sync: another connection's
    // Parse run in between would be skipped with it and its query answered wrongly.
    const open = await Promise.all(Array.from({ length: 4 }, () => pool.connect()));
    open.forEach((client) => client.release()); // all four connected before the hold
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('INSERT INTO items VALUES ($1, $2)', [1, 'one']);
    const outcomes = Promise.allSettled(Array.from({ length: 40 }, (_, i) => pool.query<{ n: number }>('SELECT $1::int AS n', [i % 2 === 0 ? i : `bad ${i}`])));
    await new Promise((resolve) => setTimeout(resolve, 50)); // let the pool's connections send theirs
    await holder.query('COMMIT');

    const answers = (await outcomes).map((outcome) => (outcome.status === 'fulfilled' ? outcome.value.rows : (outcome.reason as { code?: string }).code));
    expect(answers).toEqual(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? [{ n: i }] : '22P02')));
  });

  it('lets no other connection run while one reads a result in pages (Execute with a row limit, then Flush, until its Sync)', async () => {
    const pager = await connect();
    // `rows` (not in pg's typings) makes pg fetch the portal two rows at a time.
    const paged = { text: 'SELECT n FROM generate_series(1, $1::int) AS n', values: [7], rows: 2 };
    const pages = pager.query<{ n: number }>(paged);
    const others = Promise.all(Array.from({ length: 20 }, (_, i) => pool.query<{ n: number }>('SELECT $1::int AS n', [i])));

    expect((await pages).rows.map((row) => row.n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await others).map(({ rows }) => rows[0].n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('runs an open transaction’s statements alone: another connection sees only what was committed, after the commit', async () => {
    const writer = await connect();
    await writer.query('BEGIN');
    await writer.query('INSERT INTO items VALUES ($1, $2)', [1, 'one']);
    const read = pool.query<{ label: string }>('SELECT label FROM items');
    await writer.query('INSERT INTO items VALUES ($1, $2)', [2, 'two']);
    await writer.query('COMMIT');

    expect((await read).rows.map((row) => row.label).sort()).toEqual(['one', 'two']);
  });

  it('rolls back the transaction of a connection that goes away, and lets the others go on', async () => {
    const doomed = await connect();
    doomed.on('error', () => undefined); // its connection is dropped on purpose
    await doomed.query('BEGIN');
    await doomed.query('INSERT INTO items VALUES ($1, $2)', [1, 'never committed']);
    const waiting = pool.query<{ count: string }>('SELECT count(*)::text AS count FROM items');
    // Drop the socket without a Terminate, as a crashed client would.
    (doomed as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();

    expect((await waiting).rows).toEqual([{ count: '0' }]);
    await expect(pool.query('INSERT INTO items VALUES (1, $1)', ['after'])).resolves.toBeDefined();
  });

  it('answers an error inside a sequence with that error, and the connection stays usable', async () => {
    const client = await connect();

    await expect(client.query('SELECT $1::int', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
    await expect(client.query('SELECT $1::int AS n', [7])).resolves.toMatchObject({ rows: [{ n: 7 }] });
  });

  it('delivers a notification to the connections that LISTEN on its channel, and to no other', async () => {
    const listener = await connect();
    const bystander = await connect();
    const notifier = await connect();
    const received: Notification[] = [];
    const strays: Notification[] = [];
    const arrived = new Promise<void>((resolve) =>
      listener.on('notification', (notification) => {
        received.push(notification);
        resolve();
      }),
    );
    bystander.on('notification', (notification) => strays.push(notification));
    notifier.on('notification', (notification) => strays.push(notification));
    await listener.query('LISTEN "Appended"');
    await bystander.query('LISTEN other');

    await notifier.query(`SELECT pg_notify('Appended', 'case-1')`);
    await arrived;
    // A round trip on each, so anything sent to them has arrived.
    await bystander.query('SELECT 1');
    await notifier.query('SELECT 1');

    expect(received.map(({ channel, payload }) => ({ channel, payload }))).toEqual([{ channel: 'Appended', payload: 'case-1' }]);
    expect(strays).toEqual([]);
  });

  it('stops delivering after UNLISTEN', async () => {
    const listener = await connect();
    const notifier = await connect();
    const received: Notification[] = [];
    listener.on('notification', (notification) => received.push(notification));
    await listener.query('LISTEN wake');
    await listener.query('UNLISTEN wake');

    await notifier.query(`NOTIFY wake, 'ignored'`);
    await listener.query('SELECT 1');

    expect(received).toEqual([]);
  });

  it('refuses connections beyond maxConnections with a clear error', async () => {
    const small = await startEmbeddedPostgres({ maxConnections: 1 });
    const first = new Client({ connectionString: small.connectionString });
    const second = new Client({ connectionString: small.connectionString });
    try {
      await first.connect();
      await expect(second.connect()).rejects.toThrow(/too many connections/);
    } finally {
      await first.end();
      await small.stop();
    }
  }, 60_000);
});
