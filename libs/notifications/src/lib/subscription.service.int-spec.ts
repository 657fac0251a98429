import { Pool } from 'pg';
import { SmtpEmailSender } from './email.channel';
import { NotificationError } from './errors';
import { migrate } from './migrations';
import { NotificationKeys } from './notification-keys';
import { SUBSCRIBE_ANSWER, SubscriptionService } from './subscription.service';
import { hashSecret } from './tokens';
import type { HostResolver } from './webhook-target';
import { SmtpCapture } from '../testing/smtp-capture';
import { dropSchema, linkToken, newReceiptNumber, RecordingLogger, TEST_DATABASE_URL, uniqueName } from '../testing/support';

const schema = uniqueName('notif_subs');
const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 5 });
const smtp = new SmtpCapture();
const logger = new RecordingLogger();
let sender: SmtpEmailSender;
let service: SubscriptionService;
const keys = new NotificationKeys(Buffer.alloc(32, 7));
/** Public documentation-free addresses stand in for real hosts; `*.private.test` names resolve inward. */
const dns: Record<string, string[]> = {
  'hooks.example.org': ['93.184.215.14'],
  'inward.example.org': ['93.184.215.14', '10.0.0.7'],
  'metadata.example.org': ['fd00:ec2::254'],
  'mapped.example.org': ['::ffff:127.0.0.1'],
  'loopback.example.org': ['127.0.0.1'],
};
const resolver: HostResolver = async (host) => {
  const addresses = host === 'localhost' ? ['127.0.0.1'] : dns[host];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

beforeAll(async () => {
  await smtp.start();
  await migrate(pool, schema);
  sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
  service = new SubscriptionService({
    pool,
    schema,
    email: sender,
    publicBaseUrl: 'https://status.example.gov',
    webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false },
    resolveHost: resolver,
    keys,
    confirmationLimits: { perAddress: 3, perCase: 5, windowMinutes: 60 },
    maxWebhooksPerOwner: 3,
    logger,
  });
});

afterAll(async () => {
  sender.close();
  await smtp.stop();
  await dropSchema(pool, schema);
  await pool.end();
});

const idOf = async (receiptNumber: string, email: string) =>
  (await pool.query<{ id: string }>(`SELECT id FROM "${schema}".email_subscriptions WHERE receipt_number = $1 AND lower(email) = lower($2)`, [receiptNumber, email])).rows[0]?.id;
const subscribed = async (receiptNumber: string, email: string, language = 'en') => {
  const answer = await service.subscribe({ receiptNumber, email, language });
  await service.settled();
  return answer;
};
const codeIn = (text: string) => /\n(\d{6})\n/.exec(text)?.[1] as string;
const row = async (id: string) =>
  (await pool.query<{ status: string; email: string | null; language: string }>(`SELECT status, email, language FROM "${schema}".email_subscriptions WHERE id = $1`, [id])).rows[0];
