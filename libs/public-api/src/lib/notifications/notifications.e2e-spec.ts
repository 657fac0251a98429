import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { DeliveryLog, NotificationKeys, SmtpEmailSender, SubscriptionService, migrateNotifications, type HostResolver } from '@case-status/notifications';
import {
  DeliveryStore,
  RecordingLogger,
  SmtpCapture,
  TEST_DATABASE_URL,
  dropSchema,
  linkToken,
  newReceiptNumber,
  statusChanged,
  uniqueName,
} from '@case-status/notifications/testing';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, caseworkerToken, signingKey, type SigningKey } from '../../testing';
import { createStatusApp } from '../status.app';

interface GraphqlBody {
  data: Record<string, unknown> | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
}

const SUBSCRIBE = `mutation ($r: String!, $e: String!, $l: Language) { subscribeToCase(receiptNumber: $r, email: $e, language: $l) { subscriptionId status message } }`;
const CONFIRM = `mutation ($t: String!) { confirmSubscription(token: $t) { subscriptionId agency receiptNumber language confirmedNow } }`;
const CONFIRM_CODE = `mutation ($r: String!, $e: String!, $c: String!) { confirmSubscriptionCode(receiptNumber: $r, email: $e, code: $c) { subscriptionId confirmedNow } }`;
const CONFIRM_CODE_BY_ID = `mutation ($s: String!, $c: String!) { confirmSubscriptionCode(subscriptionId: $s, code: $c) { subscriptionId confirmedNow } }`;
/** The one answer subscribeToCase gives to valid input. */
const ACCEPTED = {
  data: {
    subscribeToCase: {
      subscriptionId: null,
      status: 'CONFIRMATION_SENT',
      message: 'If this address can receive updates for this case and does not get them already, a confirmation code and link are on their way to it.',
    },
  },
};
const keys = new NotificationKeys(Buffer.alloc(32, 9));
/** Stands in for DNS: hooks.example.org is public, loopback.example.org points home. */
const resolver: HostResolver = async (host) => {
  const address = { 'hooks.example.org': '93.184.215.14', 'loopback.example.org': '127.0.0.1', localhost: '127.0.0.1' }[host];
  if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address, family: 4 }];
};
const UNSUBSCRIBE = `mutation ($t: String!) { unsubscribe(token: $t) { subscriptionId agency receiptNumber unsubscribedNow } }`;
const REGISTER = `mutation ($u: String!, $r: String, $d: String) { registerWebhook(url: $u, receiptNumber: $r, description: $d) { id agency receiptNumber url description createdAt secret } }`;
const WEBHOOKS = '{ webhooks { id agency receiptNumber url description createdAt } }';
const REMOVE = 'mutation ($id: String!) { removeWebhook(id: $id) }';
const DELIVERY_LOG = `query ($r: String, $s: DeliveryStatus, $c: DeliveryChannel, $first: Int, $after: String) {
  deliveryLog(receiptNumber: $r, status: $s, channel: $c, first: $first, after: $after) {
    nodes { id eventId subscriptionId channel agency receiptNumber eventType statusCode status attempts lastError createdAt nextAttemptAt deliveredAt }
    pageInfo { hasNextPage endCursor }
  }
}`;

