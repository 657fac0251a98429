import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { caseReadModels } from '@case-status/read-models';
import { ProjectionRunner, rebuildProjection } from '@case-status/projection-runner';
import { append, connectionString, dropSchemas, ev, newStore, Pool, received, snapshotTables, uniqueSchema } from './read-model-test-kit';

// Starting the projector through SWC takes a few seconds of the budget.
jest.setTimeout(60_000);

const workspaceRoot = join(__dirname, '../../..');
const pool = new Pool({ connectionString, max: 6 });
const prefix = uniqueSchema('crash');
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  await dropSchemas(pool, prefix);
  await pool.end();
});

/** Runs the real projector app in its own process group, so SIGKILL reaches the node process behind run-ts. */
function startProjector(env: Record<string, string>): { process: ChildProcess; paused: Promise<string> } {
  const started = spawn(process.execPath, ['tools/run-ts.mjs', 'apps/projector/src/main.ts'], {
    cwd: workspaceRoot,
    detached: true,
    env: { ...process.env, DATABASE_URL: connectionString, HEALTH_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const paused = new Promise<string>((resolve, reject) => {
    started.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /PAUSED_IN_BATCH (\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.on('exit', (code) => reject(new Error(`projector exited with ${code} before pausing:\n${output}`)));
  });
  return { process: started, paused };
}

describe('projector killed inside a batch transaction', () => {
  it('restarts from its last committed checkpoint and ends equal to a rebuild from scratch', async () => {
    const eventStoreSchema = `${prefix}_es`;
    const readModelSchema = `${prefix}_rm`;
    const store = await newStore(pool, eventStoreSchema);
    for (let i = 1; i <= 30; i++) {
      const r = `IOE90000000${String(i).padStart(2, '0')}`;
      await append(store, r, [
        received(r, `2026-01-${String((i % 28) + 1).padStart(2, '0')}T09:00:00Z`, { office: i % 2 ? 'NBC' : 'CSC' }),
        ev({ type: 'CaseReviewStarted', data: {} }, '2026-02-01T09:00:00Z'),
      ]);
      if (i % 3 === 0) await append(store, r, [ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, `2026-03-${String((i % 27) + 1).padStart(2, '0')}T09:00:00Z`)]);
    }

    const run = startProjector({
      EVENT_STORE_SCHEMA: eventStoreSchema,
      READ_MODEL_SCHEMA: readModelSchema,
      FEEDBACK_SCHEMA: `${prefix}_fb`,
      WEEKLY_CASE_FLOW_SCHEMA: `${prefix}_wf`,
      SERVED_ESTIMATES_SCHEMA: `${prefix}_sv`,
      PROJECTOR_BATCH_SIZE: '10',
      PROJECTOR_TEST_PAUSE_IN_BATCH: '3',
    });
    child = run.process;
    expect(await run.paused).toBe('3');

    // Two batches committed; the third has written its rows but not committed them.
    const { rows } = await pool.query(`SELECT events_projected::int AS events FROM "${readModelSchema}".checkpoint`);
    expect(rows).toEqual([{ events: 20 }]);
    const exited = new Promise((resolve) => run.process.on('exit', resolve));
    process.kill(-(run.process.pid as number), 'SIGKILL');
    await exited;

    // Restarted (in this process), it waits for the server to roll the dead transaction back, then catches up.
    const restarted = new ProjectionRunner(caseReadModels, { pool, source: store, schema: readModelSchema, batchSize: 7 });
    await restarted.init();
    expect(restarted.lag().position).not.toBe('0:0');
    await restarted.catchUp();

    const fromScratch = `${prefix}_cmp`;
    await rebuildProjection(caseReadModels, { pool, source: store, schema: fromScratch });
    const projected = await snapshotTables(pool, readModelSchema);
    expect(projected).toEqual(await snapshotTables(pool, fromScratch));
    expect(projected.case_status).toHaveLength(30);
    expect(projected.checkpoint).toEqual([expect.objectContaining({ events_projected: '70' })]);
    await store.close();
  });
});
