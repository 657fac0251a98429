import { connect as connectTcp, type Socket } from 'node:net';
import { Client, type DatabaseError } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';

// Jest's project-level testTimeout is not applied in the root multi-project run.
jest.setTimeout(30_000);

/**
 * Clients that try to keep the one shared session, or the server's memory and connection slots,
 * to themselves. Limits are small here so that the tests are quick; none of them is timed: each
 * test waits for the outcome (a connection cut, a slot freed) and would hang without the limit.
 */
describe('embedded PostgreSQL against clients that hold on', () => {
  const MAX_MESSAGE_BYTES = 1024 * 1024;
  let embedded: EmbeddedPostgres;
  let port: number;
  const clients: Client[] = [];
  const sockets: Socket[] = [];

  async function connect(): Promise<{ client: Client; errors: DatabaseError[] }> {
    const client = new Client({ connectionString: embedded.connectionString });
    const errors: DatabaseError[] = [];
    // An error the server sends while no query runs (a FATAL to an idle client) comes here.
    client.on('error', (error) => errors.push(error as DatabaseError));
    clients.push(client);
    await client.connect();
    return { client, errors };
  }

  function rawSocket(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connectTcp({ host: '127.0.0.1', port }, () => resolve(socket));
      socket.once('error', reject);
      sockets.push(socket);
    });
  }

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres({
      maxConnections: 3,
      limits: { idleInTransactionTimeoutMs: 1_000, transactionTimeoutMs: 3_000, startupTimeoutMs: 300, maxMessageBytes: MAX_MESSAGE_BYTES },
    });
    port = Number(new URL(embedded.connectionString).port);
    const { client } = await connect();
    await client.query('CREATE TABLE items (id int PRIMARY KEY, label text)');
  }, 60_000);

  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.destroy());
    await Promise.all(clients.splice(0).map((client) => client.end().catch(() => undefined)));
  });

  afterAll(async () => {
    await embedded?.stop();
  }, 30_000);

  it('ends a transaction left idle with 25P03, rolls it back, and the waiting connection goes on', async () => {
    const { client: idle, errors } = await connect();
    await idle.query('BEGIN');
    await idle.query('INSERT INTO items VALUES ($1, $2)', [1, 'never committed']);
    const ended = new Promise((resolve) => idle.once('end', resolve));

    const { client: other } = await connect();
    // Queued behind the open transaction until the server ends it.
    const count = await other.query<{ count: string }>('SELECT count(*)::text AS count FROM items');

    expect(count.rows).toEqual([{ count: '0' }]);
    await ended;
    // pg reports the server's FATAL, then the socket closing.
    expect(errors[0]).toMatchObject({ code: '25P03', severity: 'FATAL', message: 'terminating connection due to idle-in-transaction timeout' });
  });

  it('does not end a connection that is idle outside a transaction', async () => {
    const { client, errors } = await connect();
    await client.query('SELECT 1');
    // Longer than the idle-in-transaction limit, in the way the next test waits for it to act.
    const { client: other } = await connect();
    await other.query('BEGIN');
    await new Promise((resolve) => other.once('error', resolve));

    await expect(client.query('SELECT 2 AS n')).resolves.toMatchObject({ rows: [{ n: 2 }] });
    expect(errors).toEqual([]);
  });

  it('ends a transaction that keeps the session with a stream of short statements with 25P04, and the waiting connection goes on', async () => {
    const { client: busy, errors } = await connect();
    // Connected first: a connection's startup waits for the session like its queries do.
    const { client: other } = await connect();
    await busy.query('BEGIN');
    await busy.query('INSERT INTO items VALUES ($1, $2)', [2, 'never committed']);
    const count = other.query<{ count: string }>('SELECT count(*)::text AS count FROM items');

    // Back to back, never idle for as long as the idle limit: only the transaction limit can stop it.
    let refusal: DatabaseError | undefined;
    while (!refusal) {
      refusal = await busy.query('SELECT 1').then(
        () => undefined,
        (error: DatabaseError) => error,
      );
    }

    expect((await count).rows).toEqual([{ count: '0' }]);
    expect([refusal, ...errors].map((error) => error.code)).toContain('25P04');
  });

  it('closes connections that never finish their startup message, freeing their slots', async () => {
    const silent = await rawSocket();
    const partial = await rawSocket();
    partial.write(Buffer.from([0, 0, 0, 40, 0, 3])); // 6 bytes of a 40-byte startup packet
    const third = await rawSocket();
    const closed = Promise.all([silent, partial, third].map((socket) => new Promise((resolve) => socket.once('close', resolve))));

    // All three slots were taken; the server frees them itself (this side never closes them).
    await closed;
    const { client } = await connect();
    await expect(client.query('SELECT 1 AS n')).resolves.toMatchObject({ rows: [{ n: 1 }] });
  });

  it('refuses a message larger than maxMessageBytes with 54000 and closes that connection; others go on', async () => {
    const { client: sender } = await connect();
    const ended = new Promise((resolve) => sender.once('end', resolve));

    await expect(sender.query('SELECT length($1::text) AS n', ['x'.repeat(2 * MAX_MESSAGE_BYTES)])).rejects.toMatchObject({
      code: '54000',
      message: expect.stringContaining(`limit of ${MAX_MESSAGE_BYTES} bytes`),
    });
    await ended;
    const { client } = await connect();
    await expect(client.query('SELECT length($1::text) AS n', ['x'.repeat(1000)])).resolves.toMatchObject({ rows: [{ n: 1000 }] });
  });

  it('refuses a message whose header announces 1 GiB at once, before any of it arrives', async () => {
    const socket = await rawSocket();
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0', 'utf8');
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8 + params.length, 0);
    startup.writeInt32BE(196_608, 4); // protocol 3.0
    const header = Buffer.alloc(5);
    header[0] = 0x51; // 'Q'
    header.writeInt32BE(1024 * 1024 * 1024, 1);

    socket.write(Buffer.concat([startup, params, header]));
    await closed;

    const text = Buffer.concat(received).toString('latin1');
    expect(text).toContain('C54000\0');
    expect(text).toContain('a message of 1073741825 bytes is over');
  });
});
