import { Pool, type PoolClient } from 'pg';
import { guardPool } from './connectivity';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

/**
 * How many 'error' listeners the connection `pool.connect()` hands over has in the microtask
 * after the pool let go of it: where the server's "terminating connection" lands when it comes
 * in the same network read as the answer to the query before.
 */
async function listenersInTheHandOverGap(pool: Pool): Promise<number> {
  let seen = -1;
  const onAcquire = (client: PoolClient) => queueMicrotask(() => (seen = client.listenerCount('error')));
  pool.once('acquire', onAcquire);
  const client = await pool.connect();
  client.release();
  return seen;
}

describe('guardPool on real PostgreSQL', () => {
  const pools: Pool[] = [];
  const aPool = () => {
    const pool = new Pool({ connectionString: databaseUrl, max: 2 });
    pools.push(pool);
    return pool;
  };

  afterAll(() => Promise.all(pools.map((pool) => pool.end())));

  it('leaves no connection without an error listener while it is handed over', async () => {
    const bare = aPool();
    bare.on('error', () => undefined);
    // The gap itself, as pg-pool has it: nothing listens.
    expect(await listenersInTheHandOverGap(bare)).toBe(0);

    const guarded = guardPool(aPool());
    expect(await listenersInTheHandOverGap(guarded)).toBeGreaterThan(0);
    // A connection reused from the idle list keeps it.
    expect(await listenersInTheHandOverGap(guarded)).toBeGreaterThan(0);
  });

  it('survives the server ending a checked-out connection between two queries; the pool carries on', async () => {
    const pool = guardPool(aPool());
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise((resolve) => client.once('end', resolve));

    // 57P01 "terminating connection due to administrator command", as at a restart, while no
    // query of this connection is running: with no listener, 'error' would end the process.
    await pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await ended;

    await expect(client.query('SELECT 1')).rejects.toThrow();
    client.release();
    const after = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(after.rows).toEqual([{ one: 1 }]);
    // The dropped connection was discarded, not put back for the next caller.
    expect(pool.totalCount).toBe(1);
  });
});
