import { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '@case-status/embedded-postgres';
import { isoFromDay } from '@case-status/processing-time';
import { InMemoryProjectionSource } from '../testing/in-memory-projection-source';
import { countedCases, estimateScenario, estimatorsAnswer } from '../testing/estimate-scenario';
import { migrateProjection, ProjectionRunner } from '@case-status/projection-runner';
import { caseReadModels } from './apply-batch';
import { PostgresReadModels } from './postgres-read-models';
import { READ_MODEL_MIGRATIONS } from './read-model.migrations';

// The read models' migrations, projection, estimate query and record of served estimates on the embedded PGlite server
// that `npm start` runs on: one WASM session shared by every connection.
jest.setTimeout(60_000);

let embedded: EmbeddedPostgres;
let pool: Pool;
const scenario = estimateScenario({ seed: 3, cases: 200 });
const source = new InMemoryProjectionSource();
for (const c of scenario.cases) source.append('USCIS', c.receiptNumber, c.events);

beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
  pool = new Pool({ connectionString: embedded.connectionString, max: 4 });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await embedded?.stop();
}, 30_000);

describe('estimate counts and the record of served estimates on embedded PostgreSQL', () => {
  it('migrate, project and answer the estimate the estimator gives', async () => {
    const projector = new ProjectionRunner(caseReadModels, { pool, source, schema: 'read_models', batchSize: 100 });
    await projector.init();
    await projector.catchUp();
    // The platform reads through a single connection, where named statements must not collide.
    const readPool = new Pool({ connectionString: embedded.connectionString, max: 1 });
    const queries = new PostgresReadModels({ connection: readPool, schema: 'read_models' });
    try {
      const pending = countedCases(scenario).filter((c) => c.observation.decidedAt === null).slice(0, 5);
      expect(pending).toHaveLength(5);
      for (const c of pending) {
        const served = await queries.caseEstimate(c.receiptNumber, new Date(`${isoFromDay(scenario.asOf)}T12:00:00Z`));
        const expected = estimatorsAnswer(scenario, c);
        expect(served?.timeScale).toBe('queue');
        expect(served?.queueProgress).toEqual(expected.queueProgress);
        expect(served?.likelyBy).toEqual(expected.likelyBy);
        expect(served?.eightyPercentBy).toEqual(expected.eightyPercentBy);
        expect(served?.reasons).toEqual(expected.reasons);
        expect(served?.pooled).toBe(expected.pooled);
        expect(served?.queue).toEqual(expected.queue);
        expect(served?.staleness).toEqual(expected.staleness);
      }
    } finally {
      await readPool.end();
    }
  });

  it('rebuild a schema a previous version projected, then carry on', async () => {
    await migrateProjection(pool, { ...caseReadModels, migrations: READ_MODEL_MIGRATIONS.slice(0, 1) }, 'upgraded');
    await pool.query(`UPDATE upgraded.checkpoint SET position = '3:3', events_projected = 3`);
    const projector = new ProjectionRunner(caseReadModels, { pool, source, schema: 'upgraded' });
    await projector.init();
    const { rows } = await pool.query(
      `SELECT (SELECT sum(cases)::int FROM upgraded.estimate_pending) + (SELECT sum(cases)::int FROM upgraded.estimate_durations) AS counted,
              (SELECT rebuild_required FROM upgraded.checkpoint) AS rebuild_required`,
    );
    expect(rows[0]).toEqual({ counted: scenario.cases.filter((c) => c.observation !== null).length, rebuild_required: false });
  });

  it('record, score and publish served estimates there too, as the one-process platform does', async () => {
    // A schema of its own: the session keeps the first test's named statements, whose names carry the schema.
    const projector = new ProjectionRunner(caseReadModels, { pool, source, schema: 'served_read_models', batchSize: 100 });
    await projector.init();
    await projector.catchUp();
    const readPool = new Pool({ connectionString: embedded.connectionString, max: 1 });
    const queries = new PostgresReadModels({ connection: readPool, schema: 'served_read_models', servedSchema: 'served_estimates' });
    try {
      await queries.served.migrate();
      const at = new Date(`${isoFromDay(scenario.asOf)}T12:00:00Z`);
      const recorded = await queries.served.recordDay(at);
      expect(recorded).toBeGreaterThan(0);
      await queries.served.score(new Date(`${isoFromDay(scenario.asOf + 400)}T12:00:00Z`));
      const [month] = await queries.estimateAccuracy('USCIS', scenario.formType);
      expect(month).toMatchObject({ month: isoFromDay(scenario.asOf).slice(0, 7), accuracy: { served: recorded } });
    } finally {
      await readPool.end();
    }
  });
});
