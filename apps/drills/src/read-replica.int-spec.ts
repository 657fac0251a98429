/**
 * Drill: the status API answers lookups from a hot standby of the read models' database
 * (streaming replication from a primary of the test's own). Holding the standby's replay still
 * shows where the answers come from (a case projected on the primary is not found through the
 * API until the standby replays it) and what the API reports meanwhile: how stale its data
 * may be, on `/metrics` and in readiness, which goes down past the allowed lag and up again.
 */
import { Pool } from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { aCaseHistory, aReceiptNumber, storedCaseEvent } from '@case-status/messaging/testing';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { Metrics } from '@case-status/http-support';
import { ProjectionRunner } from '@case-status/projection-runner';
import { startStatusApi } from '@case-status/public-api';
import { caseReadModels } from '@case-status/read-models';
import { PrivatePostgresCluster } from '@case-status/postgres-support/testing';

jest.setTimeout(60_000);

const MAX_LAG_MS = 1_500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what} (last: ${JSON.stringify(value)})`);
    await sleep(50);
  }
}

describe('lookups served from a read replica', () => {
  let primary: PrivatePostgresCluster;
  let standby: PrivatePostgresCluster;
  let pool: Pool;
  let standbyPool: Pool;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let api: Awaited<ReturnType<typeof startStatusApi>>;

  beforeAll(async () => {
    primary = await PrivatePostgresCluster.create();
    standby = await PrivatePostgresCluster.createStandby(primary);
    pool = new Pool({ connectionString: primary.url(), max: 4 });
    standbyPool = new Pool({ connectionString: standby.url(), max: 1 });
    store = await createPostgresEventStore({ connection: pool });
    runner = new ProjectionRunner(caseReadModels, { pool, source: store, lagLogIntervalMs: 0 });
    await runner.init();
    api = await startStatusApi({
      databaseUrl: primary.url(),
      readReplica: { url: standby.url(), maxLagMs: MAX_LAG_MS },
      readModelSchema: caseReadModels.schema,
      caseworkerKeys: {},
      rateLimit: { max: 1_000, timeWindow: 60_000 },
      metrics: new Metrics({ processMetrics: false }),
      port: 0,
      host: '127.0.0.1',
      ops: { port: 0, host: '127.0.0.1' },
      logger: false,
    });
  });

  afterAll(async () => {
    await api?.stop();
    await store?.close();
    await Promise.all([pool?.end(), standbyPool?.end()]);
    await standby?.destroy();
    await primary?.destroy();
  });

  /** A case's history (the first `events` of it, all by default) appended on the primary and projected there. */
  async function aProjectedCase(events = 6): Promise<string> {
    const receiptNumber = aReceiptNumber();
    await store.appendToStream(`case-USCIS-${receiptNumber}`, aCaseHistory(receiptNumber).slice(0, events).map((body) => storedCaseEvent(body)), { expectedRevision: 'no_stream' });
    await runner.catchUp();
    return receiptNumber;
  }

  const statusThroughApi = async (receiptNumber: string): Promise<string | null> => {
    const answer = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode } }', variables: { r: receiptNumber } }),
    });
    const body = (await answer.json()) as { data?: { caseStatus: { statusCode: string } | null }; errors?: unknown };
    if (!body.data) throw new Error(`lookup failed: ${JSON.stringify(body.errors)}`);
    return body.data.caseStatus?.statusCode ?? null;
  };
  const statusOnPrimary = async (receiptNumber: string): Promise<string | null> =>
    (await pool.query<{ status_code: string }>(`SELECT status_code FROM ${caseReadModels.schema}.case_status WHERE receipt_number = $1`, [receiptNumber])).rows[0]?.status_code ?? null;
  const readiness = async () => {
    const answer = await fetch(`${api.opsUrl}/health/ready`);
    return { status: answer.status, replica: ((await answer.json()) as { details: Record<string, { status: string; detail?: string; lagMs?: number; standby?: boolean }> }).details['read-replica'] };
  };
  const lagSeconds = async (): Promise<number> => {
    const text = await (await fetch(`${api.opsUrl}/metrics`)).text();
    const match = /^case_status_read_replica_lag_seconds (\S+)$/m.exec(text);
    if (!match) throw new Error('no case_status_read_replica_lag_seconds on /metrics');
    return Number(match[1]);
  };

  it('answers from the standby once it has replayed a case, and is ready while it keeps up', async () => {
    const receiptNumber = await aProjectedCase();
    const status = await statusOnPrimary(receiptNumber);
    expect(status).not.toBeNull();
    await eventually(() => statusThroughApi(receiptNumber), (answer) => answer === status, 'the case visible through the API');
    const ready = await eventually(readiness, (answer) => answer.status === 200, 'ready');
    expect(ready.replica).toMatchObject({ status: 'up', standby: true, streaming: true, lagMs: 0 });
    expect(await lagSeconds()).toBe(0);
  });

  it('while the standby holds still, does not see what the primary projected, reports its staleness and goes unready past the allowed lag; then catches up', async () => {
    await standbyPool.query('SELECT pg_wal_replay_pause()');
    try {
      const receiptNumber = await aProjectedCase();
      expect(await statusOnPrimary(receiptNumber)).not.toBeNull();
      // The primary has it; the API, reading the standby, does not.
      expect(await statusThroughApi(receiptNumber)).toBeNull();
      const unready = await eventually(readiness, (answer) => answer.status === 503, 'unready past the allowed lag');
      expect(unready.replica).toMatchObject({ status: 'down', standby: true, maxLagMs: MAX_LAG_MS });
      expect(unready.replica.detail).toMatch(/^\d+ ms behind the primary \(at most 1500 ms while ready\)$/);
      expect(await lagSeconds()).toBeGreaterThan(MAX_LAG_MS / 1000);
      expect(await statusThroughApi(receiptNumber)).toBeNull();

      await standbyPool.query('SELECT pg_wal_replay_resume()');
      await eventually(() => statusThroughApi(receiptNumber), (answer) => answer !== null, 'the case visible through the API after replay resumed');
      await eventually(readiness, (answer) => answer.status === 200, 'ready again');
      expect(await lagSeconds()).toBe(0);
    } finally {
      await standbyPool.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
    }
  });

  it('pushes a change to live subscribers only once the standby shows it, never the status it replaces', async () => {
    const receiptNumber = await aProjectedCase(1);
    await eventually(() => statusThroughApi(receiptNumber), (answer) => answer !== null, 'the new case on the standby');
    const client = createClient({ url: `${api.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const updates = client.iterate<{ caseStatusChanged: { revision: string; statusCode: string } }>({
        query: 'subscription ($r: String!) { caseStatusChanged(receiptNumber: $r) { revision statusCode } }',
        variables: { r: receiptNumber },
      });
      const first = updates.next();
      await sleep(300); // the subscription is registered
      await standbyPool.query('SELECT pg_wal_replay_pause()');
      const [, reviewStarted] = aCaseHistory(receiptNumber);
      await store.appendToStream(`case-USCIS-${receiptNumber}`, [storedCaseEvent(reviewStarted)], { expectedRevision: 0n });
      await runner.catchUp();
      const onPrimary = await statusOnPrimary(receiptNumber);
      // The primary announced the change; the standby, paused, still has the old status.
      await sleep(500);
      expect(await statusThroughApi(receiptNumber)).not.toBe(onPrimary);
      await standbyPool.query('SELECT pg_wal_replay_resume()');
      expect((await first).value).toEqual({ data: { caseStatusChanged: { revision: '1', statusCode: onPrimary } } });
      await updates.return?.();
    } finally {
      await standbyPool.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
      await client.dispose();
    }
  });
});
