import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { caseLinks, CaseLinker, PostgresAccessCodeAttempts, PostgresCaseLinks, personStreamId, type PersonKey } from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { quoteIdent } from '@case-status/postgres-support';
import { ProjectionRunner } from '@case-status/projection-runner';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
jest.setTimeout(60_000);

const CODE = 'K7QM-4TXR-9HPA';
const NEW_CODE = 'W2D8-PZ4M-KQ7C';
const ISSUER = 'https://idp.example';
let serial = 0;
/** A USCIS receipt number no other test uses. */
const receipt = () => `IOE09${String(Date.now() % 1e6).padStart(6, '0')}${String(++serial % 100).padStart(2, '0')}`;
const person = (): PersonKey => ({ issuer: ISSUER, subject: randomUUID() });

/**
 * Linking a case with its access code, on real PostgreSQL: the attempt limits, the person's
 * stream, and the links projection run by the projection runner.
 */
describe('linking cases by access code (real PostgreSQL)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 10 });
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  const schemas = { store: `links_store_${suffix}`, links: `links_rm_${suffix}`, attempts: `links_try_${suffix}` };
  let now = new Date('2026-03-01T09:00:00Z');
  const later = (ms: number) => void (now = new Date(now.getTime() + ms));
  let store: PostgresEventStore;
  let linker: CaseLinker;
  let projector: ProjectionRunner;
  const links = new PostgresCaseLinks({ connection: pool, schema: schemas.links });
  const attempts = new PostgresAccessCodeAttempts({ pool, schema: schemas.attempts });

  async function caseWithCode(receiptNumber: string, code: string | null): Promise<void> {
    const data = { agency: 'USCIS', receiptNumber, formType: 'I-485', office: 'NBC', ...(code && { accessCodeHash: await hashAccessCode(code) }) };
    await store.appendToStream(`case-USCIS-${receiptNumber}`, [{ id: randomUUID(), type: 'CaseReceived', data, metadata: { occurredAt: '2026-02-01T09:00:00Z' } }], { expectedRevision: 'any' });
  }

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema: schemas.store });
    await attempts.migrate();
    linker = new CaseLinker({ events: store, attempts, clock: () => now });
    projector = new ProjectionRunner(caseLinks, { pool, source: store, schema: schemas.links });
    await projector.init();
  });

  afterAll(async () => {
    await store.close();
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await pool.end();
  });

  it('links a case with its code, once however often it is linked, and projects the link', async () => {
    const ana = person();
    const receiptNumber = receipt();
    await caseWithCode(receiptNumber, CODE);

    await expect(linker.link(ana, receiptNumber, 'k7qm 4txr 9hpa')).resolves.toEqual({ ok: true, agency: 'USCIS', receiptNumber, replayed: false });
    await expect(linker.link(ana, receiptNumber, CODE)).resolves.toEqual({ ok: true, agency: 'USCIS', receiptNumber, replayed: true });
    await Promise.all([linker.link(ana, receiptNumber, CODE), linker.link(ana, receiptNumber, CODE)]);

    const stream = await store.readStream(personStreamId(ana));
    expect(stream.map((event) => [event.type, event.data])).toEqual([['CaseLinked', { agency: 'USCIS', receiptNumber }]]);
    await projector.catchUp();
    await projector.catchUp();
    expect(await links.linkedCases(personStreamId(ana))).toEqual([{ agency: 'USCIS', receiptNumber, linkedAt: now }]);
    // Nobody else has it.
    expect(await links.linkedCases(personStreamId(person()))).toEqual([]);
  });

  it('unlinks a case once however often it is unlinked, takes it off the projection, and links it again only with its code', async () => {
    const ana = person();
    const receiptNumber = receipt();
    await caseWithCode(receiptNumber, CODE);
    await expect(linker.unlink(ana, receiptNumber)).resolves.toBe(false);
    expect(await store.readStream(personStreamId(ana))).toEqual([]);

    await linker.link(ana, receiptNumber, CODE);
    await expect(linker.unlink(ana, receiptNumber)).resolves.toBe(true);
    await Promise.all([linker.unlink(ana, receiptNumber), linker.unlink(ana, receiptNumber)]);
    await projector.catchUp();
    expect(await links.linkedCases(personStreamId(ana))).toEqual([]);

    // Linking it again needs the code again, and is a new link.
    await expect(linker.link(ana, receiptNumber, NEW_CODE)).resolves.toEqual({ ok: false, reason: 'NOT_MATCHED' });
    later(60_000);
    await expect(linker.link(ana, receiptNumber, CODE)).resolves.toEqual({ ok: true, agency: 'USCIS', receiptNumber, replayed: false });
    await expect(linker.link(ana, receiptNumber, CODE)).resolves.toEqual({ ok: true, agency: 'USCIS', receiptNumber, replayed: true });
    // Unlinked and linked once more: each step its own event.
    await linker.unlink(ana, receiptNumber);
    await linker.link(ana, receiptNumber, CODE);
    const stream = await store.readStream(personStreamId(ana));
    expect(stream.map((event) => event.type)).toEqual(['CaseLinked', 'CaseUnlinked', 'CaseLinked', 'CaseUnlinked', 'CaseLinked']);
    expect(new Set(stream.map((event) => event.id)).size).toBe(5);
    // One catch-up over all of it, as a rebuild would see it: linked, as the last event says.
    await projector.catchUp();
    expect(await links.linkedCases(personStreamId(ana))).toEqual([{ agency: 'USCIS', receiptNumber, linkedAt: now }]);
  });

  it('answers a wrong code, a case without a code and an unknown receipt number alike', async () => {
    const withCode = receipt();
    const withoutCode = receipt();
    await caseWithCode(withCode, CODE);
    await caseWithCode(withoutCode, null);
    const ben = person();
    for (const [receiptNumber, code] of [[withCode, NEW_CODE], [withoutCode, CODE], [receipt(), CODE], [withCode, 'not a code']]) {
      await expect(linker.link(ben, receiptNumber, code)).resolves.toEqual({ ok: false, reason: 'NOT_MATCHED' });
    }
    expect(await store.readStream(personStreamId(ben))).toEqual([]);
  });

  it('no longer links with a code the agency replaced, and links with the new one', async () => {
    const receiptNumber = receipt();
    await caseWithCode(receiptNumber, CODE);
    await store.appendToStream(`case-USCIS-${receiptNumber}`, [{ id: randomUUID(), type: 'AccessCodeIssued', data: { accessCodeHash: await hashAccessCode(NEW_CODE) }, metadata: { occurredAt: '2026-02-20T09:00:00Z' } }], { expectedRevision: 'any' });
    const cara = person();
    await expect(linker.link(cara, receiptNumber, CODE)).resolves.toEqual({ ok: false, reason: 'NOT_MATCHED' });
    await expect(linker.link(cara, receiptNumber, NEW_CODE)).resolves.toMatchObject({ ok: true });
  });

  it('links one account with a code: another account with the same right code is refused, even at the same moment, until the agency issues a new code', async () => {
    const receiptNumber = receipt();
    await caseWithCode(receiptNumber, CODE);
    const [dana, eve] = [person(), person()];
    const both = await Promise.all([linker.link(dana, receiptNumber, CODE), linker.link(eve, receiptNumber, CODE)]);
    expect(both.filter((outcome) => outcome.ok)).toHaveLength(1);
    expect(both.filter((outcome) => !outcome.ok)).toEqual([{ ok: false, reason: 'CODE_ALREADY_USED' }]);
    const [owner, other] = both[0].ok ? [dana, eve] : [eve, dana];
    await expect(linker.link(other, receiptNumber, CODE)).resolves.toEqual({ ok: false, reason: 'CODE_ALREADY_USED' });
    expect(await store.readStream(personStreamId(other))).toEqual([]);

    // The owner may use it again, after unlinking.
    await linker.unlink(owner, receiptNumber);
    await expect(linker.link(owner, receiptNumber, CODE)).resolves.toMatchObject({ ok: true, replayed: false });

    // A new code from the agency (the owner lost theirs, or someone else used it) links anew, once.
    await store.appendToStream(`case-USCIS-${receiptNumber}`, [{ id: randomUUID(), type: 'AccessCodeIssued', data: { accessCodeHash: await hashAccessCode(NEW_CODE) }, metadata: { occurredAt: '2026-02-20T09:00:00Z' } }], { expectedRevision: 'any' });
    await expect(linker.link(other, receiptNumber, NEW_CODE)).resolves.toMatchObject({ ok: true, replayed: false });
    await expect(linker.link(person(), receiptNumber, NEW_CODE)).resolves.toEqual({ ok: false, reason: 'CODE_ALREADY_USED' });
  });

  it('refuses an account after 5 wrong codes in an hour, even with the right code, and admits it again an hour on', async () => {
    const receiptNumber = receipt();
    await caseWithCode(receiptNumber, CODE);
    const dan = person();
    for (let i = 0; i < 5; i++) await expect(linker.link(dan, receipt(), CODE)).resolves.toEqual({ ok: false, reason: 'NOT_MATCHED' });
    later(10 * 60_000);
    await expect(linker.link(dan, receiptNumber, CODE)).resolves.toEqual({ ok: false, reason: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 50 * 60 });
    later(50 * 60_000);
    await expect(linker.link(dan, receiptNumber, CODE)).resolves.toMatchObject({ ok: true });
  });

  it('refuses a receipt number after 10 wrong codes in a day from anyone, known case or not', async () => {
    for (const known of [true, false]) {
      const receiptNumber = receipt();
      if (known) await caseWithCode(receiptNumber, CODE);
      for (let i = 0; i < 10; i++) await expect(linker.link(person(), receiptNumber, NEW_CODE)).resolves.toEqual({ ok: false, reason: 'NOT_MATCHED' });
      const refused = await linker.link(person(), receiptNumber, CODE);
      expect(refused).toEqual({ ok: false, reason: 'TOO_MANY_ATTEMPTS', retryAfterSeconds: 86_400 });
    }
  });

  it('lets no single stranger lock the owner out of a receipt number: the receipt limit counts accounts', async () => {
    const receiptNumber = receipt();
    await caseWithCode(receiptNumber, CODE);
    const stranger = person();
    for (let hour = 0; hour < 3; hour++) {
      for (let i = 0; i < 5; i++) await expect(linker.link(stranger, receiptNumber, NEW_CODE)).resolves.toEqual({ ok: false, reason: 'NOT_MATCHED' });
      await expect(linker.link(stranger, receiptNumber, NEW_CODE)).resolves.toMatchObject({ ok: false, reason: 'TOO_MANY_ATTEMPTS' });
      later(60 * 60_000);
    }
    // Fifteen wrong codes on the receipt in a day, all from one account: the owner still links.
    await expect(linker.link(person(), receiptNumber, CODE)).resolves.toMatchObject({ ok: true });
  });

  it('lets no burst of concurrent attempts past the account limit', async () => {
    const eve = person();
    const outcomes = await Promise.all(Array.from({ length: 9 }, () => linker.link(eve, receipt(), CODE)));
    const reasons = outcomes.map((outcome) => (outcome.ok ? 'LINKED' : outcome.reason));
    expect(reasons.filter((reason) => reason === 'NOT_MATCHED').length).toBeLessThanOrEqual(5);
    expect(reasons.filter((reason) => reason === 'TOO_MANY_ATTEMPTS').length).toBeGreaterThanOrEqual(4);
  });

  it('keeps no access code hash in the person streams, the links read model or the attempts', async () => {
    await projector.catchUp();
    const tables = await pool.query<{ dump: string }>(
      `SELECT (SELECT coalesce(json_agg(l), '[]')::text FROM ${quoteIdent(schemas.links)}.linked_cases l) ||
              (SELECT coalesce(json_agg(a), '[]')::text FROM ${quoteIdent(schemas.attempts)}.access_code_attempts a) AS dump`,
    );
    expect(tables.rows[0].dump).toContain('USCIS');
    expect(tables.rows[0].dump).not.toMatch(/scrypt/);
    const personEvents = await pool.query<{ dump: string }>(`SELECT coalesce(json_agg(e), '[]')::text AS dump FROM ${quoteIdent(schemas.store)}.events e WHERE stream_id LIKE 'person-%'`);
    expect(personEvents.rows[0].dump).toContain('CaseLinked');
    expect(personEvents.rows[0].dump).not.toMatch(/scrypt/);
  });
});
