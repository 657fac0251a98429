export { assertProjectionSchema, type Projection, type ProjectionBatch, type ProjectionSource } from './lib/projection';
export {
  ProjectionRunner,
  /** @public */
  type ProjectionRunnerOptions,
} from './lib/projection-runner';
export {
  rebuildLockKey,
  rebuildProjection,
  /** @public */
  type RebuildOptions,
  /** @public */
  type RebuildResult,
} from './lib/rebuild';
export { Checkpoint, CheckpointMovedError, migrateWithCheckpoint } from './lib/checkpoint';
export { migrateProjection } from './lib/migrate-projection';
export {
  startProjections,
  /** @public */
  type ProjectionsOptions,
  /** @public */
  type RunningProjections,
} from './lib/start-projections';
