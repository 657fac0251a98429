import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { Client } from 'pg';
import request from 'supertest';
import { feedbackSecret, SurveyLinks } from '@case-status/feedback';
import { startPlatform, type Platform, type PlatformOptions } from '@case-status/platform';

interface Shown {
  statusCode: string;
  revision: string;
  history: { eventType: string; occurredAt: string }[];
}

/** The one-process platform on the embedded database: record, look up, restart, still there. */
const ISSUER = 'https://login.uscis.example';

describe('platform (one process, embedded database)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-e2e-'));
  const receipt = `IOE${String(Date.now()).slice(-10)}`;
  let platform: Platform | undefined;
  let privateKey: CryptoKey;
  let agencyKeys: { USCIS: { issuers: string[]; jwks: { keys: object[] } } };

  const options = (dir: string): PlatformOptions => ({
    dataDir: dir,
    intakePort: 0,
    statusPort: 0,
    linksPort: 0,
    agencyKeys,
    notifications: { outboxDir: join(dir, 'outbox') },
    logger: false,
  });

  const start = async () => {
    platform = await startPlatform(options(dataDir));
    return platform;
  };
  const current = (): Platform => {
    if (!platform) throw new Error('the platform is not running');
    return platform;
  };
  const record = async (type: string, occurredAt: string, data: object) => {
    const token = await new SignJWT({ agency: 'USCIS', scope: 'intake:write' })
      .setProtectedHeader({ alg: 'ES256', kid: 'platform' })
      .setSubject('platform-test')
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setAudience('case-status-intake')
      .setExpirationTime('5m')
      .sign(privateKey);
    const res = await request(current().intakeUrl)
      .post(`/v1/cases/${receipt}/events`)
      .set('authorization', `Bearer ${token}`)
      .send({ eventId: randomUUID(), type, occurredAt, data });
    expect(res.status).toBe(201);
    return (res.body as { streamRevision: string }).streamRevision;
  };
  const caseStatus = async (): Promise<Shown | null> => {
    const res = await request(current().statusUrl)
      .post('/graphql')
      .send({ query: 'query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode revision history { eventType occurredAt } } }', variables: { r: receipt } });
    const body = res.body as { data?: { caseStatus: Shown | null }; errors?: unknown[] };
    if (body.errors) throw new Error(`caseStatus answered errors: ${JSON.stringify(body.errors)}`);
    return body.data?.caseStatus ?? null;
  };
  /** The projector runs on its own: poll until it reached `revision`. */
  const statusAt = async (revision: string): Promise<Shown> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const shown = await caseStatus();
      if (shown && BigInt(shown.revision) >= BigInt(revision)) return shown;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the status API never showed revision ${revision} of ${receipt}`);
  };

  beforeAll(async () => {
    const keys = await generateKeyPair('ES256');
    privateKey = keys.privateKey;
    agencyKeys = { USCIS: { issuers: [ISSUER], jwks: { keys: [{ ...(await exportJWK(keys.publicKey)), kid: 'platform', alg: 'ES256' }] } } };
  }, 10_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('shows recorded events, keeps them across a restart and accepts new ones after it', async () => {
    await start();
    await record('CaseReceived', '2026-01-05T09:00:00Z', { formType: 'I-130', office: 'NBC' });
    const second = await record('EvidenceRequested', '2026-02-01T09:00:00Z', { requestId: 'RFE-1', dueDate: '2026-04-01', description: 'Birth certificate' });
    const before = await statusAt(second);
    expect(before.statusCode).toBe('EVIDENCE_REQUESTED');
    expect(before.history.map((h) => h.eventType)).toEqual(['CaseReceived', 'EvidenceRequested']);

    const running = current();
    platform = undefined;
    await running.stop();
    await start();

    expect(await caseStatus()).toEqual(before);
    const third = await record('EvidenceReceived', '2026-03-01T09:00:00Z', { requestId: 'RFE-1' });
    const after = await statusAt(third);
    expect(after.statusCode).toBe('EVIDENCE_RECEIVED');
    expect(after.history.map((h) => h.eventType)).toEqual(['CaseReceived', 'EvidenceRequested', 'EvidenceReceived']);
  }, 120_000);

  it('takes one survey answer per case after the decision, from its survey link only, and stores it without the receipt number', async () => {
    if (!platform) await start();
    const decision = await record('DecisionIssued', '2026-04-01T09:00:00Z', { outcome: 'approved' });
    await statusAt(decision);
    // The link an agency's endpoint gets with the decision: keyed by the platform's (here the development) feedback secret.
    const link = new SurveyLinks({ secret: feedbackSecret(undefined).secret }).issue(receipt).token;
    const submit = (surveyLink: string | null = link) =>
      request(current().statusUrl)
        .post('/graphql')
        .send({
          query: 'mutation ($r: String!, $a: FeedbackAnswersInput!, $l: String) { submitFeedback(receiptNumber: $r, answers: $a, language: EN, surveyLink: $l) { quarter replayed } }',
          variables: { r: receipt, a: { satisfaction: 5, ease: 4 }, l: surveyLink },
        });
    expect((await submit(null)).body.errors.map((error: { extensions: { code: string } }) => error.extensions.code)).toEqual(['FEEDBACK_NOT_ALLOWED']);
    const first = await submit();
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.submitFeedback.replayed).toBe(false);
    expect((await submit()).body.data.submitFeedback.replayed).toBe(true);
    // The stored answer carries no receipt number.
    const client = new Client({ connectionString: current().databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ stream_id: string; data: unknown }>("SELECT stream_id, data FROM event_store.events WHERE stream_id LIKE 'feedback-%'");
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows[0])).not.toContain(receipt);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('sends the shared security headers from each of its HTTP surfaces', async () => {
    if (!platform) await start();
    const answers = {
      intake: await fetch(`${current().intakeUrl}/openapi.json`),
      status: await fetch(`${current().statusUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) }),
      links: await fetch(`${current().linksUrl}/notifications/confirm?token=abc`),
    };
    for (const [surface, res] of Object.entries(answers)) {
      expect([surface, res.status]).toEqual([surface, 200]);
      expect([surface, res.headers.get('content-security-policy')]).toEqual([surface, expect.stringMatching(/^default-src 'none';.*frame-ancestors 'none'$/)]);
      expect([surface, res.headers.get('strict-transport-security'), res.headers.get('x-content-type-options'), res.headers.get('referrer-policy'), res.headers.get('cache-control')]).toEqual([
        surface,
        'max-age=31536000; includeSubDomains',
        'nosniff',
        'no-referrer',
        'no-store',
      ]);
    }
  }, 120_000);

  it('answers readiness for every part on its operations server, and serves every part\'s metrics there without a receipt number', async () => {
    if (!platform) await start();
    expect(await caseStatus()).not.toBeNull();
    const ready = await fetch(`${current().opsUrl}/health/ready`);
    const body = await ready.json();
    expect([ready.status, body.status]).toEqual([200, 'ok']);
    expect(Object.keys(body.details).sort()).toEqual(['database', 'event-store', 'live-updates', 'notifier', 'projection:case-links', 'projection:case-read-models', 'projection:feedback-results', 'projection:helper-grants', 'projection:representatives', 'projection:weekly-case-flow', 'relay']);
    expect(body.details.relay).toMatchObject({ status: 'up', maxLagMs: 30_000 });
    const text = await (await fetch(`${current().opsUrl}/metrics`)).text();
    for (const series of ['projection_position{projection="case-read-models"}', 'projection_lag_seconds', 'relay_published_total', 'relay_lag_seconds', 'notifier_queue_depth', 'event_store_append_duration_seconds_count{outcome="appended"}', 'graphql_operation_duration_seconds_count', 'process_cpu_seconds_total']) {
      expect([series, text.includes(series)]).toEqual([series, true]);
    }
    expect(text).not.toContain(receipt);
  }, 120_000);

  it('serves no readiness details or metrics on its public ports, only liveness', async () => {
    if (!platform) await start();
    const { intakeUrl, statusUrl } = current();
    for (const url of [intakeUrl, statusUrl]) {
      expect([url, (await fetch(`${url}/metrics`)).status, (await fetch(`${url}/health/ready`)).status]).toEqual([url, 404, 404]);
      const live = await fetch(`${url}/health/live`);
      expect([url, live.status, await live.json()]).toEqual([url, 200, { status: 'ok' }]);
    }
  }, 120_000);

  it('fails to start with the cause when its port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    const otherDir = mkdtempSync(join(tmpdir(), 'platform-e2e-'));
    try {
      await expect(startPlatform({ ...options(otherDir), statusPort: taken })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
      rmSync(otherDir, { recursive: true, force: true });
    }
  }, 120_000);
});
