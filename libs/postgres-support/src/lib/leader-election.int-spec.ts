import { randomUUID } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Pool } from 'pg';
import { LeaderElection, type LedWork } from './leader-election';

jest.setTimeout(30_000);

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** What happened to every instance, in order. */
type Entry = `${string} ${'leads' | 'stops: stopping' | 'stops: lost'}`;

/** An instance of a service: its election, and work that writes its comings and goings into `timeline`. */
function instance(name: string, pool: Pool, key: string, timeline: Entry[], options: { leaseMs?: number; heartbeatIntervalMs?: number; fail?: Promise<void> } = {}) {
  const election = new LeaderElection<LedWork>({ pool, key, retryIntervalMs: 50, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 100, leaseMs: options.leaseMs ?? 1_000 }, async () => {
    timeline.push(`${name} leads`);
    let end: () => void = () => undefined;
    const closed = new Promise<void>((resolve, reject) => {
      end = resolve;
      options.fail?.catch(reject);
    });
    return {
      closed,
      stop: async (reason) => {
        timeline.push(`${name} stops: ${reason}`);
        end();
      },
    };
  });
  return election;
}

/** The backend holding `key`'s advisory lock. */
async function holderPid(pool: Pool, key: string): Promise<number | undefined> {
  const { rows } = await pool.query<{ pid: number }>(
    `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
       AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
    [key],
  );
  return rows[0]?.pid;
}

/**
 * A TCP relay to PostgreSQL that can go silent without closing anything, as a network cut does:
 * neither side sees an end, the bytes just stop.
 */
class CuttableLink {
  private readonly pairs: [Socket, Socket | undefined][] = [];
  private isCut = false;
  private readonly server: Server;

  private constructor(private readonly target: URL) {
    this.server = createServer((inbound) => {
      inbound.on('error', () => undefined);
      // Once cut, a new connection gets no further either.
      if (this.isCut) return void this.pairs.push([inbound, undefined]);
      const outbound = connect(Number(target.port || 5432), target.hostname);
      outbound.on('error', () => undefined);
      inbound.pipe(outbound).pipe(inbound);
      this.pairs.push([inbound, outbound]);
    });
  }

  /** The database's URL through this link. */
  get url(): string {
    const address = this.server.address();
    const url = new URL(this.target.href);
    url.hostname = '127.0.0.1';
    url.port = String(typeof address === 'object' && address ? address.port : 0);
    return url.href;
  }

  static async open(target: URL): Promise<CuttableLink> {
    const link = new CuttableLink(target);
    await new Promise<void>((resolve) => link.server.listen(0, '127.0.0.1', resolve));
    return link;
  }

  cut(): void {
    this.isCut = true;
    for (const [inbound, outbound] of this.pairs) {
      if (!outbound) continue;
      inbound.unpipe(outbound);
      outbound.unpipe(inbound);
      inbound.pause();
      outbound.pause();
    }
  }

  async close(): Promise<void> {
    for (const [inbound, outbound] of this.pairs) {
      inbound.destroy();
      outbound?.destroy();
    }
    await new Promise((resolve) => this.server.close(resolve));
  }
}

describe('LeaderElection on real PostgreSQL', () => {
  const pool = new Pool({ connectionString: databaseUrl, max: 6 });
  const other = new Pool({ connectionString: databaseUrl, max: 4 });
  const key = () => `case-status/test/leader/${randomUUID()}`;

  afterAll(async () => {
    await pool.end();
    await other.end();
  });

  /** Instance a (on `aPool`) leads, then b (on another pool) starts on the same key. */
  async function leaderAndStandby(aPool = pool, aOptions: Parameters<typeof instance>[4] = {}) {
    const timeline: Entry[] = [];
    const k = key();
    const a = instance('a', aPool, k, timeline, aOptions);
    await until(() => a.role === 'active', 'a leads');
    const b = instance('b', other, k, timeline);
    return { timeline, k, a, b };
  }

  it('runs the work in one instance; the standby is ready and takes over when the leader stops', async () => {
    const { timeline, k, a, b } = await leaderAndStandby();
    // b tries the lock several times while a holds it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b.role).toBe('standby');
    expect(b.health(() => ({ ready: false, database: 'up' }))).toEqual({ ready: true, database: 'up', role: 'standby' });
    expect(a.health(() => ({ ready: true, database: 'up', lagMs: 3 }))).toEqual({ ready: true, database: 'up', lagMs: 3, role: 'active' });
    expect(timeline).toEqual(['a leads']);

    await a.stop();
    await until(() => b.role === 'active', 'b takes over');
    expect(timeline).toEqual(['a leads', 'a stops: stopping', 'b leads']);
    expect([a.termsLed, b.termsLed]).toEqual([1, 1]);
    await b.stop();
    expect(await holderPid(pool, k)).toBeUndefined();
  });

  it('a leader whose lock session is ended stops at once, before anyone leads again, and the lock is taken again', async () => {
    const { timeline, k, a, b } = await leaderAndStandby();
    const pid = await holderPid(other, k);
    expect(pid).toBeDefined();

    await other.query('SELECT pg_terminate_backend($1)', [pid]);
    await until(() => timeline.length === 3, 'someone leads again');
    // Whichever instance tried first leads now (a's own retry may win); never two at once.
    expect(timeline.slice(0, 2)).toEqual(['a leads', 'a stops: lost']);
    expect(['a leads', 'b leads']).toContain(timeline[2]);
    expect([a.role, b.role].filter((role) => role === 'active')).toHaveLength(1);
    expect(await holderPid(other, k)).not.toBe(pid);
    await b.stop();
    await a.stop();
  });

  it('a leader cut off from the database without any socket closing stops within its lease; the lock is freed only after', async () => {
    const link = await CuttableLink.open(new URL(databaseUrl));
    const linked = new Pool({ connectionString: link.url, max: 2 });
    linked.on('error', () => undefined);
    try {
      const { timeline, a, b } = await leaderAndStandby(linked, { leaseMs: 600, heartbeatIntervalMs: 100 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(b.role).toBe('standby');

      link.cut();
      await until(() => b.role === 'active', 'b takes over once the server ends the silent session', 15_000);
      // The server ended a's session (idle_session_timeout, twice the lease) after a had stopped.
      expect(timeline).toEqual(['a leads', 'a stops: lost', 'b leads']);
      expect(a.role).toBe('standby');
      await b.stop();
      const stopped = a.stop();
      await link.close();
      await stopped;
    } finally {
      await link.close().catch(() => undefined);
      await linked.end().catch(() => undefined);
    }
  });

  it('work that fails ends the election with its error and lets the lock go', async () => {
    let fail: (error: Error) => void = () => undefined;
    const failure = new Promise<void>((_, reject) => (fail = reject));
    failure.catch(() => undefined);
    const { timeline, a, b } = await leaderAndStandby(pool, { fail: failure });
    fail(new Error('projection failed'));
    await expect(a.closed).rejects.toThrow('projection failed');
    await until(() => b.role === 'active', 'b takes over');
    // What still ran of a's work was stopped before b could lead.
    expect(timeline).toEqual(['a leads', 'a stops: lost', 'b leads']);
    expect(a.health(() => ({ ready: true, database: 'up' }))).toMatchObject({ ready: false, role: 'standby' });
    await b.stop();
  });

  it('refuses a heartbeat that is not shorter than the lease', () => {
    expect(() => new LeaderElection({ pool, key: key(), heartbeatIntervalMs: 1_000, leaseMs: 1_000 }, async () => ({ closed: Promise.resolve(), stop: async () => undefined }))).toThrow(
      'heartbeatIntervalMs (1000) must be shorter than leaseMs (1000)',
    );
  });
});