const codes = (body: GraphqlBody) => body.errors?.map((e) => e.extensions['code']);
/** The 6-digit code on its own line of the confirmation email. */
const codeIn = (text: string) => /\n(\d{6})\n/.exec(text)?.[1] as string;
const otherThan = (code: string) => (code === '000000' ? '111111' : '000000');
const newVbaReceipt = () => `VBA-2026-${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/**
 * Subscribing, confirming, webhooks and the delivery log through the GraphQL API, with the
 * real SubscriptionService and DeliveryLog on PostgreSQL and a real SMTP server.
 */
describe('notifications through the GraphQL status API', () => {
  const schema = uniqueName('status_notif');
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 5 });
  const smtp = new SmtpCapture();
  const logger = new RecordingLogger();
  const readModels = new InMemoryReadModels();
  let sender: SmtpEmailSender;
  let app: NestFastifyApplication;
  let bare: NestFastifyApplication;
  let uscisKey: SigningKey;
  let vbaKey: SigningKey;
  /** Cases whose agency has no record of the representative (`agency/receipt/representative id`); every other pairing is of record. */
  const notOfRecord = new Set<string>();

  const post = async (target: NestFastifyApplication, query: string, options: { variables?: Record<string, unknown>; client?: string; bearer?: string } = {}) => {
    const res = await target.inject({
      method: 'POST',
      url: '/graphql',
      remoteAddress: options.client ?? '192.0.2.1',
      headers: options.bearer ? { authorization: `Bearer ${options.bearer}` } : {},
      payload: { query, variables: options.variables },
    });
    return { status: res.statusCode, body: res.json<GraphqlBody>(), headers: res.headers, raw: res.body };
  };
  const gql = (query: string, variables?: Record<string, unknown>, bearer?: string) => post(app, query, { variables, ...(bearer && { bearer }) });
  let clients = 0;
  /** Each call from its own client unless one is named, so only the rate-limit test meets the limit. */
  const subscribe = (receiptNumber: string, email: string, language = 'EN', client = `203.0.113.${++clients}`) =>
    post(app, SUBSCRIBE, { variables: { r: receiptNumber, e: email, l: language }, client });
  /** Subscribes and returns the subscription id (from the table: the API does not tell) and the confirmation email that arrived. */
  const subscribed = async (receiptNumber: string, email: string) => {
    const { body } = await subscribe(receiptNumber, email);
    expect(body).toEqual(ACCEPTED);
    const [mail] = await smtp.waitFor(email, 1);
    return { subscriptionId: await subscriptionIdOf(receiptNumber, email), mail };
  };
  const subscriptionIdOf = async (receiptNumber: string, email: string) =>
    (await pool.query<{ id: string }>(`SELECT id FROM "${schema}".email_subscriptions WHERE receipt_number = $1 AND lower(email) = lower($2)`, [receiptNumber, email])).rows[0].id;
  const subscriptionRow = async (id: string) => (await pool.query<{ status: string }>(`SELECT status FROM "${schema}".email_subscriptions WHERE id = $1`, [id])).rows[0];

  beforeAll(async () => {
    await Promise.all([smtp.start(), migrateNotifications(pool, schema, keys)]);
    sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
    const subscriptions = new SubscriptionService({
      pool,
      schema,
      email: sender,
      publicBaseUrl: 'https://status.example.gov',
      webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false },
      resolveHost: resolver,
      keys,
      logger,
    });
    readModels.put(caseView({ receiptNumber: 'IOE0912345678' }));
    uscisKey = await signingKey('uscis-notif');
    vbaKey = await signingKey('vba-notif');
    const common = {
      queries: readModels,
      changeFeed: new InMemoryCaseStatusChangeFeed(),
      caseworkerKeys: agencyKeys({ USCIS: uscisKey, VBA: vbaKey }),
      rateLimit: { max: 1000, timeWindow: 60_000 },
      logger: false,
    } as const;
    // Stands in for the representatives projection (its own test: libs/identity, and the notifier's delivery check: representative-webhooks.int-spec.ts).
    const representatives = { isOfRecord: async (agency: string, receiptNumber: string, representativeId: string) => !notOfRecord.has(`${agency}/${receiptNumber}/${representativeId}`) };
    app = await createStatusApp({ ...common, notifications: { subscriptions, deliveryLog: new DeliveryLog(pool, schema), representatives }, subscribeRateLimit: { max: 3, timeWindow: 60_000 } });
    bare = await createStatusApp(common);
  });

  afterAll(async () => {
    await app?.close();
    await bare?.close();
    sender?.close();
    await smtp.stop();
    await dropSchema(pool, schema);
    await pool.end();
  });

  describe('email subscriptions (public)', () => {
    it('emails a code and a link, confirms by the link, and emails nothing to an address that already gets the updates', async () => {
      const receipt = newReceiptNumber();
      const { body } = await subscribe(receipt, 'ana@example.org', 'ES');
      expect(body).toEqual(ACCEPTED);
      const [mail] = await smtp.waitFor('ana@example.org', 1);
      const subscriptionId = await subscriptionIdOf(receipt, 'ana@example.org');
      expect(mail.headers.get('subject')).toBe(`Confirme las notificaciones por correo del caso ${receipt}`);
      expect(codeIn(mail.text)).toMatch(/^\d{6}$/);
      expect(mail.text).toContain('https://status.example.gov/notifications/confirm?token=');
      expect((await subscriptionRow(subscriptionId)).status).toBe('pending');

      const confirmed = await gql(CONFIRM, { t: linkToken(mail.text, 'confirm') });
      expect(confirmed.body).toEqual({ data: { confirmSubscription: { subscriptionId, agency: 'USCIS', receiptNumber: receipt, language: 'ES', confirmedNow: true } } });
      expect((await subscriptionRow(subscriptionId)).status).toBe('active');

      expect((await subscribe(receipt, 'ANA@example.org')).body).toEqual(ACCEPTED);
      await subscribed(receipt, 'other-ana@example.org');
      expect(smtp.to('ana@example.org')).toHaveLength(1);
    });

    it('answers a followed and a not-followed address identically', async () => {
      const receipt = newReceiptNumber();
      const { mail } = await subscribed(receipt, 'follows@example.org');
      await gql(CONFIRM, { t: linkToken(mail.text, 'confirm') });
      const followed = await subscribe(receipt, 'follows@example.org');
      const notFollowed = await subscribe(receipt, 'never-asked@example.org');
      expect(followed.body).toEqual(notFollowed.body);
      expect(followed.raw).toBe(notFollowed.raw);
      expect(followed.status).toBe(notFollowed.status);
      // The stranger's code guesses get the same refusal for both addresses, too.
      const guess = otherThan(codeIn(mail.text));
      const guessFollowed = await gql(CONFIRM_CODE, { r: receipt, e: 'follows@example.org', c: guess });
      const guessOther = await gql(CONFIRM_CODE, { r: receipt, e: 'never-asked@example.org', c: guess });
      expect(guessFollowed.raw).toBe(guessOther.raw);
      expect(codes(guessFollowed.body)).toEqual(['INVALID_CODE']);
    });

    it('sends one address at most 3 confirmations an hour, however many clients ask, with the same answer every time', async () => {
      const receipt = newReceiptNumber();
      const answers = new Set<string>();
      for (let i = 0; i < 20; i++) answers.add((await subscribe(i % 2 ? receipt : newReceiptNumber(), 'target@example.org')).raw);
      expect([...answers]).toEqual([JSON.stringify(ACCEPTED)]);
      await smtp.waitFor('target@example.org', 3);
      // Settled: the refused requests were answered after their refusal was recorded, and sent nothing.
      expect(logger.lines.filter((line) => /^warn confirmation for USCIS IOE\d+ not sent: over 3 per address/.test(line))).toHaveLength(17);
      expect(smtp.to('target@example.org')).toHaveLength(3);
    });

    it('confirms by the code from the email, once; the same code again answers INVALID_CODE, as a stranger’s guess would', async () => {
      const receipt = newVbaReceipt();
      const { subscriptionId, mail } = await subscribed(receipt, 'ben@example.org');
      const code = codeIn(mail.text);
      const first = await gql(CONFIRM_CODE, { r: receipt, e: 'Ben@example.org', c: code });
      expect(first.body).toEqual({ data: { confirmSubscriptionCode: { subscriptionId, confirmedNow: true } } });
      const second = await gql(CONFIRM_CODE, { r: receipt, e: 'ben@example.org', c: code });
      expect(second.body.errors?.map((e) => e.extensions['code'])).toEqual(['INVALID_CODE']);
    });

    it('answers INVALID_CODE for a wrong code and TOO_MANY_ATTEMPTS after five, even for the right one', async () => {
      const receipt = newReceiptNumber();
      const { subscriptionId, mail } = await subscribed(receipt, 'cara@example.org');
      const code = codeIn(mail.text);
      const attempt = (c: string) => gql(CONFIRM_CODE, { r: receipt, e: 'cara@example.org', c });
      const wrong = await attempt(otherThan(code));
      expect(wrong.body).toEqual({
        data: { confirmSubscriptionCode: null },
        errors: [expect.objectContaining({ message: 'The confirmation code is not right.', extensions: { code: 'INVALID_CODE', argument: 'code' } })],
      });
      for (let i = 0; i < 4; i++) expect(codes((await attempt(otherThan(code))).body)).toEqual(['INVALID_CODE']);
      const right = await attempt(code);
      expect(right.body.errors).toEqual([
        expect.objectContaining({ message: 'Too many wrong codes: subscribe again to get a new code.', extensions: { code: 'TOO_MANY_ATTEMPTS' } }),
      ]);
      expect((await subscriptionRow(subscriptionId)).status).toBe('pending');
      const missing = await gql('mutation { confirmSubscriptionCode(code: "123456") { confirmedNow } }');
      expect(missing.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'receiptNumber' } })]);
    });

    it('answers INVALID_TOKEN for a link token it never issued and NOT_FOUND for an unknown subscription id', async () => {
      const bad = await gql(CONFIRM, { t: 'not-a-token-we-issued' });
      expect(bad.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'INVALID_TOKEN' }, message: expect.stringContaining('This link is not valid') })]);
      const unknown = await gql(CONFIRM_CODE_BY_ID, { s: randomUUID(), c: '123456' });
      expect(codes(unknown.body)).toEqual(['NOT_FOUND']);
    });

    it('answers TOKEN_EXPIRED for a confirmation link past its time', async () => {
      const { subscriptionId, mail } = await subscribed(newReceiptNumber(), 'dan@example.org');
      await pool.query(`UPDATE "${schema}".email_subscriptions SET confirm_expires_at = now() - interval '1 minute' WHERE id = $1`, [subscriptionId]);
      const { body } = await gql(CONFIRM, { t: linkToken(mail.text, 'confirm') });
      expect(body.errors).toEqual([expect.objectContaining({ extensions: { code: 'TOKEN_EXPIRED' }, message: expect.stringContaining('subscribe again') })]);
    });

    it('unsubscribes by the token of the unsubscribe link, and answers the same the second time', async () => {
      const receipt = newReceiptNumber();
      const { subscriptionId, mail } = await subscribed(receipt, 'eve@example.org');
      await gql(CONFIRM, { t: linkToken(mail.text, 'confirm') });
      // The unsubscribe link is in every notification email; the confirmation has none yet.
      const token = keys.unsubscribeToken(subscriptionId);
      const first = await gql(UNSUBSCRIBE, { t: token });
      expect(first.body).toEqual({ data: { unsubscribe: { subscriptionId, agency: 'USCIS', receiptNumber: receipt, unsubscribedNow: true } } });
      expect((await subscriptionRow(subscriptionId)).status).toBe('unsubscribed');
      expect((await gql(UNSUBSCRIBE, { t: token })).body.data).toEqual({ unsubscribe: expect.objectContaining({ unsubscribedNow: false }) });
      expect(codes((await gql(UNSUBSCRIBE, { t: 'unknown' })).body)).toEqual(['INVALID_TOKEN']);
    });

    it('refuses a bad address with BAD_USER_INPUT and the reason, without repeating the address or sending anything', async () => {
      const before = smtp.messages.length;
      const { body, raw } = await subscribe(newReceiptNumber(), 'maria.lopez@@example.org');
      expect(body).toEqual({
        data: { subscribeToCase: null },
        errors: [
          expect.objectContaining({
            message: 'Invalid email address: the part before the "@" is not valid (check for "@" twice, leading, trailing or double dots).',
            extensions: { code: 'BAD_USER_INPUT', argument: 'email' },
          }),
        ],
      });
      expect(raw).not.toContain('maria.lopez');
      // A value of the wrong type is refused by GraphQL itself, whose message quotes it.
      const wrongType = await post(app, SUBSCRIBE, { variables: { r: newReceiptNumber(), e: ['maria.lopez@example.org'] } });
      expect(wrongType.status).toBe(400);
      expect(codes(wrongType.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(wrongType.raw).not.toContain('maria.lopez');
      expect(smtp.messages.length).toBe(before);
    });

    it('checks the receipt number like caseStatus does, before anything is stored or sent', async () => {
      const before = smtp.messages.length;
      const { body } = await subscribe('IOE12', 'fay@example.org');
      const lookup = await gql('{ caseStatus(receiptNumber: "IOE12") { statusCode } }');
      expect(codes(body)).toEqual(['INVALID_RECEIPT_NUMBER']);
      expect(body.errors?.[0]).toMatchObject({ message: lookup.body.errors?.[0].message, extensions: lookup.body.errors?.[0].extensions, path: ['subscribeToCase'] });
      expect(smtp.messages.length).toBe(before);
    });

    it('limits subscribe requests per client more strictly than lookups, and sends nothing once limited', async () => {
      const client = '198.51.100.20';
      for (let i = 0; i < 3; i++) expect(codes((await subscribe(newReceiptNumber(), `gus${i}@example.org`, 'EN', client)).body)).toBeUndefined();
      const limited = await subscribe(newReceiptNumber(), 'gus3@example.org', 'EN', client);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toEqual({
        data: null,
        errors: [{ message: expect.stringMatching(/^Too many subscription requests from this client: at most 3 every 60 seconds\./), extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) } }],
      });
      expect(limited.raw).not.toContain('gus3');
      await smtp.waitFor('gus2@example.org', 1);
      expect(smtp.to('gus3@example.org')).toEqual([]);
      // Lookups from the same client and subscribes from another go on.
      expect((await post(app, '{ caseStatus(receiptNumber: "IOE0912345678") { statusCode } }', { client })).body.data).toEqual({ caseStatus: { statusCode: 'CASE_RECEIVED' } });
      expect(codes((await subscribe(newReceiptNumber(), 'hal@example.org', 'EN', '198.51.100.21')).body)).toBeUndefined();
    });

    it('never logs an email address', () => {
      expect(logger.lines.length).toBeGreaterThan(0);
      expect(logger.lines.filter((line) => line.includes('@'))).toEqual([]);
    });
  });

  describe('webhooks (agency tokens)', () => {
    const representative = (key: SigningKey, agency: string, subject = 'rep-law-office-1') => caseworkerToken(key, { agency, roles: ['representative'], subject });

    it('refuses without a token, and with a token that has neither role', async () => {
      const none = await gql(REGISTER, { u: 'https://hooks.example.org/a', r: newReceiptNumber() });
      expect(none.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })]);
      const analyst = await gql(WEBHOOKS, {}, await caseworkerToken(uscisKey, { agency: 'USCIS', roles: ['analyst'] }));
      expect(analyst.body.errors).toEqual([
        expect.objectContaining({
          message: 'The token of caseworker-1 does not carry one of the roles "caseworker", "representative" in its "roles" claim.',
          extensions: { code: 'FORBIDDEN' },
        }),
      ]);
    });

    it('registers a representative’s endpoint for a case of the token’s agency and shows the secret only then', async () => {
      const token = await representative(uscisKey, 'USCIS');
      const receipt = newReceiptNumber();
      const { body } = await gql(REGISTER, { u: 'https://hooks.example.org/ana', r: receipt, d: 'Ana’s case' }, token);
      expect(body.errors).toBeUndefined();
      const registered = body.data?.['registerWebhook'] as Record<string, string>;
      expect(registered).toEqual({
        id: expect.any(String),
        agency: 'USCIS',
        receiptNumber: receipt,
        url: 'https://hooks.example.org/ana',
        description: 'Ana’s case',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/),
      });

      const listed = await gql(WEBHOOKS, {}, token);
      expect(listed.body.data).toEqual({ webhooks: [{ id: registered['id'], agency: 'USCIS', receiptNumber: receipt, url: 'https://hooks.example.org/ana', description: 'Ana’s case', createdAt: registered['createdAt'] }] });
      expect(listed.raw).not.toContain(registered['secret']);
      expect(codes((await gql('{ webhooks { secret } }', {}, token)).body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      // The same subject at another agency, and another subject at the same agency, own nothing here.
      expect((await gql(WEBHOOKS, {}, await representative(vbaKey, 'VBA'))).body.data).toEqual({ webhooks: [] });
      expect((await gql(WEBHOOKS, {}, await representative(uscisKey, 'USCIS', 'rep-2'))).body.data).toEqual({ webhooks: [] });
    });

    it('lets a representative watch only a case they are of record on, and staff any case of their agency', async () => {
      const receipt = newReceiptNumber();
      notOfRecord.add(`USCIS/${receipt}/rep-law-office-1`);
      const refused = await gql(REGISTER, { u: 'https://hooks.example.org/not-mine', r: receipt }, await representative(uscisKey, 'USCIS'));
      expect(refused.body).toEqual({
        data: { registerWebhook: null },
        errors: [
          expect.objectContaining({
            message: `receiptNumber: USCIS has no record of rep-law-office-1 as a representative on ${receipt}; a representative may watch only the cases they are of record on.`,
            extensions: { code: 'FORBIDDEN', argument: 'receiptNumber' },
          }),
        ],
      });
      expect((await gql(WEBHOOKS, {}, await representative(uscisKey, 'USCIS'))).body.data?.['webhooks']).not.toContainEqual(expect.objectContaining({ receiptNumber: receipt }));
      const staff = await gql(REGISTER, { u: 'https://hooks.example.org/staff', r: receipt }, await caseworkerToken(uscisKey, { agency: 'USCIS', roles: ['caseworker'] }));
      expect(staff.body.errors).toBeUndefined();
    });

    it('refuses a receipt number of another agency with FORBIDDEN and a malformed one with INVALID_RECEIPT_NUMBER', async () => {
      const token = await representative(uscisKey, 'USCIS');
      const other = await gql(REGISTER, { u: 'https://hooks.example.org/x', r: 'VBA-2026-0000001' }, token);
      expect(other.body.errors).toEqual([
        expect.objectContaining({
          message: 'receiptNumber: VBA-2026-0000001 is a VBA case; a USCIS token may only watch USCIS cases.',
          extensions: { code: 'FORBIDDEN', argument: 'receiptNumber' },
        }),
      ]);
      expect(codes((await gql(REGISTER, { u: 'https://hooks.example.org/x', r: 'nonsense' }, token)).body)).toEqual(['INVALID_RECEIPT_NUMBER']);
    });

    it('lets only agency staff watch every case of the agency', async () => {
      const rep = await gql(REGISTER, { u: 'https://hooks.example.org/all' }, await representative(uscisKey, 'USCIS'));
      expect(rep.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN', argument: 'receiptNumber' }, message: expect.stringContaining('only USCIS staff') })]);
      const staffToken = await caseworkerToken(uscisKey, { agency: 'USCIS', subject: 'uscis-ops' });
      const staff = await gql(REGISTER, { u: 'https://hooks.example.org/all' }, staffToken);
      const registered = staff.body.data?.['registerWebhook'] as { id: string };
      expect(registered).toMatchObject({ agency: 'USCIS', receiptNumber: null, secret: expect.stringMatching(/^whsec_/) });
      // Removed again, so the delivery log below sees only the endpoints it registers itself.
      expect((await gql(REMOVE, { id: registered.id }, staffToken)).body).toEqual({ data: { removeWebhook: true } });
    });

    it('refuses an endpoint URL that is not public https with BAD_USER_INPUT naming url', async () => {
      const token = await representative(uscisKey, 'USCIS');
      const http = await gql(REGISTER, { u: 'http://hooks.example.org/x', r: newReceiptNumber() }, token);
      expect(http.body.errors).toEqual([
        expect.objectContaining({ message: 'Invalid webhook URL: the scheme must be https, not http.', extensions: { code: 'BAD_USER_INPUT', argument: 'url' } }),
      ]);
      const metadata = await gql(REGISTER, { u: 'https://169.254.169.254/latest', r: newReceiptNumber() }, token);
      expect(metadata.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'url' }, message: expect.stringContaining('local or private') })]);
      const local = await gql(REGISTER, { u: 'https://localhost:8443/hook', r: newReceiptNumber() }, token);
      expect(local.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'url' }, message: 'Invalid webhook URL: the host localhost is a local or private address.' })]);
      const named = await gql(REGISTER, { u: 'https://loopback.example.org/hook', r: newReceiptNumber() }, token);
      expect(named.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', argument: 'url' }, message: 'Invalid webhook URL: the host loopback.example.org does not resolve, from the platform, to public addresses only.' }),
      ]);
    });

    it('caps one owner at 25 active endpoints with WEBHOOK_LIMIT_REACHED naming the cap', async () => {
      const token = await representative(uscisKey, 'USCIS', 'rep-busy');
      for (let i = 0; i < 25; i++) expect(codes((await gql(REGISTER, { u: `https://hooks.example.org/busy-${i}`, r: newReceiptNumber() }, token)).body)).toBeUndefined();
      const over = await gql(REGISTER, { u: 'https://hooks.example.org/busy-25', r: newReceiptNumber() }, token);
      expect(over.body).toEqual({
        data: { registerWebhook: null },
        errors: [
          expect.objectContaining({
            message: 'You already have 25 active webhook endpoints, the most one owner may have: remove one before adding another.',
            extensions: { code: 'WEBHOOK_LIMIT_REACHED', limit: 25 },
          }),
        ],
      });
      // Owners are counted apart: the same subject at another agency is another owner.
      expect(codes((await gql(REGISTER, { u: 'https://hooks.example.org/vba-busy', r: newVbaReceipt() }, await representative(vbaKey, 'VBA', 'rep-busy'))).body)).toBeUndefined();
    });

    it('lets only the owner remove an endpoint', async () => {
      const owner = await representative(vbaKey, 'VBA', 'rep-remove');
      const { body } = await gql(REGISTER, { u: 'https://hooks.example.org/vba', r: newVbaReceipt() }, owner);
      const id = (body.data?.['registerWebhook'] as { id: string }).id;
      const stranger = await gql(REMOVE, { id }, await representative(vbaKey, 'VBA', 'rep-other'));
      expect(codes(stranger.body)).toEqual(['NOT_FOUND']);
      expect((await gql(REMOVE, { id }, owner)).body).toEqual({ data: { removeWebhook: true } });
      expect((await gql(WEBHOOKS, {}, owner)).body.data).toEqual({ webhooks: [] });
      expect(codes((await gql(REMOVE, { id }, owner)).body)).toEqual(['NOT_FOUND']);
    });
  });

  describe('delivery log (caseworkers)', () => {
    const uscisReceipt = newReceiptNumber();
    const vbaReceipt = newVbaReceipt();
    let uscisToken: string;
    let emailSubscriptionId: string;

    beforeAll(async () => {
      uscisToken = await caseworkerToken(uscisKey, { agency: 'USCIS', subject: 'uscis-log' });
      // One confirmed email subscriber and one case webhook for the USCIS case, one webhook for the VBA case.
      const { subscriptionId, mail } = await subscribed(uscisReceipt, 'ivy@example.org');
      emailSubscriptionId = subscriptionId;
      await gql(CONFIRM_CODE, { r: uscisReceipt, e: 'ivy@example.org', c: codeIn(mail.text) });
      await gql(REGISTER, { u: 'https://hooks.example.org/uscis-case', r: uscisReceipt }, uscisToken);
      await gql(REGISTER, { u: 'https://hooks.example.org/vba-case', r: vbaReceipt }, await caseworkerToken(vbaKey, { agency: 'VBA', subject: 'vba-log' }));
      // The notifier's consumer records each status change this way.
      const store = new DeliveryStore(pool, schema, keys);
      const record = (data: ReturnType<typeof statusChanged>) =>
        store.recordStatusChange({ eventId: randomUUID(), streamId: `case-${data.agency}-${data.receiptNumber}`, source: `/agencies/${data.agency}`, time: data.occurredAt, data });
      expect(await record(statusChanged({ receiptNumber: uscisReceipt, eventType: 'CaseReviewStarted', statusCode: 'CASE_IN_REVIEW', step: 'in_review', streamRevision: '1' }))).toBe(2);
      expect(await record(statusChanged({ receiptNumber: uscisReceipt, streamRevision: '2' }))).toBe(2);
      expect(await record(statusChanged({ agency: 'VBA', receiptNumber: vbaReceipt, formType: '21-526EZ', office: 'RO301' }))).toBe(1);
    });

    it('shows the caseworker’s own agency’s deliveries, newest first, without addresses', async () => {
      const { body, raw } = await gql(DELIVERY_LOG, { r: uscisReceipt }, uscisToken);
      expect(body.errors).toBeUndefined();
      const { nodes, pageInfo } = body.data?.['deliveryLog'] as { nodes: Record<string, unknown>[]; pageInfo: unknown };
      expect(nodes).toHaveLength(4);
      expect(nodes.map((n) => [n['statusCode'], n['channel']])).toEqual([
        ['CASE_APPROVED', 'WEBHOOK'],
        ['CASE_APPROVED', 'EMAIL'],
        ['CASE_IN_REVIEW', 'WEBHOOK'],
        ['CASE_IN_REVIEW', 'EMAIL'],
      ]);
      expect(nodes[1]).toMatchObject({ subscriptionId: emailSubscriptionId, agency: 'USCIS', receiptNumber: uscisReceipt, eventType: 'DecisionIssued', status: 'PENDING', attempts: 0, lastError: null, deliveredAt: null });
      expect(pageInfo).toEqual({ hasNextPage: false, endCursor: null });
      expect(raw).not.toContain('@');

      const all = await gql(DELIVERY_LOG, {}, uscisToken);
      expect((all.body.data?.['deliveryLog'] as { nodes: { agency: string }[] }).nodes.map((n) => n.agency)).toEqual(['USCIS', 'USCIS', 'USCIS', 'USCIS']);
      const vba = await gql(DELIVERY_LOG, {}, await caseworkerToken(vbaKey, { agency: 'VBA' }));
      expect((vba.body.data?.['deliveryLog'] as { nodes: { receiptNumber: string }[] }).nodes.map((n) => n.receiptNumber)).toEqual([vbaReceipt]);
    });

    it('filters by channel and status and pages with cursors', async () => {
      const webhooks = await gql(DELIVERY_LOG, { r: uscisReceipt, c: 'WEBHOOK', s: 'PENDING' }, uscisToken);
      expect((webhooks.body.data?.['deliveryLog'] as { nodes: { channel: string }[] }).nodes.map((n) => n.channel)).toEqual(['WEBHOOK', 'WEBHOOK']);
      expect((await gql(DELIVERY_LOG, { s: 'DELIVERED' }, uscisToken)).body.data).toEqual({ deliveryLog: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } } });

      const first = await gql(DELIVERY_LOG, { r: uscisReceipt, first: 3 }, uscisToken);
      const page1 = first.body.data?.['deliveryLog'] as { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } };
      expect(page1.nodes).toHaveLength(3);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      const second = await gql(DELIVERY_LOG, { r: uscisReceipt, first: 3, after: page1.pageInfo.endCursor }, uscisToken);
      const page2 = second.body.data?.['deliveryLog'] as { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean } };
      expect(page2.nodes).toHaveLength(1);
      expect(page2.pageInfo.hasNextPage).toBe(false);
      expect(page1.nodes.map((n) => n.id)).not.toContain(page2.nodes[0].id);
    });

    it.each([
      ['another agency’s case', { r: 'VBA-2026-0000001' }, 'FORBIDDEN', 'receiptNumber', 'a USCIS caseworker sees USCIS deliveries only'],
      ['a malformed receipt number', { r: 'IOE12' }, 'INVALID_RECEIPT_NUMBER', 'receiptNumber', 'IOE12'],
      ['a cursor it did not issue', { after: 'garbage' }, 'BAD_USER_INPUT', 'after', 'after is not a cursor from an earlier page.'],
      ['a page too large', { first: 101 }, 'BAD_USER_INPUT', 'first', 'from 1 to 100'],
    ])('refuses %s', async (_what, variables, code, argument, message) => {
      const small = 'query ($r: String, $first: Int, $after: String) { deliveryLog(receiptNumber: $r, first: $first, after: $after) { nodes { id } } }';
      const { body } = await gql(small, variables, uscisToken);
      expect(body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code, argument }), message: expect.stringContaining(message) })]);
    });

    it('is for caseworkers only: no token is UNAUTHENTICATED, a representative is FORBIDDEN', async () => {
      expect(codes((await gql(DELIVERY_LOG, {})).body)).toEqual(['UNAUTHENTICATED']);
      expect(codes((await gql(DELIVERY_LOG, {}, await caseworkerToken(uscisKey, { agency: 'USCIS', roles: ['representative'] }))).body)).toEqual(['FORBIDDEN']);
    });
  });

  describe('without notifications configured', () => {
    it('keeps the same schema and answers NOTIFICATIONS_UNAVAILABLE', async () => {
      const fields = '{ __schema { mutationType { fields { name args { name } } } queryType { fields { name } } } }';
      expect((await post(bare, fields)).body).toEqual((await post(app, fields)).body);

      const subscribeBare = await post(bare, SUBSCRIBE, { variables: { r: newReceiptNumber(), e: 'jo@example.org', l: 'EN' } });
      expect(subscribeBare.body).toEqual({
        data: { subscribeToCase: null },
        errors: [expect.objectContaining({ message: 'Email and webhook notifications are not enabled on this server.', extensions: { code: 'NOTIFICATIONS_UNAVAILABLE' } })],
      });
      const token = await caseworkerToken(uscisKey, { agency: 'USCIS' });
      expect(codes((await post(bare, DELIVERY_LOG, { bearer: token })).body)).toEqual(['NOTIFICATIONS_UNAVAILABLE']);
      expect(codes((await post(bare, WEBHOOKS, { bearer: token })).body)).toEqual(['NOTIFICATIONS_UNAVAILABLE']);
      expect(codes((await post(bare, CONFIRM, { variables: { t: 'x' } })).body)).toEqual(['NOTIFICATIONS_UNAVAILABLE']);
      expect(smtp.to('jo@example.org')).toEqual([]);
    });
  });
});
