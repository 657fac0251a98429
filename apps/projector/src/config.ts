import { integer, readConfig, text } from '@case-status/config';
import { healthFields } from '@case-status/http-support';
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
  /** The record of served estimates (SERVED_ESTIMATES_SCHEMA, default `served_estimates`): not a projection, never rebuilt. */
  servedSchema: string;
  batchSize: number;
  lagLogIntervalMs: number;
  /**
   * Test hook for the crash test: pause forever inside the N-th batch transaction, after its
   * writes and before its commit, and say so on stdout. Never set in production.
   */
  pauseInBatch: number | undefined;
  /** `/health/*` and `/metrics` (HEALTH_PORT, default 9464). */
  healthPort: number;
  healthHost: string;
  /** A projection further behind than this is not ready (READY_MAX_LAG, ms). */
  readyMaxLagMs: number;
}

/** Reads the environment; every setting is documented in libs/read-models/README.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProjectorConfig {
  const settings = readConfig(
    {
      DATABASE_URL: text('postgres://postgres@127.0.0.1:5432/case_status'),
      EVENT_STORE_SCHEMA: text('event_store'),
      SERVED_ESTIMATES_SCHEMA: text('served_estimates'),
      PROJECTOR_BATCH_SIZE: integer({ fallback: 500 }),
      PROJECTOR_LAG_LOG_MS: integer({ fallback: 10_000 }),
      PROJECTOR_TEST_PAUSE_IN_BATCH: integer(),
      ...healthFields(9464),
    },
    env,
  );
  return {
    databaseUrl: settings.DATABASE_URL,
    eventStoreSchema: settings.EVENT_STORE_SCHEMA,
    schemaOf: ({ name, schema }) => env[SCHEMA_VARIABLES[name] ?? `${name.toUpperCase().replace(/-/g, '_')}_SCHEMA`] || schema,
    servedSchema: settings.SERVED_ESTIMATES_SCHEMA,
    batchSize: settings.PROJECTOR_BATCH_SIZE,
    lagLogIntervalMs: settings.PROJECTOR_LAG_LOG_MS,
    pauseInBatch: settings.PROJECTOR_TEST_PAUSE_IN_BATCH,
    healthPort: settings.HEALTH_PORT,
    healthHost: settings.HEALTH_HOST,
    readyMaxLagMs: settings.READY_MAX_LAG,
  };
}

/** The variables released before projections were named by their own. */
const SCHEMA_VARIABLES: Record<string, string> = { 'case-read-models': 'READ_MODEL_SCHEMA', 'feedback-results': 'FEEDBACK_SCHEMA' };
