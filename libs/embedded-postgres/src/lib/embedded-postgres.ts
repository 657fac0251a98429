import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGliteWireServer } from './wire-server';

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
 * install. PGlite is one session, which all connections share one unit of work at a time
 * (see PGliteWireServer).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const host = '127.0.0.1';
  const server = new PGliteWireServer(db, { host, port: options.port ?? 0, maxConnections: options.maxConnections ?? 32 });
  let port: number;
  try {
    port = await server.listen();
  } catch (error) {
    await db.close();
    throw error;
  }
  return {
    connectionString: `postgres://postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
