/**
 * Drill: PostgreSQL restarts (`pg_ctl restart -m fast`, as `pg_ctlcluster ... restart` does)
 * while agencies keep appending. The projection runner, the relay (to the notifier in
 * process) and the notifier run on one pool against a server of the test's own; nothing is
 * restarted but the database. Afterwards every part is still the one that started, the read
 * models equal a rebuild from the events, every status change reached the notifier exactly
 * once, and every part's readiness went red and back to green.
 */
import { Pool } from 'pg';
import { comparePositions, formatPosition, type GlobalPosition } from '@case-status/event-contract';
import { createPostgresEventStore } from '@case-status/event-store';
import { RecordingLogger } from '@case-status/logging';
import { CaseStatusRelay, PostgresRelayCheckpoints, StatusChangeDetector, type CaseStatusChange, type CaseStatusPublisher } from '@case-status/messaging';
import { Notifier } from '@case-status/notifications';
import { InProcessCaseStatusPublisher } from '@case-status/platform';
import { ProjectionRunner } from '@case-status/projection-runner';
import { caseReadModels } from '@case-status/read-models';
import type { ComponentHealth } from '@case-status/postgres-support';
import { PrivatePostgresCluster } from '@case-status/postgres-support/testing';
import { agency, eventually, tables } from './support/drill-kit';

jest.setTimeout(60_000);

const CASES = 24;

/** Tells whether a promise has settled, without waiting for it. */
function watch(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

/** The relay's publisher in the drill: the notifier in process, and a record of what it acknowledged. */
class Acknowledged implements CaseStatusPublisher {
  readonly ids: string[] = [];
  constructor(private readonly inner: CaseStatusPublisher) {}
  async publish(changes: readonly CaseStatusChange[]): Promise<void> {
    await this.inner.publish(changes);
    this.ids.push(...changes.map((change) => change.attributes.id));
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('a PostgreSQL restart while agencies append', () => {
  let cluster: PrivatePostgresCluster;
  let pool: Pool;

  beforeAll(async () => {
    cluster = await PrivatePostgresCluster.create();
    pool = new Pool({ connectionString: cluster.url(), max: 12 });
  });

  afterAll(async () => {
    await pool?.end();
    await cluster?.destroy();
  });

  it('costs seconds of readiness: every part carries on by itself, nothing is lost or applied twice', async () => {
    const logger = new RecordingLogger(process.env['DRILL_LOG'] === '1');
    const store = await createPostgresEventStore({ connection: pool, pollIntervalMs: 50, logger });
    const runner = new ProjectionRunner(caseReadModels, { pool, source: store, wakeChannel: store.appendChannel, pollIntervalMs: 50, lagLogIntervalMs: 0, logger });
    await runner.init();
    const runnerEnded = watch(runner.start());

    const notifier = new Notifier({
      pool,
      email: { send: async () => undefined, close: () => undefined },
      publicBaseUrl: 'http://127.0.0.1:3003',
      worker: { pollIntervalMs: 50, concurrency: 2 },
      logger,
    });
    await notifier.start();
    const publisher = new Acknowledged(new InProcessCaseStatusPublisher(notifier));
    const checkpoints = new PostgresRelayCheckpoints({ pool, schema: 'kafka_relay' });
    await checkpoints.migrate();
    const relay = await CaseStatusRelay.start({ source: store, publisher, checkpoints, retryDelayMs: { initial: 50, max: 1_000 }, logger });
    const relayEnded = watch(relay.closed);

    // Readiness of each part, sampled while the drill runs: what a /health/ready endpoint would answer.
    const parts: Record<string, () => ComponentHealth> = { projector: () => runner.health(), relay: () => relay.health(), notifier: () => notifier.health() };
    const seen: Record<string, boolean[]> = { projector: [], relay: [], notifier: [] };
    const sampler = setInterval(() => {
      for (const [name, health] of Object.entries(parts)) {
        const ready = health().ready;
        const trail = seen[name];
        if (trail[trail.length - 1] !== ready) trail.push(ready);
      }
    }, 10);

    try {
      await drill();
    } finally {
      clearInterval(sampler);
      await relay.stop();
      await runner.stop();
      await notifier.stop();
      await store.close();
    }

    async function drill(): Promise<void> {
    const failures = { count: 0 };
    const agencies = Promise.all([agency(store, CASES / 2, failures), agency(store, CASES / 2, failures)]);
    // Restart once the agencies are well under way and every part has done some work.
    await eventually(async () => publisher.ids.length >= 10 && (await store.readAll({ maxCount: 1_000 })).length >= 40, 'appends under way');
    await cluster.restart('fast');
    await agencies;

    // readAll withholds events while an older transaction (the projector's, say) is still open.
    await eventually(async () => (await store.readAll()).length >= CASES * 6, 'every appended event readable');
    const all = await store.readAll();
    expect(all).toHaveLength(CASES * 6);
    const head: GlobalPosition = all[all.length - 1].position;
    await eventually(() => relay.checkpoint !== undefined && comparePositions(relay.checkpoint, head) === 0, `relay at ${formatPosition(head)}`);
    await eventually(() => runner.checkpoint === formatPosition(head), `projection at ${formatPosition(head)}`);
    await eventually(() => Object.values(parts).every((health) => health().ready), 'every part ready again');
    clearInterval(sampler);

    // The agencies met the restart and sent again; the same parts are still running.
    expect(failures.count).toBeGreaterThan(0);
    expect(runnerEnded()).toBe(false);
    expect(relayEnded()).toBe(false);
    // Readiness went red during the restart and is green again.
    for (const [name, trail] of Object.entries(seen)) {
      expect({ name, first: trail[0], red: trail.includes(false), last: trail[trail.length - 1] }).toEqual({ name, first: true, red: true, last: true });
    }
    expect(logger.lines.some((line) => line.includes('database unreachable') || line.includes('cannot be reached'))).toBe(true);

    // The read models equal a rebuild from the events.
    const rebuilt = new ProjectionRunner(caseReadModels, { pool, source: store, schema: 'read_models_rebuilt', lagLogIntervalMs: 0 });
    await rebuilt.init();
    await rebuilt.catchUp();
    expect(await tables(pool, caseReadModels.schema)).toEqual(await tables(pool, 'read_models_rebuilt'));

    // Every status change was published once, none skipped, none twice; the notifier recorded each.
    const detector = new StatusChangeDetector(store);
    const expected: string[] = [];
    for (const event of all) if (await detector.changeFor(event)) expected.push(event.id);
    expect([...publisher.ids].sort()).toEqual([...expected].sort());
    const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM notifications.events ORDER BY event_id');
    expect(rows.map((row) => row.event_id)).toEqual([...expected].sort());
    }
  });
});
