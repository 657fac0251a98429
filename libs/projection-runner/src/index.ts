export { assertProjectionSchema, type Projection, type ProjectionBatch, type ProjectionSource } from './lib/projection';
export { ProjectionRunner, type ProjectionLag, type ProjectionRunnerOptions } from './lib/projection-runner';
export { rebuildLockKey, rebuildProjection, RebuildRunningError, type RebuildOptions, type RebuildResult } from './lib/rebuild';
export { Checkpoint, checkpointMigration, CheckpointMovedError, migrateWithCheckpoint, type Queryable, type StoredCheckpoint } from './lib/checkpoint';
export { migrateProjection } from './lib/migrate-projection';
