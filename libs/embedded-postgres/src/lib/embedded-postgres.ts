import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgresOptions {
  /** Directory that keeps the database between runs; in memory when absent. */
  dataDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Connections the wire-protocol server accepts at once (they share one PGlite session). */
  maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** A `postgres://` URL for the `pg` driver: the same adapters and migrations as a real server. */
  connectionString: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM (PGlite), served over the PostgreSQL wire protocol on
 * 127.0.0.1, so the platform's ordinary `pg` code runs on it unchanged with nothing to
 * install. PGlite is one session: the server queues statements from all connections and runs
 * an open transaction's statements before anyone else's. Notifications reach only the
 * connection whose statement produced them, so LISTEN-based wake-ups fall back to polling.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: options.port ?? 0, maxConnections: options.maxConnections ?? 32 });
  await server.start();
  return {
    // getServerConn() answers host:port with the port actually bound.
    connectionString: `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
