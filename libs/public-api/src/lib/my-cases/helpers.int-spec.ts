import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import {
  caseLinks,
  CaseLinker,
  helperGrants,
  HelperInvitations,
  newPersonAssertionKeys,
  PersonAssertionSigner,
  PostgresAccessAudit,
  PostgresAccessCodeAttempts,
  PostgresCaseLinks,
  PostgresHelperGrants,
  PostgresRepresentatives,
  personStreamId,
} from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { createEmailSender } from '@case-status/notifications';
import { SmtpCapture } from '@case-status/notifications/testing';
import { quoteIdent } from '@case-status/postgres-support';
import { ProjectionRunner, rebuildProjection } from '@case-status/projection-runner';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, caseView } from '../../testing';
import { createStatusApp } from '../status.app';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
jest.setTimeout(120_000);

const ISSUER = 'https://idp.example';
const CODE = 'K7QM-4TXR-9HPA';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
/** What the case's private details hold: a helper sees it, the audit never does. */
const PRIVATE_VALUES = ['NYC', 'RFE-7', '2026-04-17'];

const LINK = 'mutation ($r: String!, $c: String!) { linkCase(receiptNumber: $r, accessCode: $c) { receiptNumber } }';
const INVITE = 'mutation ($r: String!, $e: String!, $u: String!, $l: Language) { inviteHelper(receiptNumber: $r, email: $e, accessUntil: $u, language: $l) { invitationId emailHint state accessUntil invitationExpiresAt } }';
const REVOKE = 'mutation ($i: ID!) { revokeHelper(invitationId: $i) { invitationId state revokedAt } }';
const ACCEPT = 'mutation ($t: String!) { acceptHelperInvitation(token: $t) { invitationId receiptNumber agency accessUntil } }';
const SHARED = '{ sharedWithMe { receiptNumber invitationId accessUntil privateDetails { upcomingAppointments { office } openEvidenceRequests { requestId dueDate } } } }';
const MY_CASES = '{ myCases { receiptNumber helpers { invitationId emailHint state } accessLog { grant byYou helperEmailHint invitationId fields } } }';

interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
}

let serial = 0;
const receipt = () => `IOE07${String(Date.now() % 1e6).padStart(6, '0')}${String(++serial % 100).padStart(2, '0')}`;

/**
 * Helpers named by the applicant, through the status API on real PostgreSQL, a real SMTP
 * server and the projection runner: invitation by e-mail, acceptance by the invited address
 * only, "Shared with me" with one audit entry per read naming the grant, revocation and
 * expiry (a clock the test controls: no waiting).
 */
