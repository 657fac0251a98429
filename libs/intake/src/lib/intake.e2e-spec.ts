import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT } from 'jose';
import { Pool } from 'pg';
import request from 'supertest';
import { createPostgresEventStore, formatPosition, type EventStore } from '@case-status/event-store';
import { statementLog } from '@case-status/postgres-support/testing';
import { INTAKE_AUDIENCE, type AgencyKeys } from './agency-auth';
import { signingKey, type SigningKey } from '../testing/agency-tokens';
import { createIntakeApp } from './intake.app';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

describe('intake API over HTTP, on real PostgreSQL', () => {
  const schema = `intake_e2e_${process.pid}_${Date.now()}`;
  let pool: Pool;
  let store: EventStore;
  let statements: ReturnType<typeof statementLog>;
  let app: NestFastifyApplication;
  let uscisKey: SigningKey;
  let vbaKey: SigningKey;

  const issuerOf = (agency: string) => `https://login.${agency.toLowerCase()}.example`;
  const token = (options: { agency?: string; scope?: string; key?: SigningKey; expiresIn?: string; audience?: string; issuer?: string; issuedAt?: string } = {}) =>
    new SignJWT({ agency: options.agency ?? 'USCIS', scope: options.scope ?? 'intake:write intake:read' })
      .setProtectedHeader({ alg: 'ES256', kid: (options.key ?? uscisKey).jwk.kid })
      .setSubject('adjudication-system-1')
      .setIssuer(options.issuer ?? issuerOf(options.agency ?? 'USCIS'))
      .setAudience(options.audience ?? INTAKE_AUDIENCE)
      .setIssuedAt(options.issuedAt)
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign((options.key ?? uscisKey).privateKey);

  let receiptCounter = 0;
  const newReceipt = () => `IOE${String(Date.now() % 1e7).padStart(7, '0')}${String(receiptCounter++).padStart(3, '0')}`;
  const received = (overrides: Record<string, unknown> = {}) => ({
    eventId: randomUUID(),
    type: 'CaseReceived',
    occurredAt: '2026-01-05T10:00:00Z',
    data: { formType: 'I-130', office: 'NBC' },
    ...overrides,
  });
  const evidenceRequested = (requestId: string, overrides: Record<string, unknown> = {}) => ({
    eventId: randomUUID(),
    type: 'EvidenceRequested',
    occurredAt: '2026-02-01T10:00:00Z',
    data: { requestId, dueDate: '2026-04-01', description: 'Birth certificate of the beneficiary' },
    ...overrides,
  });

  const post = async (receipt: string, body: unknown, bearer?: string) =>
    request(app.getHttpServer())
      .post(`/v1/cases/${receipt}/events`)
      .set('authorization', `Bearer ${bearer ?? (await token())}`)
      .send(body as object);

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 12 });
    statements = statementLog(pool);
    store = await createPostgresEventStore({ connection: pool, schema });
    uscisKey = await signingKey('USCIS');
    vbaKey = await signingKey('VBA');
    const agencyKeys: AgencyKeys = {
      USCIS: { issuers: [issuerOf('USCIS')], jwks: { keys: [uscisKey.jwk] } },
      VBA: { issuers: [issuerOf('VBA')], jwks: { keys: [vbaKey.jwk] } },
    };
    app = await createIntakeApp({ eventStore: store, agencyKeys, logger: false });
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  });

  describe('recording one event', () => {
    it('answers 201 with the stream revision and global position, and stores the event with its business time', async () => {
      const receipt = newReceipt();
      const event = received();
      const res = await post(receipt, event);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        eventId: event.eventId,
        receiptNumber: receipt,
        streamId: `case-USCIS-${receipt}`,
        streamRevision: '0',
        position: expect.stringMatching(/^\d+:\d+$/),
      });
      const [stored] = await store.readStream(`case-USCIS-${receipt}`);
      expect(stored).toMatchObject({ id: event.eventId, type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber: receipt, formType: 'I-130', office: 'NBC' } });
      expect(stored.metadata).toMatchObject({ occurredAt: '2026-01-05T10:00:00Z', submittedBy: 'adjudication-system-1' });
    });

    it('answers an idempotent replay with the same body, flags it, and stores nothing twice', async () => {
      const receipt = newReceipt();
      const event = received();
      const first = await post(receipt, event);
      const again = await post(receipt, event);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(await store.readStream(`case-USCIS-${receipt}`)).toHaveLength(1);
    });

    it('costs two statements: the case read and one append statement, with no BEGIN or COMMIT', async () => {
      const receipt = newReceipt();
      statements.take();
      const res = await post(receipt, received());
      expect(res.status).toBe(201);
      expect(statements.take()).toEqual(['SELECT', 'WITH']);
    });

    it('refuses an event id reused with different content with 409', async () => {
      const receipt = newReceipt();
      const event = received();
      await post(receipt, event);
      const res = await post(receipt, { ...event, data: { formType: 'I-485', office: 'NBC' } });
      expect(res.status).toBe(409);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ status: 409, code: 'EVENT_ID_REUSED', errors: [{ field: '/eventId' }] });
    });

    it('refuses an event id already used by another case with 409 and leaves both cases as they were', async () => {
      const first = newReceipt();
      const second = newReceipt();
      const event = received();
      await post(first, event);
      const res = await post(second, event);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('EVENT_ID_REUSED');
      expect(await store.readStream(`case-USCIS-${second}`)).toEqual([]);
      expect(await store.readStream(`case-USCIS-${first}`)).toHaveLength(1);
    });

    it('refuses a transition the lifecycle forbids with 409 naming the domain reason', async () => {
      const res = await post(newReceipt(), evidenceRequested('RFE-1'));
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'TRANSITION_FORBIDDEN', errors: [{ reason: expect.stringContaining('CASE_NOT_RECEIVED') }] });
    });

    it('refuses a second receipt of the same case with 409', async () => {
      const receipt = newReceipt();
      await post(receipt, received());
      const res = await post(receipt, received());
      expect(res.status).toBe(409);
      expect(res.body.errors[0].reason).toContain('CASE_ALREADY_RECEIVED');
    });

    it.each([
      ['a malformed due date', { data: { requestId: 'R1', dueDate: '2026-02-30', description: 'x' } }, '/data/dueDate'],
      ['an unknown data field', { data: { requestId: 'R1', dueDate: '2026-04-01', description: 'x', urgent: true } }, '/data/urgent'],
      ['a missing event id', { eventId: undefined }, '/eventId'],
      ['an event id that is not a UUID', { eventId: 'evt-1' }, '/eventId'],
      ['an unknown event type', { type: 'CaseLost' }, '/type'],
      ['a time without offset', { occurredAt: '2026-02-01T10:00:00' }, '/occurredAt'],
    ])('refuses %s with 422 naming the field', async (_title, override, field) => {
      const receipt = newReceipt();
      await post(receipt, received());
      const res = await post(receipt, evidenceRequested('R1', override));
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await store.readStream(`case-USCIS-${receipt}`)).toHaveLength(1);
    });

    it('refuses an office the agency does not have with 422', async () => {
      const res = await post(newReceipt(), received({ data: { formType: 'I-130', office: 'XXX' } }));
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toMatchObject({ field: '/data/office' });
    });

    it('refuses a malformed receipt number with 422 and an example of the right format', async () => {
      const res = await post('IOE12', received());
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'INVALID_RECEIPT_NUMBER', errors: [{ field: '/receiptNumber', reason: expect.stringContaining('IOE0912345678') }] });
    });

    it("refuses another agency's case with 403", async () => {
      const res = await post('VBA-2026-0001234', received(), await token());
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('OTHER_AGENCYS_CASE');
    });

    it('refuses a stale expected revision with 409 and records nothing', async () => {
      const receipt = newReceipt();
      await post(receipt, received());
      const res = await post(receipt, evidenceRequested('R1', { expectedRevision: 5 }));
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('WRONG_EXPECTED_REVISION');
      const ok = await post(receipt, evidenceRequested('R2', { expectedRevision: '0' }));
      expect(ok.status).toBe(201);
      expect(ok.body.streamRevision).toBe('1');
    });
  });

  describe('concurrent writers on one case', () => {
    it('with the same expected revision: exactly one is recorded, the others get 409', async () => {
      const receipt = newReceipt();
      await post(receipt, received());
      const bearer = await token();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => post(receipt, evidenceRequested(`RFE-${i}`, { expectedRevision: 0 }), bearer)),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      expect(await store.readStream(`case-USCIS-${receipt}`)).toHaveLength(2);
    });

    it('without an expected revision: every event is recorded once, each at its own revision', async () => {
      const receipt = newReceipt();
      await post(receipt, received());
      const bearer = await token();
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => post(receipt, evidenceRequested(`RFE-${i}`), bearer)));
      expect(answers.every((a) => a.status === 201)).toBe(true);
      expect(answers.map((a) => Number(a.body.streamRevision)).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });

  describe('authentication', () => {
    it('refuses a request without a token with 401 and a Bearer challenge', async () => {
      const res = await request(app.getHttpServer()).post(`/v1/cases/${newReceipt()}/events`).send(received());
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('Bearer');
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it("refuses a token claiming one agency but signed with another agency's key", async () => {
      const forged = await token({ agency: 'USCIS', key: vbaKey });
      const res = await post(newReceipt(), received(), forged);
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(/key/);
    });

    it('refuses an expired token', async () => {
      const expired = await token({ expiresIn: '-2m' });
      const res = await post(newReceipt(), received(), expired);
      expect(res.status).toBe(401);
      expect(res.body.detail).toContain('expired');
    });

    it('refuses a token meant for another audience, naming the claim', async () => {
      const res = await post(newReceipt(), received(), await token({ audience: 'someone-else' }));
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('"aud"') });
    });

    it("refuses a token signed with the agency's key but from an issuer the agency does not use, without echoing the token", async () => {
      const bearer = await token({ issuer: issuerOf('VBA') });
      const res = await post(newReceipt(), received(), bearer);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', detail: expect.stringContaining('"iss"') });
      expect(JSON.stringify(res.body)).not.toContain(bearer.split('.')[1]);
    });

    it('refuses a token issued more than the maximum age ago, though not yet expired', async () => {
      const res = await post(newReceipt(), received(), await token({ issuedAt: '-2h', expiresIn: '1h' }));
      expect(res.status).toBe(401);
      expect(res.body.detail).toContain('"iat" claim is too old');
    });

    it('refuses a token issued in the future, beyond the clock skew tolerated', async () => {
      const res = await post(newReceipt(), received(), await token({ issuedAt: '10m', expiresIn: '1h' }));
      expect(res.status).toBe(401);
      expect(res.body.detail).toContain('"iat" claim is in the future');
    });

    it('refuses a token without the write scope with 403', async () => {
      const res = await post(newReceipt(), received(), await token({ scope: 'intake:read' }));
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    });
  });

  describe('batches', () => {
    const batch = async (events: unknown[], bearer?: string) =>
      request(app.getHttpServer())
        .post('/v1/events/batch')
        .set('authorization', `Bearer ${bearer ?? (await token())}`)
        .send({ events });

    it('answers per item and keeps accepted items when siblings are refused', async () => {
      const a = newReceipt();
      const b = newReceipt();
      const items = [
        { receiptNumber: a, ...received() },
        { receiptNumber: a, ...evidenceRequested('R1') },
        { receiptNumber: b, ...evidenceRequested('R1') }, // b was never received
        { receiptNumber: a, ...evidenceRequested('R2', { data: { requestId: 'R2' } }) }, // invalid data
        { receiptNumber: a, ...evidenceRequested('R3') },
      ];
      const res = await batch(items);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ recorded: 3, refused: 2 });
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 201, 409, 422, 201]);
      expect(res.body.results.map((r: { streamRevision?: string }) => r.streamRevision)).toEqual(['0', '1', undefined, undefined, '2']);
      expect(res.body.results[3].problem.errors[0].field).toContain('/data/');
      const stored = await store.readStream(`case-USCIS-${a}`);
      expect(stored.map((e) => e.id)).toEqual([items[0].eventId, items[1].eventId, items[4].eventId]);
    });

    it('answers a replayed batch exactly as the first time', async () => {
      const receipt = newReceipt();
      const items = [{ receiptNumber: receipt, ...received() }, { receiptNumber: receipt, ...evidenceRequested('R1') }];
      const first = await batch(items);
      const again = await batch(items);
      expect(again.body).toEqual(first.body);
      expect(await store.readStream(`case-USCIS-${receipt}`)).toHaveLength(2);
    });

    it('answers each event of a batch of several cases with the position the store gave it', async () => {
      const [a, b] = [newReceipt(), newReceipt()];
      const res = await batch([
        { receiptNumber: a, ...received() },
        { receiptNumber: b, ...received() },
        { receiptNumber: a, ...evidenceRequested('R1') },
      ]);
      expect(res.body).toMatchObject({ recorded: 3, refused: 0 });
      const stored = [...(await store.readStream(`case-USCIS-${a}`)), ...(await store.readStream(`case-USCIS-${b}`))];
      const positionOf = new Map(stored.map((e) => [e.id, formatPosition(e.position)]));
      for (const result of res.body.results as { eventId: string; position: string }[]) expect(result.position).toBe(positionOf.get(result.eventId));
    });

    it("refuses a case whose event id another case already holds, and still records the batch's other cases", async () => {
      const [holder, reuser, other] = [newReceipt(), newReceipt(), newReceipt()];
      const taken = received();
      await post(holder, taken);
      const res = await batch([
        { receiptNumber: other, ...received() },
        { receiptNumber: reuser, ...taken },
        { receiptNumber: other, ...evidenceRequested('R1') },
      ]);
      expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([201, 409, 201]);
      expect(res.body.results[1].problem.code).toBe('EVENT_ID_REUSED');
      expect(await store.readStream(`case-USCIS-${reuser}`)).toEqual([]);
      expect(await store.readStream(`case-USCIS-${other}`)).toHaveLength(2);
    });

    it('records one of two cases given the same event id in one batch and refuses the other', async () => {
      const [first, second] = [newReceipt(), newReceipt()];
      const shared = received();
      const res = await batch([
        { receiptNumber: first, ...shared },
        { receiptNumber: second, ...shared },
      ]);
      const statuses = res.body.results.map((r: { status: number }) => r.status).sort();
      expect(statuses).toEqual([201, 409]);
      const stored = [...(await store.readStream(`case-USCIS-${first}`)), ...(await store.readStream(`case-USCIS-${second}`))];
      expect(stored.map((e) => e.id)).toEqual([shared.eventId]);
    });

    it('costs one read and one append transaction for a whole batch of several cases', async () => {
      const cases = [newReceipt(), newReceipt(), newReceipt()];
      statements.take();
      const res = await batch(cases.flatMap((receiptNumber) => [{ receiptNumber, ...received() }, { receiptNumber, ...evidenceRequested('R1') }]));
      expect(res.body).toMatchObject({ recorded: 6, refused: 0 });
      expect(statements.take()).toEqual(['SELECT', 'BEGIN', 'WITH', 'COMMIT']);
    });

    it('refuses more than 500 events with 413 and records none of them', async () => {
      const receipt = newReceipt();
      const items = Array.from({ length: 501 }, (_, i) => ({ receiptNumber: receipt, ...evidenceRequested(`R${i}`) }));
      const res = await batch(items);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await store.readStream(`case-USCIS-${receipt}`)).toEqual([]);
    });

    it('refuses a body over the size limit with 413 problem+json', async () => {
      const res = await post(newReceipt(), received({ data: { formType: 'I-130', office: 'NBC', filler: 'x'.repeat(3 * 1024 * 1024) } }));
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('refuses a body that is not JSON with 415, and malformed JSON with 400, both as problems', async () => {
      const bearer = await token();
      const text = await request(app.getHttpServer()).post(`/v1/cases/${newReceipt()}/events`).set('authorization', `Bearer ${bearer}`).set('content-type', 'text/plain').send('CaseReceived');
      const broken = await request(app.getHttpServer()).post(`/v1/cases/${newReceipt()}/events`).set('authorization', `Bearer ${bearer}`).set('content-type', 'application/json').send('{"eventId": ');
      expect([text.status, text.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
      expect([broken.status, broken.body.code]).toEqual([400, 'INVALID_REQUEST']);
      expect(broken.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses a body with a "__proto__" key as malformed JSON, naming the body as the field (found by the fuzzing)', async () => {
      const res = await request(app.getHttpServer())
        .post('/v1/events/batch')
        .set('authorization', `Bearer ${await token()}`)
        .set('content-type', 'application/json')
        .send('{"events":[{"eventId":"00000000-0000-4000-8000-000000000000","type":"CaseReviewStarted","occurredAt":[{"__proto__":""}],"data":{}}]}');
      expect([res.status, res.body.code]).toEqual([400, 'INVALID_REQUEST']);
      expect(res.body.errors).toEqual([{ field: '/', reason: expect.stringMatching(/not valid JSON .*"__proto__"/) }]);
    });

    it('refuses a body without an events array with 422', async () => {
      const res = await request(app.getHttpServer()).post('/v1/events/batch').set('authorization', `Bearer ${await token()}`).send({ items: [] });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].field).toBe('/events');
    });
  });

  describe('online access codes', () => {
    const hash = (fill: string) => `scrypt$16384$8$1$${'s'.repeat(22)}$${fill.repeat(43)}`;

    it('records a case received with its access code hash, and a new code for a case on file', async () => {
      const receipt = newReceipt();
      expect((await post(receipt, received({ data: { formType: 'I-130', office: 'NBC', accessCodeHash: hash('a') } }))).status).toBe(201);
      const issued = await post(receipt, { eventId: randomUUID(), type: 'AccessCodeIssued', occurredAt: '2026-02-01T10:00:00Z', data: { accessCodeHash: hash('b') } });
      expect(issued.status).toBe(201);
      const stream = await store.readStream(`case-USCIS-${receipt}`);
      expect(stream.map((event) => [event.type, event.data['accessCodeHash']])).toEqual([['CaseReceived', hash('a')], ['AccessCodeIssued', hash('b')]]);
    });

    it('refuses a hash whose parameters would cost too much to check, naming the field, and keeps no hash in the refusal log', async () => {
      const receipt = newReceipt();
      await post(receipt, received());
      const costly = `scrypt$1048576$8$1$${'s'.repeat(22)}$${'c'.repeat(43)}`;
      const refused = await post(receipt, { eventId: randomUUID(), type: 'AccessCodeIssued', occurredAt: '2026-02-01T10:00:00Z', data: { accessCodeHash: costly } });
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors).toEqual([{ field: '/data/accessCodeHash', reason: "accessCodeHash's N must be one of 16384, 32768, 65536." }]);
      const early = await post(newReceipt(), { eventId: randomUUID(), type: 'AccessCodeIssued', occurredAt: '2026-02-01T10:00:00Z', data: { accessCodeHash: hash('d') } });
      expect(early.status).toBe(409);
      const log = await request(app.getHttpServer()).get('/v1/refusals?limit=5').set('authorization', `Bearer ${await token()}`);
      expect(log.body.items.slice(0, 2).map((item: { submittedType: string }) => item.submittedType)).toEqual(['AccessCodeIssued', 'AccessCodeIssued']);
      expect(JSON.stringify(log.body)).not.toMatch(/scrypt/);
    });
  });

  describe('representatives of record', () => {
    const appointed = (data: Record<string, unknown> = {}) => ({
      eventId: randomUUID(),
      type: 'RepresentativeAppointed',
      occurredAt: '2026-02-01T10:00:00Z',
      data: { representativeId: 'g28-1', name: 'Rita Representative', kind: 'attorney', identity: { email: 'Rita@Example.org' }, effectiveFrom: '2026-02-01', ...data },
    });
    const withdrawn = (representativeId: string) => ({ eventId: randomUUID(), type: 'RepresentativeWithdrawn', occurredAt: '2026-03-01T10:00:00Z', data: { representativeId } });

    it('records an appointment and its withdrawal, the address in lower case', async () => {
      const receipt = newReceipt();
      await post(receipt, received());
      expect((await post(receipt, appointed())).status).toBe(201);
      expect((await post(receipt, withdrawn('g28-1'))).status).toBe(201);
      const stream = await store.readStream(`case-USCIS-${receipt}`);
      expect(stream.slice(1).map((event) => [event.type, event.data['identity'] ?? event.data['representativeId']])).toEqual([['RepresentativeAppointed', { email: 'rita@example.org' }], ['RepresentativeWithdrawn', 'g28-1']]);
    });

    it('refuses a malformed identity with problem+json naming each field, and a withdrawal of nobody of record with 409', async () => {
      const receipt = newReceipt();
      await post(receipt, received());
      const refused = await post(receipt, appointed({ identity: { issuer: 'https://login.example.gov' }, kind: 'paralegal' }));
      expect(refused.status).toBe(422);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors.map((error: { field: string }) => error.field)).toEqual(['/data/kind', '/data/identity/subject']);
      const nobody = await post(receipt, withdrawn('g28-404'));
      expect(nobody.status).toBe(409);
      expect(nobody.body).toMatchObject({ code: 'TRANSITION_FORBIDDEN', errors: [{ field: '/data/representativeId', reason: expect.stringMatching(/^UNKNOWN_REPRESENTATIVE: There is no representative "g28-404" of record on this case/) }] });
    });
  });

  describe('refusals kept for audit', () => {
    it("lists the agency's refused submissions newest first, and never another agency's", async () => {
      const receipt = newReceipt();
      const refusedEvent = evidenceRequested('R9');
      await post(receipt, refusedEvent);
      const uscis = await request(app.getHttpServer()).get('/v1/refusals?limit=5').set('authorization', `Bearer ${await token()}`);
      expect(uscis.status).toBe(200);
      expect(uscis.body.items[0]).toMatchObject({
        eventId: refusedEvent.eventId,
        receiptNumber: receipt,
        submittedType: 'EvidenceRequested',
        status: 409,
        code: 'TRANSITION_FORBIDDEN',
        submitted: { data: { requestId: 'R9' } },
      });
      const vba = await request(app.getHttpServer()).get('/v1/refusals').set('authorization', `Bearer ${await token({ agency: 'VBA', key: vbaKey })}`);
      expect(vba.status).toBe(200);
      expect(vba.body.items.map((r: { eventId?: string }) => r.eventId)).not.toContain(refusedEvent.eventId);
    });

    it('pages through refusals with the next cursor without repeating any', async () => {
      const bearer = await token();
      for (let i = 0; i < 3; i++) await post(newReceipt(), evidenceRequested(`P${i}`), bearer);
      const page1 = await request(app.getHttpServer()).get('/v1/refusals?limit=2').set('authorization', `Bearer ${bearer}`);
      const page2 = await request(app.getHttpServer()).get(`/v1/refusals?limit=2&before=${page1.body.next}`).set('authorization', `Bearer ${bearer}`);
      const ids = [...page1.body.items, ...page2.body.items].map((r: { refusalId: string }) => r.refusalId);
      expect(new Set(ids).size).toBe(4);
      expect(Number(page2.body.items[0].sequence)).toBeLessThan(Number(page1.body.items[1].sequence));
    });
  });

  it('serves an OpenAPI document generated from the code', async () => {
    const res = await request(app.getHttpServer()).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/v1/cases/{receiptNumber}/events', '/v1/events/batch', '/v1/refusals']));
    const body = res.body.paths['/v1/cases/{receiptNumber}/events'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['eventId', 'type', 'occurredAt']));
  });

  it('answers an unknown route with 404 problem+json', async () => {
    const res = await request(app.getHttpServer()).get('/v1/nothing').set('authorization', `Bearer ${await token()}`);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});
