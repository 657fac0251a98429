import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient, type Client } from 'graphql-ws';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { Pool } from 'pg';
import request from 'supertest';
import WebSocket from 'ws';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { createIntakeApp } from '@case-status/intake';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels } from '@case-status/read-models';
import { ProjectionRunner } from '@case-status/projection-runner';
import { createStatusApp } from '@case-status/public-api';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

/**
 * The whole read path on real PostgreSQL: an event accepted by the intake API is projected
 * and answered by the GraphQL status API, and pushed to a live subscriber.
 */
const ISSUER = 'https://login.uscis.example';

describe('intake → projector → GraphQL status API', () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  const storeSchema = `flow_store_${suffix}`;
  const readSchema = `flow_read_${suffix}`;
  let pool: Pool;
  let store: PostgresEventStore;
  let projector: ProjectionRunner;
  let running: Promise<void>;
  let intake: NestFastifyApplication;
  let status: NestFastifyApplication;
  let statusUrl: string;
  let privateKey: CryptoKey;

  const receipt = `IOE${String(Date.now()).slice(-10)}`;
  const token = () =>
    new SignJWT({ agency: 'USCIS', scope: 'intake:write' })
      .setProtectedHeader({ alg: 'ES256', kid: 'flow' })
      .setSubject('flow-test')
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setAudience('case-status-intake')
      .setExpirationTime('5m')
      .sign(privateKey);
  const record = async (type: string, occurredAt: string, data: object) => {
    const res = await request(intake.getHttpServer())
      .post(`/v1/cases/${receipt}/events`)
      .set('authorization', `Bearer ${await token()}`)
      .send({ eventId: randomUUID(), type, occurredAt, data });
    expect(res.status).toBe(201);
    return res.body as { streamRevision: string };
  };
  const graphql = async (query: string, variables: object) => {
    const res = await request(statusUrl).post('/graphql').send({ query, variables });
    return res.body as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
  };
  const STATUS_QUERY = `query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode step formType office revision
    statusText { en es } history { eventType occurredAt title { en es } } } }`;

  /** Polls until the projection caught up with `revision`; the projector runs on its own. */
  async function statusAtRevision(revision: string) {
    for (let attempt = 0; attempt < 100; attempt++) {
      const body = await graphql(STATUS_QUERY, { r: receipt });
      const found = body.data?.['caseStatus'] as { revision: string } | null | undefined;
      if (found && BigInt(found.revision) >= BigInt(revision)) return found as Record<string, unknown>;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the status API never showed revision ${revision} of ${receipt}`);
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 10 });
    store = await createPostgresEventStore({ connection: pool, schema: storeSchema, pollIntervalMs: 50 });
    const keys = await generateKeyPair('ES256');
    privateKey = keys.privateKey;
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'flow', alg: 'ES256' };
    intake = await createIntakeApp({ eventStore: store, agencyKeys: { USCIS: { issuers: [ISSUER], jwks: { keys: [jwk] } } }, logger: false });

    projector = new ProjectionRunner(caseReadModels, { pool, source: store, schema: readSchema, wakeChannel: store.appendChannel, pollIntervalMs: 50 });
    await projector.init();
    running = projector.start();

    status = await createStatusApp({
      queries: new PostgresReadModels({ connection: pool, schema: readSchema }),
      changeFeed: new PostgresCaseStatusChangeFeed({ connection: databaseUrl, schema: readSchema }),
      caseworkerKeys: {},
      rateLimit: false,
      closeOnShutdown: true,
      logger: false,
    });
    await status.listen(0, '127.0.0.1');
    statusUrl = (await status.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await status?.close();
    await projector?.stop();
    await running;
    await intake?.close();
    await store?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS "${storeSchema}" CASCADE`);
    await pool?.query(`DROP SCHEMA IF EXISTS "${readSchema}" CASCADE`);
    await pool?.end();
  });

  it('shows an event accepted by intake in caseStatus and its history', async () => {
    await record('CaseReceived', '2026-01-05T09:00:00Z', { formType: 'I-130', office: 'NBC' });
    const { streamRevision } = await record('EvidenceRequested', '2026-02-01T09:00:00Z', { requestId: 'RFE-1', dueDate: '2026-04-01', description: 'Birth certificate' });

    const shown = await statusAtRevision(streamRevision);
    expect(shown).toMatchObject({
      statusCode: 'EVIDENCE_REQUESTED',
      step: 'EVIDENCE',
      formType: 'I-130',
      office: 'NBC',
    });
    // The public view says evidence was asked for, not what or by when.
    expect(shown['statusText']).toEqual({
      en: 'We asked you for more evidence. The request we mailed you says what to send and by when.',
      es: 'Le pedimos más pruebas. La solicitud que le enviamos por correo indica qué debe mandar y para cuándo.',
    });
    expect(JSON.stringify(shown)).not.toMatch(/2026-04-01|abril|April|RFE-1|Birth certificate/);
    expect((shown['history'] as { eventType: string }[]).map((h) => h.eventType)).toEqual(['CaseReceived', 'EvidenceRequested']);
  });

  it('orders the history by business time when a fact is reported late', async () => {
    const { streamRevision } = await record('CaseReviewStarted', '2026-01-20T09:00:00Z', {});
    const shown = await statusAtRevision(streamRevision);
    expect((shown['history'] as { eventType: string }[]).map((h) => h.eventType)).toEqual(['CaseReceived', 'CaseReviewStarted', 'EvidenceRequested']);
  });

  it('pushes the next change to a live subscriber', async () => {
    const client: Client = createClient({ url: statusUrl.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const pushed = new Promise<Record<string, unknown>>((resolve, reject) => {
        const stop = client.subscribe<{ caseStatusChanged: Record<string, unknown> }>(
          { query: 'subscription ($r: String!) { caseStatusChanged(receiptNumber: $r) { statusCode revision } }', variables: { r: receipt } },
          {
            next: (message) => {
              if (message.data) {
                stop();
                resolve(message.data.caseStatusChanged);
              }
            },
            error: reject,
            complete: () => undefined,
          },
        );
      });
      // Give the subscription time to be registered before the change it waits for.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const { streamRevision } = await record('EvidenceReceived', '2026-03-01T09:00:00Z', { requestId: 'RFE-1' });
      await expect(pushed).resolves.toEqual({ statusCode: 'EVIDENCE_RECEIVED', revision: streamRevision });
    } finally {
      await client.dispose();
    }
  });
});
