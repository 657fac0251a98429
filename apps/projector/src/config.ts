import { integer, readConfig, text } from '@case-status/config';

export interface ProjectorConfig {
  databaseUrl: string;
  eventStoreSchema: string;
  readModelSchema: string;
  /** Schema of the survey results (`libs/feedback`), projected by the same process with its own checkpoint. */
  feedbackSchema: string;
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
  const settings = readConfig(
    {
      DATABASE_URL: text('postgres://postgres@127.0.0.1:5432/case_status'),
      EVENT_STORE_SCHEMA: text('event_store'),
      READ_MODEL_SCHEMA: text('read_models'),
      FEEDBACK_SCHEMA: text('feedback'),
      PROJECTOR_BATCH_SIZE: integer({ fallback: 500 }),
      PROJECTOR_LAG_LOG_MS: integer({ fallback: 10_000 }),
      PROJECTOR_TEST_PAUSE_IN_BATCH: integer(),
    },
    env,
  );
  return {
    databaseUrl: settings.DATABASE_URL,
    eventStoreSchema: settings.EVENT_STORE_SCHEMA,
    readModelSchema: settings.READ_MODEL_SCHEMA,
    feedbackSchema: settings.FEEDBACK_SCHEMA,
    batchSize: settings.PROJECTOR_BATCH_SIZE,
    lagLogIntervalMs: settings.PROJECTOR_LAG_LOG_MS,
    pauseInBatch: settings.PROJECTOR_TEST_PAUSE_IN_BATCH,
  };
}
