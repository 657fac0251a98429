import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { comparePositions, parsePosition, type GlobalPosition } from '@case-status/event-contract';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { quoteIdent } from '@case-status/postgres-support';
import { ProjectionRunner, rebuildProjection } from '@case-status/projection-runner';
import { PostgresRepresentatives, representativesOfRecord } from '@case-status/identity';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
jest.setTimeout(60_000);

const ISSUER = 'https://idp.example';
let serial = 0;
const receipt = () => `IOE08${String(Date.now() % 1e6).padStart(6, '0')}${String(++serial % 100).padStart(2, '0')}`;

/** The representatives projection on real PostgreSQL, run by the projection runner from a real store. */
describe('representatives of record (real PostgreSQL)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 6 });
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  const schemas = { store: `reps_store_${suffix}`, reps: `reps_rm_${suffix}` };
  let today = new Date('2026-03-10T12:00:00Z');
  let store: PostgresEventStore;
  let projector: ProjectionRunner;
  const representatives = new PostgresRepresentatives({ connection: pool, schema: schemas.reps, clock: () => today });

  let lastAppended: GlobalPosition | undefined;
  async function record(receiptNumber: string, type: string, data: Record<string, string | Record<string, string>>): Promise<void> {
    ({ position: lastAppended } = await store.appendToStream(`case-USCIS-${receiptNumber}`, [{ id: randomUUID(), type, data, metadata: { occurredAt: '2026-03-01T09:00:00Z' } }], { expectedRevision: 'any' }));
  }
  const appoint = (receiptNumber: string, representativeId: string, identity: Record<string, string>, effectiveFrom = '2026-03-01') =>
    record(receiptNumber, 'RepresentativeAppointed', { representativeId, name: 'Rita Representative', kind: 'attorney', identity, effectiveFrom });
  const receipts = async (person: Parameters<PostgresRepresentatives['casesOf']>[0]) => {
    // readAll withholds events while an older transaction is open anywhere in the shared
    // database (docs/adr/0002): catch up until the last append is projected.
    for (let attempt = 0; ; attempt++) {
      await projector.catchUp();
      if (!lastAppended || comparePositions(parsePosition(projector.checkpoint), lastAppended) >= 0) break;
      if (attempt === 200) throw new Error('the projection did not reach the last append');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return (await representatives.casesOf(person)).map((client) => client.receiptNumber).sort();
  };

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema: schemas.store });
    projector = new ProjectionRunner(representativesOfRecord, { pool, source: store, schema: schemas.reps });
    await projector.init();
  });

  afterAll(async () => {
    await store.close();
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await pool.end();
  });

  it('finds a representative by subject, and by e-mail only when the provider verified it', async () => {
    const [bySubject, byEmail, someoneElses] = [receipt(), receipt(), receipt()];
    await appoint(bySubject, 'g28-1', { issuer: ISSUER, subject: 'rita' });
    await appoint(byEmail, 'g28-7', { email: 'rita@example.org' });
    await appoint(someoneElses, 'g28-1', { issuer: ISSUER, subject: 'ray' });

    expect(await receipts({ issuer: ISSUER, subject: 'rita', verifiedEmail: 'Rita@Example.org' })).toEqual([bySubject, byEmail].sort());
    expect(await receipts({ issuer: ISSUER, subject: 'rita' })).toEqual([bySubject]);
    // The same subject at another provider is another person.
    expect(await receipts({ issuer: 'https://other-idp.example', subject: 'rita' })).toEqual([]);
    expect(await representatives.isOfRecord('USCIS', bySubject, 'g28-1')).toBe(true);
    expect(await representatives.isOfRecord('USCIS', bySubject, 'g28-7')).toBe(false);
  });

  it('ends access with a withdrawal and gives it back with a new appointment; a rebuild from the store holds the same', async () => {
    const receiptNumber = receipt();
    const rita = { issuer: ISSUER, subject: `rita-${suffix}` };
    await appoint(receiptNumber, 'g28-1', rita);
    expect(await receipts(rita)).toEqual([receiptNumber]);
    await record(receiptNumber, 'RepresentativeWithdrawn', { representativeId: 'g28-1' });
    expect(await receipts(rita)).toEqual([]);
    expect(await representatives.isOfRecord('USCIS', receiptNumber, 'g28-1')).toBe(false);
    await appoint(receiptNumber, 'g28-1', rita);
    expect(await receipts(rita)).toEqual([receiptNumber]);

    // Rebuilt from the store, the projection holds the same.
    await rebuildProjection(representativesOfRecord, { pool, source: store, schema: schemas.reps });
    expect((await representatives.casesOf(rita)).map((client) => client.receiptNumber)).toEqual([receiptNumber]);
  });

  it('does not count an appointment before its effective day', async () => {
    const receiptNumber = receipt();
    const rita = { issuer: ISSUER, subject: `later-${suffix}` };
    await appoint(receiptNumber, 'g28-1', rita, '2026-03-20');
    expect(await receipts(rita)).toEqual([]);
    today = new Date('2026-03-20T00:00:00Z');
    expect(await receipts(rita)).toEqual([receiptNumber]);
  });

  it('keeps the representatives of a case apart from those of a case with a similar receipt number at another agency', async () => {
    const receiptNumber = receipt();
    await store.appendToStream(`case-VBA-VBA-2026-${String(serial).padStart(7, '0')}`, [{ id: randomUUID(), type: 'RepresentativeAppointed', data: { representativeId: 'g28-1', name: 'Vic', kind: 'accredited_representative', identity: { email: 'vic@example.org' }, effectiveFrom: '2026-03-01' }, metadata: {} }], { expectedRevision: 'any' });
    await appoint(receiptNumber, 'g28-9', { email: 'vic@example.org' });
    await projector.catchUp();
    const cases = await representatives.casesOf({ issuer: ISSUER, subject: 'nobody', verifiedEmail: 'vic@example.org' });
    expect(cases.map((client) => client.agency).sort()).toEqual(['USCIS', 'VBA']);
    expect(cases.find((client) => client.agency === 'VBA')).toMatchObject({ kind: 'accredited_representative', effectiveFrom: '2026-03-01' });
  });
});
