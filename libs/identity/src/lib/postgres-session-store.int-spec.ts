import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { quoteIdent } from '@case-status/postgres-support';
import { PostgresSessionStore, type SessionData } from './postgres-session-store';
import { migrateSessions } from './session.migrations';
import { sessionIdHash } from './session-policy';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

const signedIn: SessionData = {
  kind: 'signed-in',
  idToken: 'header.payload.signature',
  account: { subject: 'applicant-ana', issuer: 'http://127.0.0.1:1', assuranceLevel: 2, roles: [] },
};
const signingIn: SessionData = { kind: 'signing-in', pending: { state: 's', nonce: 'n', codeVerifier: 'v', level: 1, returnTo: '/account' } };

describe('PostgresSessionStore (real PostgreSQL)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
  const schema = `identity_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let now = new Date('2026-01-01T09:00:00Z');
  const store = new PostgresSessionStore({ pool, schema, clock: () => now });
  const later = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  beforeAll(async () => {
    await migrateSessions(pool, schema);
    await migrateSessions(pool, schema); // twice: nothing left to do the second time
  });

  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await pool.end();
  });

  it('keeps only the hash of the session id', async () => {
    const session = await store.start(signedIn);
    const { rows } = await pool.query<{ id_hash: Buffer }>(`SELECT id_hash FROM ${quoteIdent(schema)}.sessions`);
    expect(rows.map((row) => row.id_hash.toString('hex'))).toContain(sessionIdHash(session.id).toString('hex'));
    expect(JSON.stringify(rows)).not.toContain(session.id);
  });

  it('finds an active session with its data and CSRF token', async () => {
    const session = await store.start(signedIn);
    await expect(store.find(session.id)).resolves.toEqual({ status: 'active', session: expect.objectContaining({ id: session.id, csrfToken: session.csrfToken, data: signedIn }) });
  });

  it('ends a session left alone past the idle timeout, and deletes it', async () => {
    const session = await store.start(signedIn);
    later(16);
    await expect(store.find(session.id)).resolves.toEqual({ status: 'expired', reason: 'idle' });
    await expect(store.find(session.id)).resolves.toEqual({ status: 'absent' });
  });

  it('keeps a session in use, until the absolute timeout', async () => {
    const session = await store.start(signedIn);
    // Used every 10 minutes for 11 hours 50 minutes...
    for (let step = 1; step < 72; step++) {
      later(10);
      expect((await store.find(session.id)).status).toBe('active');
    }
    // ...and still over at 12 hours.
    later(10);
    await expect(store.find(session.id)).resolves.toEqual({ status: 'expired', reason: 'absolute' });
  });

  it('rotates: the old id stops working, the new one carries the new data and a new CSRF token', async () => {
    const before = await store.start(signingIn);
    const after = await store.rotate(before.id, signedIn);
    if (after === null) throw new Error('the session was not rotated');
    expect(after.id).not.toBe(before.id);
    expect(after.csrfToken).not.toBe(before.csrfToken);
    await expect(store.find(before.id)).resolves.toEqual({ status: 'absent' });
    await expect(store.find(after.id)).resolves.toMatchObject({ status: 'active', session: { data: signedIn } });
    // A second completion of the same sign-in finds nothing to rotate.
    await expect(store.rotate(before.id, signedIn)).resolves.toBeNull();
  });

  it('answers absent for a made-up, malformed or ended id', async () => {
    const session = await store.start(signedIn);
    await store.end(session.id);
    for (const id of [session.id, 'A'.repeat(43), "x' OR '1'='1", '']) await expect(store.find(id)).resolves.toEqual({ status: 'absent' });
  });
});
