import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pool, PoolClient } from 'pg';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 binaries unless `PG_BIN_DIR` names others. */
const binDir = () => process.env['PG_BIN_DIR'] ?? '/usr/lib/postgresql/15/bin';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * A PostgreSQL server of a test's own, in a temporary directory on a free loopback port, for
 * tests that stop or restart the database: never the shared server other tests use. initdb and
 * the server refuse to run as root, so as root they run as the `postgres` OS user, which owns
 * the directory. About a second to create; `destroy()` stops it and deletes everything.
 */
export class PrivatePostgresCluster {
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly asUser: { uid: number; gid: number } | undefined,
  ) {}

  static async create(): Promise<PrivatePostgresCluster> {
    const cluster = await PrivatePostgresCluster.allocate();
    await cluster.pg('initdb', ['-D', cluster.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await cluster.start();
    return cluster;
  }

  /**
   * A hot standby of `primary`, streaming from it (`pg_basebackup -R`: a base backup, then the
   * WAL as it is written), on a port of its own. Reads only; `pg_wal_replay_pause()` on it holds
   * its data still while the primary moves on.
   */
  static async createStandby(primary: PrivatePostgresCluster): Promise<PrivatePostgresCluster> {
    const cluster = await PrivatePostgresCluster.allocate();
    await cluster.pg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', cluster.dataDir, '-R', '-X', 'stream', '--no-sync']);
    await cluster.start();
    return cluster;
  }

  private static async allocate(): Promise<PrivatePostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'case-status-pg-'));
    let asUser: { uid: number; gid: number } | undefined;
    if (process.getuid?.() === 0) {
      const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
      asUser = { uid: Number(uid.trim()), gid: Number(gid.trim()) };
      chownSync(dir, asUser.uid, asUser.gid);
    }
    return new PrivatePostgresCluster(await freePort(), dir, asUser);
  }

  /** A connection string to `database` (default `postgres`). */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    // Durability is not what these tests are about: no fsync, so a restart takes a moment.
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await this.pg('pg_ctl', ['-D', this.dataDir, '-l', join(this.dir, 'server.log'), '-o', options, '-w', '-t', '30', 'start']);
  }

  /** `fast`: open connections are ended with 57P01 ("terminating connection due to administrator command"), as `pg_ctlcluster restart -m fast` does. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.pg('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
  }

  async restart(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.stop(mode);
    await this.start();
  }

  async destroy(): Promise<void> {
    if (existsSync(join(this.dataDir, 'postmaster.pid'))) await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  private async pg(program: string, args: string[]): Promise<void> {
    const file = join(binDir(), program);
    try {
      if (this.asUser) await run(file, args, { uid: this.asUser.uid, gid: this.asUser.gid, cwd: this.dir, env: { ...process.env, HOME: this.dir } });
      else await run(file, args, { cwd: this.dir });
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${program} failed: ${stderr || stdout || (error as Error).message}`);
    }
  }
}

/**
 * Counts round trips: the first word of every statement the pool's clients send from now on
 * (`BEGIN`, `WITH`, `SELECT` ...), in order. `take()` returns those seen since the last call.
 */
export function statementLog(pool: Pool): { take(): string[] } {
  let seen: string[] = [];
  const patched = new WeakSet<PoolClient>();
  pool.on('acquire', (client) => {
    if (patched.has(client)) return;
    patched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    Object.assign(client, {
      query: (...args: unknown[]) => {
        const [first] = args;
        const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
        seen.push(text.trim().split(/\s+/)[0].toUpperCase());
        return query(...args);
      },
    });
  });
  return {
    take: () => {
      const taken = seen;
      seen = [];
      return taken;
    },
  };
}
