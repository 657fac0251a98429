import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { Webhook } from 'standardwebhooks';
import { OutboxEmailSender } from '@case-status/notifications';
import { Client } from 'pg';
import { startPlatform, type Platform, type PlatformOptions } from '@case-status/platform';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Notifications in the one-process platform, with no broker and no mail server: status
 * changes reach the notifier in process, email lands in the outbox, webhooks are posted.
 */
const ISSUER = 'https://login.uscis.example';

describe('platform notifications (in process, outbox)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'platform-notify-'));
  const outboxDir = join(dataDir, 'outbox');
  const outbox = new OutboxEmailSender({ dir: outboxDir, from: 'test <test@example.org>' });
  const receipt = `IOE${String(Date.now()).slice(-10)}`;
  let platform: Platform;
  let platformOptions: PlatformOptions;
  let agencyKey: CryptoKey;
  let staffKey: CryptoKey;
  let receiver: Server;
  let receiverUrl: string;
  const posts: Received[] = [];

  const sign = (key: CryptoKey, kid: string, claims: object, audience: string) =>
    new SignJWT({ agency: 'USCIS', ...claims }).setProtectedHeader({ alg: 'ES256', kid }).setSubject('notify-test').setIssuer(ISSUER).setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(key);

  const record = async (type: string, occurredAt: string, data: object) => {
    const res = await fetch(`${platform.intakeUrl}/v1/cases/${receipt}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await sign(agencyKey, 'agency', { scope: 'intake:write' }, 'case-status-intake')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: randomUUID(), type, occurredAt, data }),
    });
    expect(res.status).toBe(201);
  };
  const graphql = async <T>(query: string, variables: object = {}, token?: string): Promise<T> => {
    const res = await fetch(`${platform.statusUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  };
  const eventually = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    for (let attempt = 0; attempt < 150; attempt++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`never happened: ${what}`);
  };
  const mailWith = (subject: RegExp) => eventually(`an email whose subject matches ${subject}`, async () => (await outbox.list()).find((m) => subject.test(m.subject)));

  beforeAll(async () => {
    const agency = await generateKeyPair('ES256');
    const staff = await generateKeyPair('ES256');
    agencyKey = agency.privateKey;
    staffKey = staff.privateKey;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        posts.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    platformOptions = {
      dataDir,
      intakePort: 0,
      statusPort: 0,
      linksPort: 0,
      agencyKeys: { USCIS: { issuers: [ISSUER], jwks: { keys: [{ ...(await exportJWK(agency.publicKey)), kid: 'agency', alg: 'ES256' }] } } },
      caseworkerKeys: { USCIS: { issuers: [ISSUER], jwks: { keys: [{ ...(await exportJWK(staff.publicKey)), kid: 'staff', alg: 'ES256' }] } } },
      notifications: { outboxDir, allowInsecureWebhooks: true },
      logger: false,
    };
    platform = await startPlatform(platformOptions);
    // A whole platform on the embedded database: well under this, but a loaded machine runs slow.
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }, 15_000);

  it('hands status changes to the notifier in process: a confirmed subscriber gets an email in the outbox and a webhook a signed POST', async () => {
    expect(platform.fanOut).toBe('in-process');
    expect(platform.outboxDir).toBe(outboxDir);
    await record('CaseReceived', '2026-01-05T09:00:00Z', { formType: 'I-130', office: 'NBC' });

    const { subscribeToCase } = await graphql<{ subscribeToCase: { status: string } }>(
      'mutation ($r: String!) { subscribeToCase(receiptNumber: $r, email: "ana@example.org", language: EN) { status } }',
      { r: receipt },
    );
    expect(subscribeToCase.status).toBe('CONFIRMATION_SENT');
    const confirmation = await mailWith(/confirm/i);
    expect(confirmation.to).toContain('ana@example.org');
    // The confirm link points at the platform's own links server.
    expect(confirmation.raw.replace(/=\r?\n/g, '')).toContain(`${platform.linksUrl}/notifications/confirm?token=`);
    const code = /\b(\d{6})\b/.exec(confirmation.raw.split(/\r?\n\r?\n/).slice(1).join('\n'))?.[1];
    expect(code).toBeDefined();
    const confirmed = await graphql<{ confirmSubscriptionCode: { confirmedNow: boolean } }>(
      'mutation ($r: String!, $code: String!) { confirmSubscriptionCode(receiptNumber: $r, email: "ana@example.org", code: $code) { confirmedNow } }',
      { r: receipt, code },
    );
    expect(confirmed.confirmSubscriptionCode.confirmedNow).toBe(true);

    const staffToken = await sign(staffKey, 'staff', { roles: ['caseworker'] }, 'case-status-caseworker');
    const { registerWebhook } = await graphql<{ registerWebhook: { secret: string } }>(
      'mutation ($r: String!, $u: String!) { registerWebhook(url: $u, receiptNumber: $r, description: "test") { secret } }',
      { r: receipt, u: receiverUrl },
      staffToken,
    );

    await record('EvidenceRequested', '2026-02-01T09:00:00Z', { requestId: 'RFE-1', dueDate: '2026-04-01', description: 'Birth certificate' });
    const update = await mailWith(/^Update on case/);
    expect(update.to).toContain('ana@example.org');
    expect(update.raw).toMatch(/List-Unsubscribe-Post: List-Unsubscribe=One-Click/);

    const post = await eventually('a webhook POST', async () => posts[0]);
    const payload = new Webhook(registerWebhook.secret).verify(post.body, post.headers as Record<string, string>) as { data?: { receiptNumber?: string; statusCode?: string } };
    expect(JSON.stringify(payload)).toContain(receipt);
    expect(JSON.stringify(payload)).toContain('EVIDENCE_REQUESTED');
    expect(await platform.deadLetters?.list()).toEqual([]);
  }, 60_000);

  it('notifies nobody twice when the relay hands every change over again after a restart', async () => {
    const emails = (await outbox.list()).length;
    const client = new Client({ connectionString: platform.databaseUrl });
    await client.connect();
    // As if the platform had crashed before the relay saved its checkpoint.
    const { rowCount } = await client.query('DELETE FROM status_relay.checkpoint');
    await client.end();
    expect(rowCount).toBe(1);
    await platform.stop();
    platform = await startPlatform(platformOptions);

    await record('EvidenceReceived', '2026-03-01T09:00:00Z', { requestId: 'RFE-1' });
    // The new change arrives after the replayed ones (one case, in order), so once it is
    // here the replay is done: exactly one more email and one more webhook.
    await eventually('the second webhook POST', async () => posts[1]);
    await eventually('the second update email', async () => ((await outbox.list()).length >= emails + 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(posts).toHaveLength(2);
    expect(posts[1].body).toContain('EVIDENCE_RECEIVED');
    expect(await outbox.list()).toHaveLength(emails + 1);
  }, 60_000);
});
