import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { NotifiedPollingLoop } from './notified-polling-loop';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

/** Resolves once `count()` reaches `at least`, or rejects after `ms`. */
async function until(count: () => number, atLeast: number, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (count() < atLeast) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${atLeast}, got ${count()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('NotifiedPollingLoop on real PostgreSQL', () => {
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  const channel = `loop_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

  afterAll(() => pool.end());

  /** A loop that polls once an hour on the channel, each step finding nothing new, after its first step. */
  async function idleLoop() {
    const loop = new NotifiedPollingLoop({ pool, pollIntervalMs: 3_600_000, wakeChannel: channel });
    let count = 0;
    const running = loop.start(async () => {
      count++;
      return 'caught-up';
    });
    const steps = () => count;
    await until(steps, 1);
    return { loop, running, steps };
  }

  it('steps again as soon as a notification arrives, though the poll interval is an hour', async () => {
    const { loop, running, steps } = await idleLoop();
    // Give LISTEN time to be in place; the first step ran after it.
    await pool.query(`SELECT pg_notify($1, 'appended')`, [channel]);
    await until(steps, 2);
    await pool.query(`SELECT pg_notify($1, 'appended')`, [channel]);
    await until(steps, 3);
    await loop.stop();
    await expect(running).resolves.toBeUndefined();
    expect(loop.isRunning).toBe(false);
    // Stopped: a notification starts nothing, and the wake-up connection went back to the pool.
    await pool.query(`SELECT pg_notify($1, 'appended')`, [channel]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(steps()).toBe(3);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('does not lose a notification that arrives while a step runs', async () => {
    const loop = new NotifiedPollingLoop({ pool, pollIntervalMs: 3_600_000, wakeChannel: channel });
    let steps = 0;
    const running = loop.start(async () => {
      steps++;
      // The append lands while this step is reading.
      if (steps === 2) await pool.query(`SELECT pg_notify($1, 'appended')`, [channel]).then(() => new Promise((resolve) => setTimeout(resolve, 50)));
      return 'caught-up';
    });
    await until(() => steps, 1);
    await pool.query(`SELECT pg_notify($1, 'appended')`, [channel]);
    await until(() => steps, 3);
    await loop.stop();
    await running;
  });

  it('keeps stepping while there is more, and polls without a channel', async () => {
    const loop = new NotifiedPollingLoop({ pool, pollIntervalMs: 20 });
    const calls: boolean[] = [];
    const running = loop.start(async () => {
      const more = calls.length < 3;
      calls.push(more);
      return more ? 'more' : 'caught-up';
    });
    await until(() => calls.length, 6);
    await loop.stop();
    await running;
    expect(calls.slice(0, 6)).toEqual([true, true, true, false, false, false]);
  });

  it('reads again soon, backing off, when a notification is followed by a read that finds nothing', async () => {
    const loop = new NotifiedPollingLoop({ pool, pollIntervalMs: 3_600_000, wakeChannel: channel });
    let steps = 0;
    // The first step after the notification finds nothing (a transaction elsewhere holds readers back).
    const running = loop.start(async () => (++steps === 1 ? 'caught-up' : steps === 2 ? 'nothing' : 'caught-up'));
    await until(() => steps, 1);
    await pool.query(`SELECT pg_notify($1, 'appended')`, [channel]);
    // Without the retry the third step would wait an hour.
    await until(() => steps, 3, 2_000);
    await loop.stop();
    await running;
  });

  it('stops an idle loop without waiting out its poll interval', async () => {
    const { loop, running, steps } = await idleLoop();
    // Were the hour-long sleep not cut short, this would outlast the test's timeout.
    await loop.stop();
    await expect(running).resolves.toBeUndefined();
    expect(steps()).toBe(1);
  });

  it('rejects with the error of a failing step, and refuses a second start while running', async () => {
    const loop = new NotifiedPollingLoop({ pool, pollIntervalMs: 10 });
    const running = loop.start(() => Promise.reject(new Error('the batch did not commit')));
    expect(() => loop.start(async () => 'caught-up')).toThrow('already running');
    await expect(running).rejects.toThrow('the batch did not commit');
    await loop.stop();
    expect(() => new NotifiedPollingLoop({ pool, pollIntervalMs: Number.NaN })).toThrow('pollIntervalMs');
  });
});
