import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { RefusalLog } from './refusal-log';
import { RefusalRetention } from './refusal-retention';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const DAY = 86_400_000;

describe('refusal retention, on real PostgreSQL', () => {
  const schema = `refusal_retention_${process.pid}_${Date.now()}`;
  let pool: Pool;
  let store: PostgresEventStore;
  let log: RefusalLog;
  const now = new Date('2026-12-05T09:00:00Z');

  /** Refusals of an agency refused the given number of days before `now`, oldest first. */
  const refuse = async (agency: string, daysAgo: number[]) => {
    for (const days of daysAgo) {
      const detail = `refused ${days} days ago`;
      await log.record(agency, 'system-1', [{ submitted: { eventId: randomUUID() }, problem: { type: '/problems/validation-failed', title: 't', status: 422, detail, code: 'VALIDATION_FAILED' } }]);
      await pool.query(`UPDATE "${schema}".events SET recorded_at = $1 WHERE data->>'detail' = $2`, [new Date(now.getTime() - days * DAY), detail]);
    }
  };
  const kept = async (agency: string) => (await log.list(agency, { limit: 500 })).items.map((item) => item.detail);

  beforeEach(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 4 });
    store = await createPostgresEventStore({ connection: pool, schema });
    log = new RefusalLog(store);
  });

  afterEach(async () => {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('deletes refusals older than the maximum age and keeps the younger ones', async () => {
    await refuse('USCIS', [120, 91, 89, 1]);
    const deleted = await new RefusalRetention({ connection: pool, schema, maxAgeDays: 90 }).prune(now);
    expect(deleted).toBe(2);
    expect(await kept('USCIS')).toEqual(['refused 1 days ago', 'refused 89 days ago']);
  });

  it('keeps at most the newest N refusals per agency, and leaves other agencies and case streams alone', async () => {
    await refuse('USCIS', [5, 4, 3, 2, 1]);
    await refuse('VBA', [5, 4]);
    await store.appendToStream('case-USCIS-IOE0900000001', [{ id: randomUUID(), type: 'CaseReceived', data: { formType: 'I-130' } }], { expectedRevision: 'no_stream' });
    await pool.query(`UPDATE "${schema}".events SET recorded_at = $1 WHERE stream_id LIKE 'case-%'`, [new Date(now.getTime() - 400 * DAY)]);

    expect(await new RefusalRetention({ connection: pool, schema, maxPerAgency: 2 }).prune(now)).toBe(3);
    expect(await kept('USCIS')).toEqual(['refused 1 days ago', 'refused 2 days ago']);
    expect(await kept('VBA')).toEqual(['refused 4 days ago', 'refused 5 days ago']);
    expect(await store.readStream('case-USCIS-IOE0900000001')).toHaveLength(1);
  });

  it('lets new refusals carry on after a prune, and pages through what is kept', async () => {
    await refuse('USCIS', [200, 200, 3, 2]);
    await new RefusalRetention({ connection: pool, schema }).prune(now);
    await refuse('USCIS', [0]);
    const first = await log.list('USCIS', { limit: 2 });
    expect(first.items.map((item) => [item.sequence, item.detail])).toEqual([
      ['4', 'refused 0 days ago'],
      ['3', 'refused 2 days ago'],
    ]);
    const second = await log.list('USCIS', { limit: 2, before: BigInt(first.next as string) });
    expect(second.items.map((item) => item.detail)).toEqual(['refused 3 days ago']);
    expect(second.next).toBeUndefined();
  });

  it('is applied by one instance at a time: a run that meets another skips, and together they delete each refusal once', async () => {
    await refuse('USCIS', [100, 100, 100, 1]);
    const instances = [new RefusalRetention({ connection: pool, schema }), new RefusalRetention({ connection: pool, schema })];
    const blocker = await pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`case-status:refusal-retention:${schema}`]);
      expect(await instances[0].prune(now)).toBeNull();
      await blocker.query('COMMIT');
    } finally {
      blocker.release();
    }
    const results = await Promise.all(instances.map((instance) => instance.prune(now)));
    expect(results.reduce<number>((sum, deleted) => sum + (deleted ?? 0), 0)).toBe(3);
    expect(await kept('USCIS')).toEqual(['refused 1 days ago']);
  });
});
