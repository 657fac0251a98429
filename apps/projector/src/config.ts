import type { Projection } from '@case-status/projection-runner';

export interface ProjectorConfig {
  databaseUrl: string;
  eventStoreSchema: string;
  /**
   * The schema a projection runs in: READ_MODEL_SCHEMA for the case read models,
   * FEEDBACK_SCHEMA for the survey results, `<NAME>_SCHEMA` for any other (e.g.
   * WEEKLY_CASE_FLOW_SCHEMA), else the projection's own default.
   */
  schemaOf(projection: Pick<Projection, 'name' | 'schema'>): string;
  batchSize: number;
  lagLogIntervalMs: number;
  /**
   * Test hook for the crash test: pause forever inside the N-th batch transaction, after its
   * writes and before its commit, and say so on stdout. Never set in production.
   */
  pauseInBatch: number | undefined;
}

/** Reads the environment; every setting is documented in libs/read-models/README.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  return {
    databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status',
    eventStoreSchema: env['EVENT_STORE_SCHEMA'] ?? 'event_store',
    schemaOf: ({ name, schema }) => env[SCHEMA_VARIABLES[name] ?? `${name.toUpperCase().replace(/-/g, '_')}_SCHEMA`] || schema,
    batchSize: positiveInteger(env, 'PROJECTOR_BATCH_SIZE', 500),
    lagLogIntervalMs: positiveInteger(env, 'PROJECTOR_LAG_LOG_MS', 10_000),
    pauseInBatch: env['PROJECTOR_TEST_PAUSE_IN_BATCH'] ? positiveInteger(env, 'PROJECTOR_TEST_PAUSE_IN_BATCH', 1) : undefined,
  };
}

/** The variables released before projections were named by their own. */
const SCHEMA_VARIABLES: Record<string, string> = { 'case-read-models': 'READ_MODEL_SCHEMA', 'feedback-results': 'FEEDBACK_SCHEMA' };

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive whole number, not "${text}"`);
  return value;
}
