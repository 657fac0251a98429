import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { CaseEvent, CaseEventBody } from '@case-status/case-domain';
import { ProjectionRunner } from '@case-status/projection-runner';
import { MIN_STEP_GAPS } from '@case-status/processing-time';
import { InMemoryProjectionSource } from '../testing/in-memory-projection-source';
import { caseReadModels } from './apply-batch';
import { PostgresReadModels } from './postgres-read-models';
import { weeklyCaseFlow } from './weekly-case-flow.projection';

// The caseworker console's queries on real PostgreSQL, over read models projected from events held in memory.
jest.setTimeout(60_000);

const pool = new Pool({ connectionString: process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test', max: 4 });
const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
const schemas = { read: `console_rm_${suffix}`, flow: `console_flow_${suffix}` };

const ev = (body: CaseEventBody, at: string): CaseEvent => ({ ...body, occurredAt: at.length === 10 ? `${at}T09:00:00Z` : at }) as CaseEvent;
const received = (agency: 'USCIS' | 'VBA', receiptNumber: string, at: string, office: string, formType = agency === 'USCIS' ? 'I-485' : '21-526EZ') =>
  ev({ type: 'CaseReceived', data: { agency, receiptNumber, formType, office } }, at);
const reviewStarted = (at: string) => ev({ type: 'CaseReviewStarted', data: {} }, at);
const decided = (at: string) => ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, at);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const uscis = (n: number) => `IOE09${String(n).padStart(8, '0')}`;

const source = new InMemoryProjectionSource();
/** What was recorded, to compare the answers against: USCIS cases with their receipt time and whether they wait. */
const recorded: { receiptNumber: string; office: string; receivedAt: string; pending: boolean }[] = [];
let queries: PostgresReadModels;

beforeAll(async () => {
  // 60 USCIS cases, three received at each instant (the order then falls to the receipt number),
  // a third of them decided; and VBA cases, which USCIS's answers must never include.
  for (let n = 0; n < 60; n++) {
    const receivedAt = `2026-02-${String(1 + Math.floor(n / 3)).padStart(2, '0')}T14:00:00Z`;
    const office = n % 2 === 0 ? 'NBC' : 'TSC';
    const pending = n % 3 !== 0;
    source.append('USCIS', uscis(n), [received('USCIS', uscis(n), receivedAt, office), ...(pending ? [] : [decided('2026-03-02')])]);
    recorded.push({ receiptNumber: uscis(n), office, receivedAt, pending });
  }
  for (let n = 0; n < 5; n++) source.append('VBA', `VBA-2026-${String(n).padStart(7, '0')}`, [received('VBA', `VBA-2026-${String(n).padStart(7, '0')}`, '2026-02-03', 'RO317')]);

  // Staleness: enough cases of I-130 at NBC left "received" after 4 to 8 days; three still sit there.
  for (let n = 0; n < MIN_STEP_GAPS + 5; n++) {
    const receipt = `EAC09${String(n).padStart(8, '0')}`;
    source.append('USCIS', receipt, [received('USCIS', receipt, '2026-01-05', 'NBC', 'I-130'), reviewStarted(addDays('2026-01-05', 4 + (n % 5))), decided('2026-02-20')]);
  }
  source.append('USCIS', 'EAC0900000901', [received('USCIS', 'EAC0900000901', '2026-02-01', 'NBC', 'I-130')]); // 60 days by 2026-04-02
  source.append('USCIS', 'EAC0900000902', [received('USCIS', 'EAC0900000902', '2026-03-03', 'NBC', 'I-130')]); // 30 days
  source.append('USCIS', 'EAC0900000903', [received('USCIS', 'EAC0900000903', '2026-03-30', 'NBC', 'I-130')]); // 3 days: usual

  for (const [projection, schema] of [[caseReadModels, schemas.read], [weeklyCaseFlow, schemas.flow]] as const) {
    const runner = new ProjectionRunner(projection, { pool, source, schema, batchSize: 50 });
    await runner.init();
    await runner.catchUp();
  }
  queries = new PostgresReadModels({ connection: pool, schema: schemas.read, flowSchema: schemas.flow });
});

afterAll(async () => {
  for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

/** Every page of a listing, following `endCursor` until `hasNextPage` is false. */
async function allPages(filter: Parameters<PostgresReadModels['listCases']>[0], first: number) {
  const pages: string[][] = [];
  let after: string | undefined;
  for (;;) {
    const page = await queries.listCases(filter, { first, ...(after !== undefined && { after }) });
    pages.push(page.edges.map((edge) => edge.node.receiptNumber));
    if (!page.pageInfo.hasNextPage) return pages;
    after = page.pageInfo.endCursor ?? undefined;
  }
}

describe('the console’s case list, a page at a time (keyset)', () => {
  const inOrder = (cases: typeof recorded) => [...cases].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.receiptNumber.localeCompare(b.receiptNumber)).map((c) => c.receiptNumber);

  it.each([7, 10, 40])('pages of %i are disjoint and together are every pending case of the cohort, in receipt order, ties by receipt number', async (first) => {
    const pages = await allPages({ agency: 'USCIS', formType: 'I-485', office: 'NBC', pending: true }, first);
    const expected = inOrder(recorded.filter((c) => c.office === 'NBC' && c.pending));
    expect(pages.flat()).toEqual(expected);
    expect(new Set(pages.flat()).size).toBe(pages.flat().length);
    expect(pages.slice(0, -1).every((page) => page.length === first)).toBe(true);
  });

  it('lists the decided cases with pending false, and everything without it; never another agency’s', async () => {
    expect((await allPages({ agency: 'USCIS', formType: 'I-485', pending: false }, 9)).flat()).toEqual(inOrder(recorded.filter((c) => !c.pending)));
    expect((await allPages({ agency: 'USCIS', formType: 'I-485' }, 25)).flat()).toEqual(inOrder(recorded));
    expect((await allPages({ agency: 'VBA' }, 25)).flat()).toEqual(['VBA-2026-0000000', 'VBA-2026-0000001', 'VBA-2026-0000002', 'VBA-2026-0000003', 'VBA-2026-0000004']);
  });

  it('reads an index range, never skipping rows with OFFSET', async () => {
    const page = await queries.listCases({ agency: 'USCIS', pending: true }, { first: 5 });
    const plan = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT receipt_number FROM "${schemas.read}".case_status WHERE agency = 'USCIS' AND is_pending = true AND (received_at, receipt_number) > (now(), '') ORDER BY received_at, receipt_number LIMIT 6`,
    );
    expect(page.edges).toHaveLength(5);
    expect(plan.rows.map((row) => row['QUERY PLAN']).join('\n')).not.toMatch(/Sort Key/);
  });
});

describe('the weekly flow', () => {
  it('counts received and decided per ISO week up to the week of asOf, oldest first, weeks without either as zeros', async () => {
    const flow = await queries.weeklyFlow({ agency: 'USCIS', formType: 'I-485' }, 6, new Date('2026-03-04T12:00:00Z'));
    expect(flow).toEqual([
      // 2026-02-01 is a Sunday: its three cases are in W05.
      { week: '2026-W05', weekStart: '2026-01-26', received: 3, decided: 0 },
      { week: '2026-W06', weekStart: '2026-02-02', received: 21, decided: 0 },
      { week: '2026-W07', weekStart: '2026-02-09', received: 21, decided: 0 },
      { week: '2026-W08', weekStart: '2026-02-16', received: 15, decided: 0 },
      { week: '2026-W09', weekStart: '2026-02-23', received: 0, decided: 0 },
      { week: '2026-W10', weekStart: '2026-03-02', received: 0, decided: 20 },
    ]);
  });

  it('narrows to an office and to the caseworker’s agency, and refuses a window it does not serve', async () => {
    const nbc = await queries.weeklyFlow({ agency: 'USCIS', formType: 'I-485', office: 'NBC' }, 1, new Date('2026-03-04T12:00:00Z'));
    expect(nbc).toEqual([{ week: '2026-W10', weekStart: '2026-03-02', received: 0, decided: 10 }]);
    const vba = await queries.weeklyFlow({ agency: 'VBA' }, 2, new Date('2026-02-04T12:00:00Z'));
    expect(vba.map((week) => week.received)).toEqual([0, 5]);
    await expect(queries.weeklyFlow({ agency: 'USCIS' }, 0, new Date())).rejects.toThrow(/weeks: must be a whole number from 1 to 104/);
  });
});

describe('stale cases', () => {
  it('lists pending cases past the 90th percentile of their status’s usual stay, most unusual first, with the figures', async () => {
    const stale = await queries.staleCases({ agency: 'USCIS' }, 50, new Date('2026-04-02T12:00:00Z'));
    // The I-485 cases have no stays seen at all: too few to tell, never stale.
    expect(stale.map((row) => [row.receiptNumber, row.daysAtStep])).toEqual([
      ['EAC0900000901', 60],
      ['EAC0900000902', 30],
    ]);
    expect(stale[0]).toMatchObject({ formType: 'I-130', office: 'NBC', usualMedianDays: 6, usualP90Days: 8, sampleSize: MIN_STEP_GAPS + 5, timesUsual: 10 });
    expect(stale[0].stepSince).toBe('2026-02-01T09:00:00Z');
  });

  it('answers for the agency asked only, and takes no more than it was asked for', async () => {
    expect(await queries.staleCases({ agency: 'VBA' }, 50, new Date('2026-04-02T12:00:00Z'))).toEqual([]);
    expect((await queries.staleCases({ agency: 'USCIS', office: 'NBC', formType: 'I-130' }, 1, new Date('2026-04-02T12:00:00Z'))).map((row) => row.receiptNumber)).toEqual(['EAC0900000901']);
    expect(await queries.staleCases({ agency: 'USCIS', office: 'TSC' }, 50, new Date('2026-04-02T12:00:00Z'))).toEqual([]);
  });
});
