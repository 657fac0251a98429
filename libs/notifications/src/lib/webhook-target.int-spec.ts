import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer, globalAgent, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Webhook } from 'standardwebhooks';
import { Notifier } from './notifier';
import type { EmailSender } from './email.channel';
import { HttpWebhookSender } from './webhook.channel';
import { newWebhookSecret } from './webhook-signing';
import type { HostResolver } from './webhook-target';
import { statusChanged, statusChangedKafkaMessage } from '../testing/fixtures';
import { dropSchema, eventually, newReceiptNumber, RecordingLogger, TEST_DATABASE_URL, uniqueName } from '../testing/support';
import { WebhookReceiver } from '../testing/webhook-receiver';

jest.setTimeout(30_000);

const receiver = new WebhookReceiver();
/** The name server of these tests: a test changes a name's answer as a rebinding attacker would. */
const dns = new Map<string, string[]>();
const lookups: string[] = [];
const resolver: HostResolver = async (host) => {
  lookups.push(host);
  const addresses = dns.get(host);
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const portOf = (url: string) => new URL(url).port;

beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

describe('HttpWebhookSender', () => {
  it('connects to the address it resolved and checked, sending the host name as Host', async () => {
    // Only this test's resolver knows the name: the request can only have gone to the pinned address.
    const url = receiver.endpoint('/pinned').replace('127.0.0.1', 'pinned.test');
    dns.set('pinned.test', ['127.0.0.1']);
    const secret = newWebhookSecret();
    receiver.setSecret('/pinned', secret);
    const sender = new HttpWebhookSender({ timeoutMs: 2000, policy: { allowHttp: true, allowPrivateHosts: true }, resolve: resolver });
    const before = lookups.length;
    await sender.send({ url, secret, id: 'msg_pinned', body: '{"n":1}', timestamp: new Date() });
    await sender.send({ url, secret, id: 'msg_pinned_2', body: '{"n":2}', timestamp: new Date() });
    const [first] = receiver.at('/pinned');
    expect(first.headers.host).toBe(`pinned.test:${portOf(url)}`);
    expect(first.verified).toEqual({ ok: true, payload: { n: 1 } });
    expect(new Webhook(secret).verify(first.body, first.headers as Record<string, string>)).toEqual({ n: 1 });
    // Resolved again for every request, never cached from an earlier check.
    expect(lookups.slice(before)).toEqual(['pinned.test', 'pinned.test']);
  });

  it('refuses, without connecting, a name that resolves to a private address', async () => {
    const url = receiver.endpoint('/inward').replace('127.0.0.1', 'inward.test');
    dns.set('inward.test', ['127.0.0.1']);
    const sender = new HttpWebhookSender({ timeoutMs: 2000, policy: { allowHttp: true, allowPrivateHosts: false }, resolve: resolver });
    await expect(sender.send({ url, secret: newWebhookSecret(), id: 'msg_inward', body: '{}', timestamp: new Date() })).rejects.toMatchObject({
      message: 'the host inward.test resolves to 127.0.0.1, a loopback address',
      permanent: true,
    });
    expect(receiver.at('/inward')).toEqual([]);
  });
});

describe('HttpWebhookSender over TLS', () => {
  // A certificate for hooks.pinned.test only, trusted by this process's HTTPS agent.
  const dir = mkdtempSync(join(tmpdir(), 'webhook-tls-'));
  const seen: { servername: string | false; host: string | undefined }[] = [];
  let server: HttpsServer;
  let port: number;

  beforeAll(async () => {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-subj', '/CN=hooks.pinned.test', '-addext', 'subjectAltName=DNS:hooks.pinned.test',
    ], { stdio: 'ignore' });
    const cert = readFileSync(join(dir, 'cert.pem'));
    globalAgent.options.ca = cert;
    server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      // The server side of a TLS socket keeps the SNI name the client sent.
      seen.push({ servername: (req.socket as TLSSocket & { servername: string | false }).servername, host: req.headers.host });
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    globalAgent.options.ca = undefined;
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const sender = new HttpWebhookSender({ timeoutMs: 2000, policy: { allowHttp: false, allowPrivateHosts: true }, resolve: resolver });

  it('connects to the pinned address but speaks TLS to the name: SNI, certificate check and Host', async () => {
    dns.set('hooks.pinned.test', ['127.0.0.1']);
    await sender.send({ url: `https://hooks.pinned.test:${port}/tls`, secret: newWebhookSecret(), id: 'msg_tls', body: '{}', timestamp: new Date() });
    expect(seen).toEqual([{ servername: 'hooks.pinned.test', host: `hooks.pinned.test:${port}` }]);
  });

  it('still refuses a certificate that is not for the name, though the address is the same', async () => {
    dns.set('other.pinned.test', ['127.0.0.1']);
    await expect(sender.send({ url: `https://other.pinned.test:${port}/tls`, secret: newWebhookSecret(), id: 'msg_tls_2', body: '{}', timestamp: new Date() })).rejects.toThrow(
      'request failed: ERR_TLS_CERT_ALTNAME_INVALID',
    );
    expect(seen).toHaveLength(1);
  });
});

describe('a webhook whose name turns private after registration', () => {
  const schema = uniqueName('notif_rebind');
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 5 });
  const email: EmailSender = { send: async () => undefined, close: () => undefined };
  let notifier: Notifier;

  beforeAll(async () => {
    notifier = new Notifier({
      pool,
      schema,
      email,
      publicBaseUrl: 'https://status.example.gov',
      retry: { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 20, jitter: 0 },
      webhookTimeoutMs: 2000,
      worker: { pollIntervalMs: 25, concurrency: 2 },
      webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: false },
      resolveHost: resolver,
      logger: new RecordingLogger(),
    });
    await notifier.start();
  });

  afterAll(async () => {
    await notifier.stop();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('is refused at send time, recorded as dead-lettered with the reason after one attempt, and never reached', async () => {
    const receipt = newReceiptNumber();
    const url = receiver.endpoint('/rebound').replace('127.0.0.1', 'rebound.test');
    dns.set('rebound.test', ['93.184.215.14']);
    const hook = await notifier.subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber: receipt, url, owner: 'rebinder' });
    dns.set('rebound.test', ['93.184.215.14', '127.0.0.1']);
    await notifier.accept([statusChangedKafkaMessage(statusChanged({ receiptNumber: receipt }))]);
    const entry = await eventually(async () => {
      const [item] = (await notifier.deliveryLog.query({ receiptNumber: receipt })).items;
      if (item?.status !== 'dead_lettered') throw new Error('not settled yet');
      return item;
    });
    expect(entry).toMatchObject({ subscriptionId: hook.id, channel: 'webhook', attempts: 1, lastError: 'the host rebound.test resolves to 127.0.0.1, a loopback address' });
    expect(receiver.at('/rebound')).toEqual([]);
    const [letter] = await notifier.storedDeadLetters?.list() ?? [];
    expect(letter).toMatchObject({ reason: 'delivery_failed', letter: { deliveryId: entry.id, attempts: 1, lastError: entry.lastError } });
  });
});
