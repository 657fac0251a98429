import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { Metrics } from '@case-status/http-support';
import { RecordingLogger } from '@case-status/logging';
import { measureRelay, startRelay, type CaseStatusChange, type CaseStatusPublisher, type RunningRelay } from '@case-status/messaging';
import { aCaseHistory, aReceiptNumber, storedCaseEvent, testDatabaseUrl } from './fixtures/test-support';

jest.setTimeout(60_000);

const suffix = randomBytes(4).toString('hex');
const eventSchema = `elected_relay_${suffix}_events`;
const checkpointSchema = `elected_relay_${suffix}_ckpt`;
// Each instance has its own pool, as each process would.
const pools = [new Pool({ connectionString: testDatabaseUrl(), max: 5 }), new Pool({ connectionString: testDatabaseUrl(), max: 5 })];
const stores: PostgresEventStore[] = [];
const election = { retryIntervalMs: 50, heartbeatIntervalMs: 100, leaseMs: 1_000 };

afterAll(async () => {
  for (const store of stores) await store.close();
  for (const schema of [eventSchema, checkpointSchema]) await pools[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await Promise.all(pools.map((pool) => pool.end()));
});

async function until(condition: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A publisher that keeps the ids it acknowledged. */
function recording(): CaseStatusPublisher & { ids: string[] } {
  const ids: string[] = [];
  return {
    ids,
    publish: async (changes: readonly CaseStatusChange[]) => void ids.push(...changes.map((change) => change.attributes.id)),
    close: async () => undefined,
  };
}

/** Appends a case's six events; returns the ids of the five that change its public status. */
async function appendCase(store: PostgresEventStore): Promise<string[]> {
  const receiptNumber = aReceiptNumber();
  const events = aCaseHistory(receiptNumber).map((body) => storedCaseEvent(body));
  for (const [index, event] of events.entries()) {
    await store.appendToStream(`case-USCIS-${receiptNumber}`, [event], { expectedRevision: index === 0 ? 'no_stream' : BigInt(index - 1) });
  }
  return events.filter((_, index) => index !== 3).map((event) => event.id);
}

describe('two relays elected on one checkpoint', () => {
  it('one relays, the other stands by ready; a leader whose lock session ends halts at once and the relaying carries on from the checkpoint', async () => {
    const instances: { relay: RunningRelay; publisher: ReturnType<typeof recording>; logger: RecordingLogger; metrics: Metrics }[] = [];
    for (const pool of pools) {
      const store = await createPostgresEventStore({ connection: pool, schema: eventSchema, pollIntervalMs: 50 });
      stores.push(store);
      const publisher = recording();
      const logger = new RecordingLogger();
      const relay = await startRelay({ pool, source: store, publisher, checkpointSchema, logger, election });
      const metrics = new Metrics({ processMetrics: false });
      measureRelay(metrics, relay);
      instances.push({ relay, publisher, logger, metrics });
      if (instances.length === 1) await until(() => relay.election?.role === 'active', 'the first relay leads');
    }
    const [a, b] = instances;
    try {
      expect(b.relay.health()).toEqual({ ready: true, database: 'up', role: 'standby' });
      expect(a.relay.health()).toMatchObject({ ready: true, role: 'active' });
      expect(await a.metrics.scrape()).toContain('leader_active{role="relay"} 1');
      expect(await b.metrics.scrape()).toContain('leader_active{role="relay"} 0');

      const first = await appendCase(stores[0]);
      await until(() => a.publisher.ids.length === first.length, 'the leader relays the first case');
      expect(b.publisher.ids).toEqual([]);

      // The leader's lock session ends (a failover, an operator, a network device).
      const { rows } = await pools[1].query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = hashtextextended($1, 0)`,
        [`case-status/leader/relay/${checkpointSchema}/case.status-changed.v1`],
      );
      expect(rows).toHaveLength(1);
      await pools[1].query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await until(() => a.logger.lines.some((line) => line.includes('no longer the leader')), 'the leader notices');
      await until(() => [a, b].some((instance) => instance.relay.election?.role === 'active'), 'one leads again');

      const second = await appendCase(stores[0]);
      const published = () => [...a.publisher.ids, ...b.publisher.ids];
      await until(() => second.every((id) => published().includes(id)), 'the second case is relayed');
      // Nothing was in flight at the cut: each change was published once, by whichever led.
      expect([...published()].sort()).toEqual([...first, ...second].sort());
      expect([a, b].filter((instance) => instance.relay.election?.role === 'active')).toHaveLength(1);
      expect([a.relay.health().ready, b.relay.health().ready]).toEqual([true, true]);
      expect(a.relay.publishedCount + b.relay.publishedCount).toBe(first.length + second.length);
    } finally {
      await Promise.all(instances.map((instance) => instance.relay.stop()));
    }
    await expect(Promise.all(instances.map((instance) => instance.relay.closed))).resolves.toBeDefined();
  });
});
