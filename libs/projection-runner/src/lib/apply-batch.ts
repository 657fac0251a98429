import type { PoolClient } from 'pg';
import type { GlobalPosition, RecordedEvent } from '@case-status/event-contract';
import type { Checkpoint } from './checkpoint';
import type { Projection, ProjectionBatch } from './projection';

/**
 * One batch on a client the caller has put in a transaction. The checkpoint moves first, by
 * compare-and-set from `from`, so the row lock serialises two writers of one schema and the
 * loser learns it (CheckpointMovedError) before writing anything; then the projection writes.
 */
export async function applyBatch(
  tx: PoolClient,
  projection: Projection,
  checkpoint: Checkpoint,
  from: GlobalPosition | undefined,
  events: readonly RecordedEvent[],
  batch: ProjectionBatch,
): Promise<void> {
  const last = events[events.length - 1];
  await checkpoint.move(tx, { from, to: last.position, events: events.length, lastRecordedAt: last.recordedAt });
  const types = projection.eventTypes;
  const wanted = types ? events.filter((event) => types.includes(event.type)) : events;
  if (wanted.length > 0) await projection.apply(tx, wanted, batch);
}
