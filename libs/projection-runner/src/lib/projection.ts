import type { PoolClient } from 'pg';
import type { GlobalPosition, RecordedEvent } from '@case-status/event-contract';
import { assertSchemaName, type SchemaMigration } from '@case-status/postgres-support';

/**
 * What a runner needs from the event store: `readAll` in global order with a stream prefix
 * filter, over the shared stored-event contract. `EventStore` from @case-status/event-store
 * satisfies it as is; the app passes one in.
 */
export interface ProjectionSource {
  readAll(options: { after?: GlobalPosition; maxCount?: number; streamPrefixes?: string[] }): Promise<RecordedEvent[]>;
}

export interface ProjectionBatch {
  /** The schema to write in: the live one, or a rebuild's build schema. */
  schema: string;
  /**
   * The schema readers will find these rows under once the transaction commits; undefined
   * while a rebuild writes into a schema nobody reads yet (so nothing is announced twice).
   */
  liveSchema: string | undefined;
}

/**
 * A projection is its domain logic: which events it wants, the tables it keeps and how one
 * batch of events changes them. Everything else (reading, checkpointing in the same
 * transaction, compare-and-set, rebuild-and-swap, wake-ups, lag, logging) is the runner's.
 */
export interface Projection {
  /** Its checkpoint row; never renamed once released (a new name starts from scratch). */
  readonly name: string;
  /** The schema it lives in unless the runner is given another; at most 40 characters. */
  readonly schema: string;
  /** Streams whose events it reads, by id prefix. */
  readonly streamPrefixes: readonly string[];
  /** If set, only events of these types reach `apply`; the checkpoint passes the others too. */
  readonly eventTypes?: readonly string[];
  /** Its tables, from version 1 up; append only. Version 0 is the runner's checkpoint table. */
  readonly migrations: readonly SchemaMigration[];
  /**
   * Applies a batch (in global order, never empty) inside the transaction that also moves the
   * checkpoint: whatever it writes commits with the checkpoint or not at all.
   */
  apply(tx: PoolClient, events: readonly RecordedEvent[], batch: ProjectionBatch): Promise<void>;
}

/** Schema names end up in SQL text; a rebuild appends `_build_<13 digits>`, which must stay under 63 bytes. */
export function assertProjectionSchema(schema: string): void {
  assertSchemaName(schema, 40);
}
