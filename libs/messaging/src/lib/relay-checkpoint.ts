import type { Pool } from 'pg';
import { comparePositions, type GlobalPosition } from '@case-status/event-contract';
import { guardPool, quoteIdent } from '@case-status/postgres-support';
import { Checkpoint, CheckpointMovedError, migrateWithCheckpoint } from '@case-status/projection-runner';

export interface RelayCheckpointStore {
  /** The position of the last event handled and acknowledged downstream; undefined before the first. */
  load(): Promise<GlobalPosition | undefined>;
  /** Moves it on from where this store last loaded or saved it; CheckpointMovedError if another writer moved it meanwhile. */
  save(position: GlobalPosition, events?: number): Promise<void>;
}

export interface PostgresRelayCheckpointsOptions {
  pool: Pool;
  /** Default `kafka_relay`. */
  schema?: string;
  /** One row per relay; default `case.status-changed.v1`. */
  name?: string;
}

/**
 * The relay's checkpoint, in the same checkpoint table and with the same compare-and-set as
 * the projections' (`<schema>.checkpoint`, @case-status/projection-runner); only its moves are
 * not part of a database transaction: the relay moves it after Kafka acknowledged.
 */
export class PostgresRelayCheckpoints implements RelayCheckpointStore {
  readonly schema: string;
  readonly name: string;
  private readonly pool: Pool;
  private readonly checkpoint: Checkpoint;
  private last: GlobalPosition | undefined;

  constructor(options: PostgresRelayCheckpointsOptions) {
    this.pool = guardPool(options.pool);
    this.schema = options.schema ?? 'kafka_relay';
    this.name = options.name ?? 'case.status-changed.v1';
    this.checkpoint = new Checkpoint(this.schema, this.name);
  }

  /** Creates or migrates the schema; safe to run from several processes at once. */
  async migrate(): Promise<void> {
    await migrateWithCheckpoint(this.pool, this.schema, RELAY_MIGRATIONS);
  }

  async load(): Promise<GlobalPosition | undefined> {
    this.last = (await this.checkpoint.load(this.pool))?.position;
    return this.last;
  }

  async save(position: GlobalPosition, events = 0): Promise<void> {
    try {
      await this.checkpoint.move(this.pool, { from: this.last, to: position, events });
    } catch (error) {
      // An attempt whose answer the connection lost (a database restart) may have committed:
      // finding the checkpoint exactly where this save puts it is that, not another relay.
      if (!(error instanceof CheckpointMovedError)) throw error;
      const stored = (await this.checkpoint.load(this.pool))?.position;
      if (!stored || comparePositions(stored, position) !== 0) throw error;
    }
    this.last = position;
  }
}

const RELAY_MIGRATIONS = [
  {
    version: 1,
    name: 'positions of earlier releases carried over',
    // Earlier releases kept `<schema>.checkpoints(name, position, updated_at)`.
    sql: (schema: string) => {
      const s = quoteIdent(schema);
      return `
        DO $$ BEGIN
          IF to_regclass('${s}.checkpoints') IS NOT NULL THEN
            INSERT INTO ${s}.checkpoint (projection, position) SELECT name, position FROM ${s}.checkpoints ON CONFLICT (projection) DO NOTHING;
            DROP TABLE ${s}.checkpoints;
          END IF;
        END $$;
      `;
    },
  },
];
