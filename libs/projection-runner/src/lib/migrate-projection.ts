import type { Pool } from 'pg';
import { migrateWithCheckpoint } from './checkpoint';
import type { Projection } from './projection';

/** Creates or migrates a projection's schema (its checkpoint table and its own tables) without running it; for readers that start first. */
export function migrateProjection(pool: Pool, projection: Pick<Projection, 'name' | 'schema' | 'migrations'>, schema = projection.schema): Promise<number[]> {
  return migrateWithCheckpoint(pool, schema, projection.migrations, projection.name);
}
