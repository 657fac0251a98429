import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { DEFAULT_WIRE_SERVER_LIMITS, PGliteWireServer, type WireServerOptions } from './wire-server';

export interface EmbeddedPostgresOptions {
  /** Directory that keeps the database between runs; in memory when absent. */
  dataDir?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Connections the wire-protocol server accepts at once (they share one PGlite session). */
  maxConnections?: number;
  /**
   * How long one client may keep the shared session, and how much it may send; defaults in
   * DEFAULT_WIRE_SERVER_LIMITS (10 s idle in a transaction, 60 s per transaction, 10 s to send
   * the startup message, 64 MiB per message). See WireServerOptions.
   */
  limits?: Partial<Pick<WireServerOptions, keyof typeof DEFAULT_WIRE_SERVER_LIMITS>>;
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
  const server = new PGliteWireServer(db, { host, port: options.port ?? 0, maxConnections: options.maxConnections ?? 32, ...DEFAULT_WIRE_SERVER_LIMITS, ...definedOnly(options.limits) });
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

function definedOnly<T extends object>(values: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(values ?? {}).filter(([, value]) => value !== undefined)) as Partial<T>;
}
