import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { CaseEvent, CaseEventBody } from '@case-status/case-domain';
import { ProjectionRunner, rebuildProjection } from '@case-status/projection-runner';
import { InMemoryProjectionSource } from '../testing/in-memory-projection-source';
import { weeklyCaseFlow } from './weekly-case-flow.projection';

const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test', max: 4 });
const schema = `flow_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

// A rebuild drops its build and old schemas itself.
afterAll(() => pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => pool.end()));

const on = (body: CaseEventBody, occurredAt: string): CaseEvent => ({ ...body, occurredAt }) as CaseEvent;
const received = (receiptNumber: string, occurredAt: string, office = 'NBC') => on({ type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber, formType: 'I-130', office } }, occurredAt);
const decided = (occurredAt: string) => on({ type: 'DecisionIssued', data: { outcome: 'approved' } }, occurredAt);

const flow = async (name: string) =>
  (await pool.query(`SELECT office, week, received, decided FROM "${name}".weekly_flow ORDER BY office, week`)).rows;

describe('weekly case flow', () => {
  it('counts cases received and decided per ISO week of the local date, a decision for the office the case was at, and rebuilds to the same rows', async () => {
    const source = new InMemoryProjectionSource();
    // 2026-01-04 is a Sunday: ISO week 2026-W01. The next day starts W02. Late on Sunday in
    // New York is already Monday in UTC; the agency's local date decides.
    source.append('USCIS', 'IOE0000000001', [received('IOE0000000001', '2026-01-04T23:30:00-05:00'), decided('2026-01-14T10:00:00-05:00')]);
    source.append('USCIS', 'IOE0000000002', [
      received('IOE0000000002', '2026-01-05T09:00:00-05:00'),
      on({ type: 'CaseReviewStarted', data: {} }, '2026-01-06T09:00:00-05:00'),
      on({ type: 'CaseTransferred', data: { fromOffice: 'NBC', toOffice: 'TSC' } }, '2026-01-07T09:00:00-05:00'),
      decided('2026-01-15T09:00:00-05:00'),
    ]);
    source.append('USCIS', 'IOE0000000003', [received('IOE0000000003', '2025-12-29T09:00:00-05:00')]);

    const runner = new ProjectionRunner(weeklyCaseFlow, { pool, source, schema, batchSize: 2 });
    await runner.init();
    expect(await runner.catchUp()).toBe(source.size);

    const expected = [
      { office: 'NBC', week: '2026-W01', received: 2, decided: 0 },
      { office: 'NBC', week: '2026-W02', received: 1, decided: 0 },
      { office: 'NBC', week: '2026-W03', received: 0, decided: 1 },
      { office: 'TSC', week: '2026-W03', received: 0, decided: 1 },
    ];
    expect(await flow(schema)).toEqual(expected);
    // Events it does not want move the checkpoint all the same.
    expect(runner.checkpoint).toBe(`${source.size}:${source.size}`);

    await pool.query(`UPDATE "${schema}".weekly_flow SET received = 40`);
    await rebuildProjection(weeklyCaseFlow, { pool, source, schema });
    expect(await flow(schema)).toEqual(expected);
  });
});
