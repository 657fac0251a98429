import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { PostgresAccessAudit } from '@case-status/identity';
import { quoteIdent } from '@case-status/postgres-support';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, caseworkerToken, signingKey, type SigningKey } from '../../testing';
import { createStatusApp } from '../status.app';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
jest.setTimeout(60_000);

/** What the case's private details hold; none of it may reach the audit. */
const PRIVATE_VALUES = ['NYC', '2026-03-02', '09:15', 'RFE-7', '2026-04-17', 'Birth certificate', 'April 17'];
const PRIVATE_DETAILS = 'query ($r: String!) { casePrivateDetails(receiptNumber: $r) { receiptNumber ...Seen } } fragment Seen on CasePrivateDetails { upcomingAppointments { office scheduledFor } }';
const AUDIT = 'query ($r: String, $first: Int, $before: String) { accessAudit(receiptNumber: $r, first: $first, before: $before) { id receiptNumber grant readerIssuer readerAgency readerSubject representativeName fields } }';

/**
 * The access audit through the status API, on real PostgreSQL: a caseworker's read of private
 * details leaves exactly one entry naming the fields read and none of their values; refused
 * reads leave none; without an audit nothing private is served; caseworkers query their own
 * agency's audit only; the audit cannot be changed.
 */
describe('the access audit (status API, real PostgreSQL)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
  const schema = `audit_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const audit = new PostgresAccessAudit({ pool, schema });
  const readModels = new InMemoryReadModels();
  const receiptNumber = 'IOE0912345602';
  let app: NestFastifyApplication;
  let unaudited: NestFastifyApplication;
  let uscisKey: SigningKey;
  let vbaKey: SigningKey;

  const post = async (target: NestFastifyApplication, query: string, variables: Record<string, unknown>, token?: string) => {
    const res = await target.inject({ method: 'POST', url: '/graphql', headers: token ? { authorization: `Bearer ${token}` } : {}, payload: { query, variables } });
    return res.json() as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  };
  const codes = (answer: Awaited<ReturnType<typeof post>>) => answer.errors?.map((error) => error.extensions?.code);
  const rows = async () => (await pool.query<{ dump: string; n: number }>(`SELECT count(*)::int AS n, coalesce(json_agg(r), '[]')::text AS dump FROM ${quoteIdent(schema)}.private_reads r`)).rows[0];

  beforeAll(async () => {
    await audit.migrate();
    readModels.put(
      caseView({
        receiptNumber,
        openEvidenceRequests: [{ requestId: 'RFE-7', dueDate: '2026-04-17', requestedAt: '2026-01-07T10:00:00Z' }],
        upcomingAppointments: [{ kind: 'biometrics', scheduledFor: '2026-03-02T09:15:00-05:00', office: 'NYC' }],
      }),
    );
    [uscisKey, vbaKey] = await Promise.all([signingKey('uscis-audit'), signingKey('vba-audit')]);
    const common = { queries: readModels, changeFeed: new InMemoryCaseStatusChangeFeed(), caseworkerKeys: agencyKeys({ USCIS: uscisKey, VBA: vbaKey }), rateLimit: false, logger: false } as const;
    app = await createStatusApp({ ...common, accessAudit: audit });
    unaudited = await createStatusApp(common);
  });

  afterAll(async () => {
    await app?.close();
    await unaudited?.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await pool.end();
  });

  it('records a caseworker’s read once, with the fields selected and none of their values', async () => {
    const before = (await rows()).n;
    const answer = await post(app, PRIVATE_DETAILS, { r: receiptNumber }, await caseworkerToken(uscisKey, { agency: 'USCIS', subject: 'carl' }));
    expect(answer.errors).toBeUndefined();
    expect(JSON.stringify(answer.data)).toContain('NYC');

    const after = await rows();
    expect(after.n).toBe(before + 1);
    const [entry] = await audit.ofCase('USCIS', receiptNumber, 1);
    expect(entry).toMatchObject({ agency: 'USCIS', receiptNumber, grant: 'caseworker', reader: { agency: 'USCIS', subject: 'carl' }, fields: ['upcomingAppointments'] });
    for (const value of PRIVATE_VALUES) expect(after.dump).not.toContain(value);
  });

  it('records nothing for refused reads and a selection without private fields', async () => {
    const before = (await rows()).n;
    expect(codes(await post(app, PRIVATE_DETAILS, { r: receiptNumber }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await post(app, PRIVATE_DETAILS, { r: receiptNumber }, await caseworkerToken(vbaKey, { agency: 'VBA' })))).toEqual(['FORBIDDEN']);
    const bare = await post(app, 'query ($r: String!) { casePrivateDetails(receiptNumber: $r) { receiptNumber agency } }', { r: receiptNumber }, await caseworkerToken(uscisKey, { agency: 'USCIS' }));
    expect(bare.errors).toBeUndefined();
    expect((await rows()).n).toBe(before);
  });

  it('serves no private details where no audit is kept', async () => {
    const answer = await post(unaudited, PRIVATE_DETAILS, { r: receiptNumber }, await caseworkerToken(uscisKey, { agency: 'USCIS' }));
    expect(codes(answer)).toEqual(['AUDIT_UNAVAILABLE']);
    for (const value of PRIVATE_VALUES) expect(JSON.stringify(answer)).not.toContain(value);
  });

  it('answers caseworkers their own agency’s audit only, a page at a time', async () => {
    const carl = await caseworkerToken(uscisKey, { agency: 'USCIS', subject: 'carl' });
    await post(app, PRIVATE_DETAILS, { r: receiptNumber }, carl);
    const page = await post(app, AUDIT, { r: receiptNumber, first: 1 }, carl);
    expect(page.errors).toBeUndefined();
    const [newest] = (page.data?.['accessAudit'] ?? []) as { id: string }[];
    expect(page.data?.['accessAudit']).toEqual([
      { id: newest.id, receiptNumber, grant: 'CASEWORKER', readerIssuer: null, readerAgency: 'USCIS', readerSubject: 'carl', representativeName: null, fields: ['upcomingAppointments'] },
    ]);
    const older = await post(app, AUDIT, { r: receiptNumber, first: 200, before: newest.id }, carl);
    expect((older.data?.['accessAudit'] as { id: string }[]).every((entry) => BigInt(entry.id) < BigInt(newest.id))).toBe(true);

    const vera = await caseworkerToken(vbaKey, { agency: 'VBA' });
    expect((await post(app, AUDIT, {}, vera)).data?.['accessAudit']).toEqual([]);
    expect(codes(await post(app, AUDIT, { r: receiptNumber }, vera))).toEqual(['FORBIDDEN']);
    expect(codes(await post(app, AUDIT, {}))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await post(app, AUDIT, {}, await caseworkerToken(uscisKey, { agency: 'USCIS', roles: ['representative'] })))).toEqual(['FORBIDDEN']);
    expect(codes(await post(app, AUDIT, { first: 0 }, carl))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await post(app, AUDIT, { before: 'x; DROP' }, carl))).toEqual(['BAD_USER_INPUT']);
  });

  it('shows the applicant someone else’s read however often they looked themselves', async () => {
    const own = { issuer: 'https://login.example.gov', subject: 'ana' };
    const mine = { agency: 'USCIS', receiptNumber: 'IOE0912345699', reader: own, grant: 'link' as const, fields: ['upcomingAppointments'] };
    await audit.record([{ ...mine, reader: { agency: 'USCIS', subject: 'carl' }, grant: 'caseworker' }]);
    for (let i = 0; i < 25; i++) await audit.record([mine]);
    const seen = await audit.ofCase('USCIS', 'IOE0912345699', 20, own);
    expect(seen.map((entry) => entry.reader)).toEqual([own, { agency: 'USCIS', subject: 'carl' }]);
    // Without an asker, every read counts: the caseworker's has dropped off the newest 20.
    expect((await audit.ofCase('USCIS', 'IOE0912345699', 20)).map((entry) => entry.reader.subject)).toEqual(Array(20).fill('ana'));
  });

  it('cannot be changed or emptied once written', async () => {
    const table = `${quoteIdent(schema)}.private_reads`;
    await expect(pool.query(`UPDATE ${table} SET reader_subject = 'someone else'`)).rejects.toThrow(/append only/);
    await expect(pool.query(`DELETE FROM ${table}`)).rejects.toThrow(/append only/);
    await expect(pool.query(`TRUNCATE ${table}`)).rejects.toThrow(/append only/);
    expect((await rows()).n).toBeGreaterThan(0);
  });
});