describe('helpers named by the applicant (status API, real PostgreSQL and SMTP)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 10 });
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  const schemas = { store: `help_store_${suffix}`, links: `help_links_${suffix}`, grants: `help_grants_${suffix}`, attempts: `help_try_${suffix}`, audit: `help_audit_${suffix}`, reps: `help_reps_${suffix}` };
  const smtp = new SmtpCapture();
  const readModels = new InMemoryReadModels();
  let now = new Date();
  const clock = () => now;
  const later = (ms: number) => void (now = new Date(now.getTime() + ms));
  let store: PostgresEventStore;
  let projectors: ProjectionRunner[] = [];
  let app: NestFastifyApplication;
  let signer: PersonAssertionSigner;
  const audit = new PostgresAccessAudit({ pool, schema: schemas.audit });
  const grants = new PostgresHelperGrants({ connection: pool, schema: schemas.grants, clock });

  const people = {
    ana: { issuer: ISSUER, subject: `ana-${suffix}`, assuranceLevel: 2 as const, email: 'ana@example.org', emailVerified: true },
    helen: { issuer: ISSUER, subject: `helen-${suffix}`, assuranceLevel: 2 as const, email: 'Helen.Helper@Example.org', emailVerified: true },
    mallory: { issuer: ISSUER, subject: `mallory-${suffix}`, assuranceLevel: 2 as const, email: 'mallory@example.org', emailVerified: true },
    // Claims Helen's address, but her provider did not verify it.
    unverified: { issuer: ISSUER, subject: `unverified-${suffix}`, assuranceLevel: 2 as const, email: 'helen.helper@example.org', emailVerified: false },
    // Helen's verified address, from a sign-in that is not identity-proofed (IAL1).
    unproofed: { issuer: 'https://other-idp.example', subject: `helen-${suffix}`, assuranceLevel: 1 as const, email: 'helen.helper@example.org', emailVerified: true },
  };
  type Who = keyof typeof people;

  const post = async (query: string, variables: Record<string, unknown>, who?: Who): Promise<Answer> => {
    const headers = who ? { authorization: `Bearer ${await signer.sign(people[who])}` } : {};
    return (await app.inject({ method: 'POST', url: '/graphql', headers, payload: { query, variables } })).json() as Answer;
  };
  const ok = async (query: string, variables: Record<string, unknown>, who: Who) => {
    const answer = await post(query, variables, who);
    expect(answer.errors).toBeUndefined();
    return answer.data as Record<string, never>;
  };
  const refusal = (answer: Answer) => answer.errors?.map((error) => [error.extensions?.code, error.extensions?.reason ?? null]);
  const tokenOf = (message: { text: string }) => /helpers\/accept\?token=([A-Za-z0-9_-]+)/.exec(message.text)?.[1] ?? '';

  /** A case Ana linked with its access code, whose private details the read model holds. */
  async function anasCase(): Promise<string> {
    const receiptNumber = receipt();
    await store.appendToStream(`case-USCIS-${receiptNumber}`, [{ id: randomUUID(), type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber, formType: 'I-485', office: 'NBC', accessCodeHash: await hashAccessCode(CODE) }, metadata: { occurredAt: '2026-02-01T09:00:00Z' } }], { expectedRevision: 'any' });
    readModels.put(
      caseView({
        receiptNumber,
        openEvidenceRequests: [{ requestId: 'RFE-7', dueDate: '2026-04-17', requestedAt: '2026-01-07T10:00:00Z' }],
        upcomingAppointments: [{ kind: 'biometrics', scheduledFor: '2026-03-02T09:15:00-05:00', office: 'NYC' }],
      }),
    );
    await ok(LINK, { r: receiptNumber, c: CODE }, 'ana');
    return receiptNumber;
  }

  /** Ana invites Helen; the e-mail arrives; its link's token. */
  async function invited(receiptNumber: string, accessUntil: Date, language = 'EN'): Promise<{ invitationId: string; token: string; message: { text: string; headers: Map<string, string>; raw: string } }> {
    const before = smtp.to('Helen.Helper@example.org').length;
    const data = await ok(INVITE, { r: receiptNumber, e: ' Helen.Helper@Example.org ', u: accessUntil.toISOString(), l: language }, 'ana');
    const { invitationId } = data['inviteHelper'] as { invitationId: string };
    const message = (await smtp.waitFor('Helen.Helper@example.org', before + 1))[before];
    return { invitationId, token: tokenOf(message), message };
  }

  beforeAll(async () => {
    await smtp.start();
    store = await createPostgresEventStore({ connection: pool, schema: schemas.store });
    const attempts = new PostgresAccessCodeAttempts({ pool, schema: schemas.attempts });
    await attempts.migrate();
    await audit.migrate();
    projectors = [new ProjectionRunner(caseLinks, { pool, source: store, schema: schemas.links, pollIntervalMs: 50 }), new ProjectionRunner(helperGrants, { pool, source: store, schema: schemas.grants, pollIntervalMs: 50 })];
    for (const projector of projectors) {
      await projector.init();
      void projector.start();
    }
    const keys = await newPersonAssertionKeys();
    signer = keys.signer;
    const reps = new PostgresRepresentatives({ connection: pool, schema: schemas.reps });
    app = await createStatusApp({
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: {},
      rateLimit: false,
      // Invitations count against the per-client e-mail limit; this suite sends more than it allows from one address.
      subscribeRateLimit: false,
      logger: false,
      accessAudit: audit,
      myCases: {
        linker: new CaseLinker({ events: store, attempts }),
        links: new PostgresCaseLinks({ connection: pool, schema: schemas.links }),
        representatives: reps,
        assertionKeys: keys.publicKeys,
        helpers: {
          invitations: new HelperInvitations({ events: store, grants, mailer: createEmailSender({ smtpUrl: smtp.url, from: 'Case Status <no-reply@case-status.example>' }), websiteUrl: 'https://status.example.gov', clock }),
          grants,
        },
      },
    });
  });

  afterAll(async () => {
    await app?.close();
    for (const projector of projectors) await projector.stop();
    await store?.close();
    await smtp.stop();
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
    await pool.end();
  });

  it('invites by e-mail with a single-use link, lets only the invited verified address accept, once, and shows the helper the private view', async () => {
    const receiptNumber = await anasCase();
    const { invitationId, token, message } = await invited(receiptNumber, new Date(now.getTime() + 30 * DAY));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(message.headers.get('subject')).toBe('You are invited to follow a USCIS case');
    expect(message.text).toContain(`https://status.example.gov/en/helpers/accept?token=${token}`);
    // The e-mail names neither the case nor the applicant.
    expect(message.raw).not.toContain(receiptNumber);
    expect(message.raw).not.toContain('ana@example.org');

    const listed = await ok(MY_CASES, {}, 'ana');
    expect((listed['myCases'] as { receiptNumber: string; helpers: unknown[] }[]).find((linked) => linked.receiptNumber === receiptNumber)?.helpers).toEqual([{ invitationId, emailHint: 'h…@example.org', state: 'INVITED' }]);

    // A link that reached someone else gives them nothing; nor does an address the provider did not verify.
    expect(refusal(await post(ACCEPT, { t: token }, 'mallory'))).toEqual([['INVITATION_NOT_ACCEPTED', 'EMAIL_DOES_NOT_MATCH']]);
    expect(refusal(await post(ACCEPT, { t: token }, 'unverified'))).toEqual([['INVITATION_NOT_ACCEPTED', 'EMAIL_NOT_VERIFIED']]);
    expect(refusal(await post(ACCEPT, { t: token }, 'unproofed'))).toEqual([['FORBIDDEN', null]]);
    expect(refusal(await post(ACCEPT, { t: token }, 'ana'))).toEqual([['INVITATION_NOT_ACCEPTED', 'OWN_INVITATION']]);
    expect(refusal(await post(ACCEPT, { t: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` }, 'helen'))).toEqual([['NOT_FOUND', null]]);
    expect(refusal(await post(ACCEPT, { t: token }))).toEqual([['UNAUTHENTICATED', null]]);
    for (const who of ['mallory', 'unverified', 'ana'] as const) expect((await ok(SHARED, {}, who))['sharedWithMe']).toEqual([]);

    expect((await ok(ACCEPT, { t: token }, 'helen'))['acceptHelperInvitation']).toEqual({ invitationId, receiptNumber, agency: 'USCIS', accessUntil: new Date(now.getTime() + 30 * DAY).toISOString() });
    expect(refusal(await post(ACCEPT, { t: token }, 'helen'))).toEqual([['INVITATION_NOT_ACCEPTED', 'ALREADY_ACCEPTED']]);
    expect(refusal(await post(ACCEPT, { t: token }, 'mallory'))).toEqual([['INVITATION_NOT_ACCEPTED', 'ALREADY_ACCEPTED']]);

    const shared = (await ok(SHARED, {}, 'helen'))['sharedWithMe'] as { receiptNumber: string; invitationId: string; privateDetails: unknown }[];
    expect(shared).toEqual([
      { receiptNumber, invitationId, accessUntil: new Date(now.getTime() + 30 * DAY).toISOString(), privateDetails: { upcomingAppointments: [{ office: 'NYC' }], openEvidenceRequests: [{ requestId: 'RFE-7', dueDate: '2026-04-17' }] } },
    ]);
    expect((await ok(SHARED, {}, 'mallory'))['sharedWithMe']).toEqual([]);
  });

  it('records each helper read once, naming the grant, and shows it to the applicant without any private value', async () => {
    const receiptNumber = await anasCase();
    const { invitationId, token } = await invited(receiptNumber, new Date(now.getTime() + 7 * DAY));
    await ok(ACCEPT, { t: token }, 'helen');
    const entries = async () => (await audit.ofCase('USCIS', receiptNumber, 50)).filter((entry) => entry.grant === 'helper');
    expect(await entries()).toEqual([]);
    await ok(SHARED, {}, 'helen');
    await ok(SHARED, {}, 'helen');
    const reads = await entries();
    expect(reads).toHaveLength(2);
    expect(reads[0]).toMatchObject({ agency: 'USCIS', receiptNumber, grant: 'helper', grantId: invitationId, readerName: 'h…@example.org', reader: { issuer: ISSUER, subject: people.helen.subject } });
    expect([...reads[0].fields].sort()).toEqual(['openEvidenceRequests', 'upcomingAppointments']);
    // A selection without private fields is no private read.
    await ok('{ sharedWithMe { receiptNumber accessUntil } }', {}, 'helen');
    expect(await entries()).toHaveLength(2);

    const mine = (await ok(MY_CASES, {}, 'ana'))['myCases'] as { receiptNumber: string; accessLog: { grant: string }[] }[];
    expect(mine.find((linked) => linked.receiptNumber === receiptNumber)?.accessLog).toContainEqual({ grant: 'HELPER', byYou: false, helperEmailHint: 'h…@example.org', invitationId, fields: expect.arrayContaining(['upcomingAppointments']) });

    const dump = (await pool.query<{ dump: string }>(`SELECT coalesce(json_agg(r), '[]')::text AS dump FROM ${quoteIdent(schemas.audit)}.private_reads r`)).rows[0].dump;
    for (const value of PRIVATE_VALUES) expect(dump).not.toContain(value);
  });

  it('lets a helper neither re-share the case nor revoke the grant', async () => {
    const receiptNumber = await anasCase();
    const { invitationId, token } = await invited(receiptNumber, new Date(now.getTime() + 7 * DAY));
    await ok(ACCEPT, { t: token }, 'helen');
    expect(refusal(await post(INVITE, { r: receiptNumber, e: 'cousin@example.org', u: new Date(now.getTime() + DAY).toISOString() }, 'helen'))).toEqual([['FORBIDDEN', null]]);
    expect(refusal(await post(REVOKE, { i: invitationId }, 'helen'))).toEqual([['NOT_FOUND', null]]);
    expect(smtp.to('cousin@example.org')).toEqual([]);
    expect(((await ok(SHARED, {}, 'helen'))['sharedWithMe'] as { invitationId: string }[]).map((shared) => shared.invitationId)).toContain(invitationId);
  });

  it('takes access away at once when the applicant revokes, and refuses the revoked invitation', async () => {
    const receiptNumber = await anasCase();
    const accepted = await invited(receiptNumber, new Date(now.getTime() + 30 * DAY));
    await ok(ACCEPT, { t: accepted.token }, 'helen');
    const pending = await invited(receiptNumber, new Date(now.getTime() + 30 * DAY));
    const revoked = await ok(REVOKE, { i: accepted.invitationId }, 'ana');
    expect(revoked['revokeHelper']).toMatchObject({ invitationId: accepted.invitationId, state: 'REVOKED' });
    expect(((await ok(SHARED, {}, 'helen'))['sharedWithMe'] as { receiptNumber: string }[]).map((shared) => shared.receiptNumber)).not.toContain(receiptNumber);
    // Revoking again changes nothing.
    expect((await ok(REVOKE, { i: accepted.invitationId }, 'ana'))['revokeHelper']).toEqual(revoked['revokeHelper']);

    await ok(REVOKE, { i: pending.invitationId }, 'ana');
    expect(refusal(await post(ACCEPT, { t: pending.token }, 'helen'))).toEqual([['INVITATION_NOT_ACCEPTED', 'REVOKED']]);
    expect(refusal(await post(REVOKE, { i: randomUUID() }, 'ana'))).toEqual([['NOT_FOUND', null]]);
  });

  it('ends every helper’s access to a case the applicant unlinks, and their pending invitations with it', async () => {
    const receiptNumber = await anasCase();
    const accepted = await invited(receiptNumber, new Date(now.getTime() + 30 * DAY));
    await ok(ACCEPT, { t: accepted.token }, 'helen');
    const pending = await invited(receiptNumber, new Date(now.getTime() + 30 * DAY));
    expect(((await ok(SHARED, {}, 'helen'))['sharedWithMe'] as { receiptNumber: string }[]).map((shared) => shared.receiptNumber)).toContain(receiptNumber);

    expect((await ok('mutation ($r: String!) { unlinkCase(receiptNumber: $r) }', { r: receiptNumber }, 'ana'))['unlinkCase']).toBe(true);
    // The grants projection runs on its own: Helen loses the case as soon as it has read the unlink.
    const sharedWithHelen = async () => ((await ok(SHARED, {}, 'helen'))['sharedWithMe'] as { receiptNumber: string }[]).map((shared) => shared.receiptNumber);
    for (let attempt = 0; attempt < 100 && (await sharedWithHelen()).includes(receiptNumber); attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await sharedWithHelen()).not.toContain(receiptNumber);
    expect(refusal(await post(ACCEPT, { t: pending.token }, 'helen'))).toEqual([['INVITATION_NOT_ACCEPTED', 'REVOKED']]);
  });

  it('ends a helper’s access when its time is up, without any event, and lets an unaccepted invitation expire after 7 days', async () => {
    const receiptNumber = await anasCase();
    const short = await invited(receiptNumber, new Date(now.getTime() + 2 * HOUR));
    const unaccepted = await invited(receiptNumber, new Date(now.getTime() + 30 * DAY));
    await ok(ACCEPT, { t: short.token }, 'helen');
    const sharedReceipts = async () => ((await ok(SHARED, {}, 'helen'))['sharedWithMe'] as { receiptNumber: string }[]).map((shared) => shared.receiptNumber);
    expect(await sharedReceipts()).toContain(receiptNumber);
    const eventsBefore = (await store.readStream(personStreamId(people.ana))).length;

    later(2 * HOUR - 1);
    expect(await sharedReceipts()).toContain(receiptNumber);
    later(1);
    expect(await sharedReceipts()).not.toContain(receiptNumber);
    const reads = (await audit.ofCase('USCIS', receiptNumber, 50)).filter((entry) => entry.grantId === short.invitationId).length;
    await ok(SHARED, {}, 'helen');
    expect((await audit.ofCase('USCIS', receiptNumber, 50)).filter((entry) => entry.grantId === short.invitationId)).toHaveLength(reads);
    expect((await store.readStream(personStreamId(people.ana))).length).toBe(eventsBefore);

    later(7 * DAY);
    expect(refusal(await post(ACCEPT, { t: unaccepted.token }, 'helen'))).toEqual([['INVITATION_NOT_ACCEPTED', 'EXPIRED']]);
    const states = ((await ok(MY_CASES, {}, 'ana'))['myCases'] as { receiptNumber: string; helpers: { invitationId: string; state: string }[] }[]).find((linked) => linked.receiptNumber === receiptNumber)?.helpers;
    expect(Object.fromEntries((states ?? []).map((grant) => [grant.invitationId, grant.state]))).toEqual({ [short.invitationId]: 'ENDED', [unaccepted.invitationId]: 'INVITATION_EXPIRED' });
  });

  it('refuses bad input with errors that name the argument and never repeat the address or the token', async () => {
    const receiptNumber = await anasCase();
    const until = new Date(now.getTime() + DAY).toISOString();
    const badAddress = await post(INVITE, { r: receiptNumber, e: 'helen.helper@example', u: until }, 'ana');
    expect(refusal(badAddress)).toEqual([['BAD_USER_INPUT', null]]);
    expect(JSON.stringify(badAddress)).not.toContain('helen.helper');
    expect(refusal(await post(INVITE, { r: receiptNumber, e: 'helen@example.org', u: new Date(now.getTime() - 1000).toISOString() }, 'ana'))).toEqual([['BAD_USER_INPUT', null]]);
    expect(refusal(await post(INVITE, { r: receiptNumber, e: 'helen@example.org', u: new Date(now.getTime() + 400 * DAY).toISOString() }, 'ana'))).toEqual([['BAD_USER_INPUT', null]]);
    expect(refusal(await post(INVITE, { r: receiptNumber, e: 'helen@example.org', u: 'next week' }, 'ana'))).toEqual([['BAD_USER_INPUT', null]]);
    expect(refusal(await post(INVITE, { r: receipt(), e: 'helen@example.org', u: until }, 'ana'))).toEqual([['FORBIDDEN', null]]);
    expect(refusal(await post(INVITE, { r: receiptNumber, e: 'helen@example.org', u: until }))).toEqual([['UNAUTHENTICATED', null]]);
    const wrongToken = 'x'.repeat(43);
    const answer = await post(ACCEPT, { t: wrongToken }, 'helen');
    expect(refusal(answer)).toEqual([['NOT_FOUND', null]]);
    expect(JSON.stringify(answer)).not.toContain(wrongToken);
    expect(smtp.to('helen@example.org')).toEqual([]);
  });

  it('keeps neither the invited address nor the token in the event store or the read models, and rebuilds the grants from the streams', async () => {
    const receiptNumber = await anasCase();
    const { token, invitationId } = await invited(receiptNumber, new Date(now.getTime() + 7 * DAY), 'ES');
    const spanish = smtp.to('Helen.Helper@example.org').at(-1);
    expect(spanish?.headers.get('subject')).toBe('Le invitaron a seguir un caso de USCIS');
    expect(spanish?.text).toContain(`https://status.example.gov/es/helpers/accept?token=${token}`);
    await ok(ACCEPT, { t: token }, 'helen');
    const dump = async () =>
      (
        await pool.query<{ dump: string }>(
          `SELECT (SELECT coalesce(json_agg(e), '[]')::text FROM ${quoteIdent(schemas.store)}.events e WHERE stream_id LIKE 'person-%') ||
                  (SELECT coalesce(json_agg(g), '[]')::text FROM ${quoteIdent(schemas.grants)}.grants g) ||
                  (SELECT coalesce(json_agg(r), '[]')::text FROM ${quoteIdent(schemas.audit)}.private_reads r) AS dump`,
        )
      ).rows[0].dump;
    const everything = await dump();
    expect(everything).toContain('HelperInvitationAccepted');
    expect(everything).toContain(invitationId);
    expect(everything.toLowerCase()).not.toContain('helen.helper');
    expect(everything).not.toContain(token);

    const before = await grants.grantsOf(personStreamId(people.ana), 'USCIS', receiptNumber);
    await rebuildProjection(helperGrants, { pool, source: store, schema: schemas.grants });
    expect(await grants.grantsOf(personStreamId(people.ana), 'USCIS', receiptNumber)).toEqual(before);
  });
});
