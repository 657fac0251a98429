import type { Pool } from 'pg';
import { formatPosition, parsePosition, type GlobalPosition } from '@case-status/event-contract';

export interface RelayCheckpointStore {
  /** The position of the last event handled and acknowledged downstream; undefined before the first. */
  load(): Promise<GlobalPosition | undefined>;
  save(position: GlobalPosition): Promise<void>;
}

export interface PostgresRelayCheckpointsOptions {
  pool: Pool;
  /** Default `kafka_relay`. */
  schema?: string;
  /** One row per relay; default `case.status-changed.v1`. */
  name?: string;
}

/** Checkpoints in PostgreSQL, `<schema>.checkpoints(name, position text, updated_at)`, position as `formatPosition`. */
export class PostgresRelayCheckpoints implements RelayCheckpointStore {
  readonly schema: string;
  readonly name: string;
  private readonly pool: Pool;

  constructor(options: PostgresRelayCheckpointsOptions) {
    this.pool = options.pool;
    this.schema = options.schema ?? 'kafka_relay';
    this.name = options.name ?? 'case.status-changed.v1';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) {
      throw new TypeError(`checkpoint schema "${this.schema}" must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)`);
    }
    if (this.name.length === 0) throw new TypeError('a relay checkpoint needs a non-empty name');
  }

  /** Creates the schema and table if missing; safe to run from several processes at once. */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // CREATE ... IF NOT EXISTS still races on the catalog's unique index; a lock serialises it.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${this.schema}.checkpoints`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${this.schema}.checkpoints (
           name text PRIMARY KEY,
           position text NOT NULL,
           updated_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async load(): Promise<GlobalPosition | undefined> {
    const { rows } = await this.pool.query<{ position: string }>(`SELECT position FROM ${this.schema}.checkpoints WHERE name = $1`, [this.name]);
    return rows.length === 0 ? undefined : parsePosition(rows[0].position);
  }

  async save(position: GlobalPosition): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.schema}.checkpoints (name, position) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
      [this.name, formatPosition(position)],
    );
  }
}