const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NotificationError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('email subscriptions', () => {
  it('sends a confirmation with a code and a link, and stays pending until confirmed', async () => {
    const receipt = newReceiptNumber();
    const result = await subscribed(receipt, 'ana@example.org', 'es');
    expect(result).toEqual(SUBSCRIBE_ANSWER);
    const [email] = await smtp.waitFor('ana@example.org', 1);
    expect(email.headers.get('subject')).toBe(`Confirme las notificaciones por correo del caso ${receipt}`);
    expect(codeIn(email.text)).toMatch(/^\d{6}$/);
    const id = await idOf(receipt, 'ana@example.org');
    expect(await row(id)).toEqual({ status: 'pending', email: 'ana@example.org', language: 'es' });

    const confirmed = await service.confirm(linkToken(email.text, 'confirm'));
    expect(confirmed).toEqual({ subscriptionId: id, agency: 'USCIS', receiptNumber: receipt, language: 'es', confirmedNow: true });
    expect((await row(id)).status).toBe('active');
    expect(await service.confirm(linkToken(email.text, 'confirm'))).toMatchObject({ confirmedNow: false });
  });

  it('treats the same address subscribing twice to a case as one subscription, and emails an active one nothing', async () => {
    const receipt = newReceiptNumber();
    await service.subscribe({ agency: 'USCIS', receiptNumber: receipt, email: 'ben@example.org', language: 'en' });
    await subscribed(receipt, ' ben@EXAMPLE.org ');
    const emails = await smtp.waitFor('ben@example.org', 2);
    // The newer link replaces the older one.
    expect(await refusal(service.confirm(linkToken(emails[0].text, 'confirm')))).toMatchObject({ code: 'INVALID_TOKEN' });
    await service.confirm(linkToken(emails[1].text, 'confirm'));
    expect(await subscribed(receipt, 'ben@example.org')).toEqual(SUBSCRIBE_ANSWER);
    expect(smtp.to('ben@example.org')).toHaveLength(2);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".email_subscriptions WHERE receipt_number = $1`, [receipt]);
    expect(rows[0].n).toBe(1);
  });

  it('confirms with the code, counting wrong codes and stopping after too many', async () => {
    const receiptA = newReceiptNumber();
    await subscribed(receiptA, 'cara@example.org');
    const [mail] = await smtp.waitFor('cara@example.org', 1);
    const a = await idOf(receiptA, 'cara@example.org');
    const code = codeIn(mail.text);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await refusal(service.confirmCode(a, wrong))).toEqual({ code: 'INVALID_CODE', message: 'The confirmation code is not right.' });
    expect(await refusal(service.confirmCode(a, '12ab'))).toMatchObject({ code: 'INVALID_CODE' });
    expect(await service.confirmCode(a, code)).toMatchObject({ subscriptionId: a, confirmedNow: true });

    const receiptB = newReceiptNumber();
    await subscribed(receiptB, 'dan@example.org');
    const [mailB] = await smtp.waitFor('dan@example.org', 1);
    const b = await idOf(receiptB, 'dan@example.org');
    const codeB = codeIn(mailB.text);
    const wrongB = codeB === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await refusal(service.confirmCodeForAddress({ receiptNumber: receiptB, email: 'dan@example.org' }, wrongB));
    expect(await refusal(service.confirmCodeForAddress({ receiptNumber: receiptB, email: 'dan@example.org' }, codeB))).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect((await row(b)).status).toBe('pending');
    expect(await refusal(service.confirmCode('3b241101-e2bb-4255-8caf-4136c566a962', codeB))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('confirms by case, address and code, and answers a stranger’s code, or the right code once confirmed, the same whether the address follows the case or not', async () => {
    const receipt = newReceiptNumber();
    await subscribed(receipt, 'kim@example.org');
    const [mail] = await smtp.waitFor('kim@example.org', 1);
    const code = codeIn(mail.text);
    expect(await service.confirmCodeForAddress({ receiptNumber: receipt, email: 'KIM@example.org' }, code)).toMatchObject({ receiptNumber: receipt, confirmedNow: true });
    const guess = code === '000000' ? '111111' : '000000';
    const followed = await refusal(service.confirmCodeForAddress({ receiptNumber: receipt, email: 'kim@example.org' }, guess));
    const stranger = await refusal(service.confirmCodeForAddress({ receiptNumber: receipt, email: 'nobody@example.org' }, guess));
    expect(followed).toEqual({ code: 'INVALID_CODE', message: 'The confirmation code is not right.' });
    expect(stranger).toEqual(followed);
    // Even the right code of a subscription already confirmed answers as a wrong one: a lucky
    // guess must not tell a stranger that the address follows the case.
    expect(await refusal(service.confirmCodeForAddress({ receiptNumber: receipt, email: 'kim@example.org' }, code))).toEqual(followed);
  });

  it('limits code guesses per case and address the same whether a subscription exists or not', async () => {
    const receipt = newReceiptNumber();
    await subscribed(receipt, 'lee@example.org');
    const [mail] = await smtp.waitFor('lee@example.org', 1);
    await service.confirm(linkToken(mail.text, 'confirm'));
    const guess = codeIn(mail.text) === '000000' ? '111111' : '000000';
    const guesses = async (email: string) => {
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push((await refusal(service.confirmCodeForAddress({ receiptNumber: receipt, email }, guess))).code);
      return answers;
    };
    const followed = await guesses('lee@example.org');
    expect(followed).toEqual(['INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'INVALID_CODE', 'TOO_MANY_ATTEMPTS', 'TOO_MANY_ATTEMPTS']);
    expect(await guesses('never-subscribed@example.org')).toEqual(followed);
    // Subscribing again (within the limits) starts the count afresh, for both alike.
    await subscribed(receipt, 'lee@example.org');
    expect((await refusal(service.confirmCodeForAddress({ receiptNumber: receipt, email: 'lee@example.org' }, guess))).code).toBe('INVALID_CODE');
  });

  it('refuses an expired confirmation and purges unconfirmed subscriptions with their address', async () => {
    const receipt = newReceiptNumber();
    await subscribed(receipt, 'eve@example.org');
    const [mail] = await smtp.waitFor('eve@example.org', 1);
    const id = await idOf(receipt, 'eve@example.org');
    await pool.query(`UPDATE "${schema}".email_subscriptions SET confirm_expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    expect(await refusal(service.confirm(linkToken(mail.text, 'confirm')))).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(await service.purgeExpiredConfirmations()).toBeGreaterThanOrEqual(1);
    expect(await row(id)).toBeUndefined();
  });

  it('unsubscribes by token, erases the address, and answers the same the second time', async () => {
    const receipt = newReceiptNumber();
    await subscribed(receipt, 'fay@example.org');
    const [mail] = await smtp.waitFor('fay@example.org', 1);
    const id = await idOf(receipt, 'fay@example.org');
    await service.confirm(linkToken(mail.text, 'confirm'));
    const token = keys.unsubscribeToken(id);
    expect(await service.unsubscribe(token)).toEqual({ subscriptionId: id, agency: 'USCIS', receiptNumber: receipt, unsubscribedNow: true });
    expect(await row(id)).toMatchObject({ status: 'unsubscribed', email: null });
    expect(await service.unsubscribe(token)).toMatchObject({ unsubscribedNow: false });
    expect(await refusal(service.unsubscribe('nope'))).toMatchObject({ code: 'INVALID_TOKEN' });
    // The address can subscribe again later, as a new subscription.
    await subscribed(receipt, 'fay@example.org');
    const again = await idOf(receipt, 'fay@example.org');
    expect(again).toBeDefined();
    expect(again).not.toBe(id);
  });

  it.each([
    [{ email: 'not-an-address' }, 'INVALID_EMAIL', 'Invalid email address: the email address has no "@".'],
    [{ language: 'fr' }, 'INVALID_LANGUAGE', 'Language must be one of en, es, not "fr".'],
    [{ agency: 'NASA' }, 'UNKNOWN_AGENCY', 'Unknown agency "NASA"; known: USCIS, VBA.'],
    [{ receiptNumber: 'ioe0912345678', agency: 'USCIS' }, 'INVALID_RECEIPT_NUMBER', 'Letters must be upper case.'],
    [{ receiptNumber: '12345' }, 'INVALID_RECEIPT_NUMBER', 'is not a receipt number of any agency'],
  ])('refuses %j with %s and sends nothing', async (change, code, message) => {
    const before = smtp.messages.length;
    const error = await refusal(service.subscribe({ receiptNumber: newReceiptNumber(), email: 'gus@example.org', language: 'en', ...change }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    await service.settled();
    expect(smtp.messages.length).toBe(before);
  });

  it('answers the same when the confirmation cannot be sent, logs it, and lets a retry send it', async () => {
    const receipt = newReceiptNumber();
    smtp.failNext(1);
    expect(await subscribed(receipt, 'hal@example.org')).toEqual(SUBSCRIBE_ANSWER);
    expect(logger.lines.some((line) => /^warn confirmation email for subscription \S+ not sent/.test(line))).toBe(true);
    expect(await subscribed(receipt, 'hal@example.org')).toEqual(SUBSCRIBE_ANSWER);
    expect(await smtp.waitFor('hal@example.org', 1)).toHaveLength(1);
  });

  it('never logs an email address', () => {
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.filter((line) => line.includes('@'))).toEqual([]);
  });
});

describe('subscribe cannot be turned against an address or a case', () => {
  it('sends at most the per-address limit of confirmations however often one address is subscribed', async () => {
    const receipt = newReceiptNumber();
    const answers = [];
    for (let i = 0; i < 20; i++) answers.push(await service.subscribe({ receiptNumber: receipt, email: 'flood@example.org', language: 'en' }));
    await service.settled();
    expect(new Set(answers.map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify(SUBSCRIBE_ANSWER)]));
    expect(smtp.to('flood@example.org')).toHaveLength(3);
    expect(logger.lines.filter((line) => line.startsWith(`warn confirmation for USCIS ${receipt} not sent: over 3 per address`))).toHaveLength(17);
  });

  it('counts an address over every case, and a case over every address', async () => {
    for (let i = 0; i < 4; i++) await subscribed(newReceiptNumber(), 'hopper@example.org');
    expect(smtp.to('hopper@example.org')).toHaveLength(3);
    const receipt = newReceiptNumber();
    const addresses = Array.from({ length: 7 }, (_, i) => `crowd${i}@example.org`);
    for (const address of addresses) await subscribed(receipt, address);
    expect(addresses.filter((address) => smtp.to(address).length === 1)).toHaveLength(5);
  });

  it('gives a followed and a not-followed address the same answer', async () => {
    const receipt = newReceiptNumber();
    await subscribed(receipt, 'follower@example.org');
    const [mail] = await smtp.waitFor('follower@example.org', 1);
    await service.confirm(linkToken(mail.text, 'confirm'));
    const followed = await subscribed(receipt, 'follower@example.org');
    const notFollowed = await subscribed(receipt, 'stranger@example.org');
    expect(followed).toEqual(notFollowed);
    expect(followed).toEqual({ status: 'confirmation_sent', message: expect.stringContaining('If this address can receive updates for this case') });
    // The follower got no second email; the stranger got a confirmation.
    expect(smtp.to('follower@example.org')).toHaveLength(1);
    expect(smtp.to('stranger@example.org')).toHaveLength(1);
  });

  it('keeps throttle keys as keyed digests, never addresses or receipt numbers', async () => {
    const receipt = newReceiptNumber();
    await subscribed(receipt, 'digest@example.org');
    const { rows } = await pool.query<{ key: Buffer }>(`SELECT key FROM "${schema}".confirmation_throttle`);
    const stored = rows.map((r) => r.key.toString('latin1')).join('\n');
    expect(rows.length).toBeGreaterThan(0);
    expect(stored).not.toContain('digest@example.org');
    expect(stored).not.toContain(receipt);
  });
});

describe('secrets and tokens at rest', () => {
  it('stores no webhook secret, confirmation or unsubscribe token in clear', async () => {
    const receipt = newReceiptNumber();
    await subscribed(receipt, 'rest@example.org');
    const [mail] = await smtp.waitFor('rest@example.org', 1);
    const confirmToken = linkToken(mail.text, 'confirm');
    const id = await idOf(receipt, 'rest@example.org');
    const hook = await service.registerWebhook({ agency: 'USCIS', receiptNumber: receipt, url: 'https://hooks.example.org/rest', owner: 'rest-owner' });
    const dump = async (table: string) => JSON.stringify((await pool.query(`SELECT * FROM "${schema}".${table}`)).rows);
    const everything = (await dump('email_subscriptions')) + (await dump('webhook_endpoints'));
    const unsubscribeToken = keys.unsubscribeToken(id);
    for (const secret of [hook.secret, hook.secret.slice('whsec_'.length), confirmToken, unsubscribeToken]) expect(everything).not.toContain(secret);
    const hashes = (await pool.query<{ confirm_token_hash: Buffer; unsubscribe_token_hash: Buffer }>(`SELECT confirm_token_hash, unsubscribe_token_hash FROM "${schema}".email_subscriptions WHERE id = $1`, [id])).rows[0];
    expect(hashes).toEqual({ confirm_token_hash: hashSecret(confirmToken), unsubscribe_token_hash: hashSecret(unsubscribeToken) });
    const sealed = (await pool.query<{ secret: string | null; secret_sealed: string }>(`SELECT secret, secret_sealed FROM "${schema}".webhook_endpoints WHERE id = $1`, [hook.id])).rows[0];
    expect(sealed.secret).toBeNull();
    expect(sealed.secret_sealed).toMatch(new RegExp(`^v1\\.${keys.currentKeyId}\\.`));
    expect(keys.open(sealed.secret_sealed, `webhook-secret:${hook.id}`)).toBe(hook.secret);
    // Sealed for its own row: copied onto another endpoint it does not open.
    expect(() => keys.open(sealed.secret_sealed, 'webhook-secret:3b241101-e2bb-4255-8caf-4136c566a962')).toThrow();
  });
});

describe('webhook endpoints', () => {
  it('registers an endpoint with a Standard Webhooks secret shown once', async () => {
    const receipt = newReceiptNumber();
    const hook = await service.registerWebhook({ agency: 'USCIS', receiptNumber: receipt, url: 'https://hooks.example.org/a', owner: 'rep-1', description: 'law office' });
    expect(hook).toMatchObject({ agency: 'USCIS', receiptNumber: receipt, url: 'https://hooks.example.org/a', description: 'law office' });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const agencyWide = await service.registerWebhook({ agency: 'USCIS', url: 'https://hooks.example.org/all', owner: 'rep-1' });
    expect(agencyWide.receiptNumber).toBeNull();
    const listed = await service.listWebhooks('rep-1');
    expect(listed.map((h) => h.id)).toEqual([hook.id, agencyWide.id]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
  });

  it('lets only the owner remove an endpoint', async () => {
    const hook = await service.registerWebhook({ agency: 'VBA', url: 'https://hooks.example.org/vba', owner: 'rep-2' });
    expect(await refusal(service.removeWebhook(hook.id, 'rep-3'))).toMatchObject({ code: 'NOT_FOUND' });
    await service.removeWebhook(hook.id, 'rep-2');
    expect(await service.listWebhooks('rep-2')).toEqual([]);
    expect(await refusal(service.removeWebhook(hook.id, 'rep-2'))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each([
    [{ url: 'http://hooks.example.org/x' }, 'INVALID_WEBHOOK_URL', 'the scheme must be https'],
    [{ url: 'https://10.0.0.5/x' }, 'INVALID_WEBHOOK_URL', 'local or private address'],
    [{ url: 'https://localhost/x' }, 'INVALID_WEBHOOK_URL', 'local or private address'],
    [{ url: 'https://inward.example.org/x' }, 'INVALID_WEBHOOK_URL', 'the host inward.example.org does not resolve, from the platform, to public addresses only'],
    [{ url: 'https://metadata.example.org/x' }, 'INVALID_WEBHOOK_URL', 'the host metadata.example.org does not resolve, from the platform, to public addresses only'],
    [{ url: 'https://loopback.example.org/x' }, 'INVALID_WEBHOOK_URL', 'the host loopback.example.org does not resolve, from the platform, to public addresses only'],
    [{ url: 'https://mapped.example.org/x' }, 'INVALID_WEBHOOK_URL', 'the host mapped.example.org does not resolve, from the platform, to public addresses only'],
    [{ url: 'https://nowhere.example.org/x' }, 'INVALID_WEBHOOK_URL', 'the host nowhere.example.org does not resolve, from the platform, to public addresses only'],
    [{ agency: 'NASA' }, 'UNKNOWN_AGENCY', 'Unknown agency "NASA"'],
    [{ receiptNumber: 'VBA-2026-0001234' }, 'INVALID_RECEIPT_NUMBER', 'has 16 characters; USCIS receipt numbers have 13'],
    [{ owner: ' ' }, 'INVALID_ARGUMENT', 'A webhook needs an owner'],
  ])('refuses %j with %s', async (change, code, message) => {
    const error = await refusal(service.registerWebhook({ agency: 'USCIS', url: 'https://hooks.example.org/x', owner: 'rep-9', ...change }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('tells a registrant that a name is not public without what it resolved to, and logs the whole reason', async () => {
    const error = await refusal(service.registerWebhook({ agency: 'USCIS', url: 'https://inward.example.org/y', owner: 'rep-9' }));
    expect(error.message).not.toContain('10.0.0.7');
    expect(logger.lines).toContain('warn webhook registration refused: the host inward.example.org resolves to 10.0.0.7, a private address');
  });

  it('caps the active endpoints of one owner, with a coded refusal naming the cap', async () => {
    const register = () => service.registerWebhook({ agency: 'USCIS', url: 'https://hooks.example.org/capped', owner: 'busy-owner' });
    const [first] = await Promise.all([register(), register(), register()]);
    expect(await refusal(register())).toEqual({
      code: 'WEBHOOK_LIMIT_REACHED',
      message: 'You already have 3 active webhook endpoints, the most one owner may have: remove one before adding another.',
    });
    // Another owner is not held up, and removing one makes room again.
    await service.registerWebhook({ agency: 'USCIS', url: 'https://hooks.example.org/other', owner: 'other-owner' });
    await service.removeWebhook(first.id, 'busy-owner');
    await register();
    expect(await service.listWebhooks('busy-owner')).toHaveLength(3);
  });
});
