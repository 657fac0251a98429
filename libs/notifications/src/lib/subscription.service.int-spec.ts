import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { SmtpEmailSender } from './email.channel';
import { NotificationError } from './errors';
import { migrate } from './migrations';
import { createNotificationLinksHandler } from './notification-links.handler';
import { SubscriptionService } from './subscription.service';
import { SmtpCapture } from '../testing/smtp-capture';
import { dropSchema, linkToken, linkUrl, newReceiptNumber, RecordingLogger, TEST_DATABASE_URL, uniqueName } from '../testing/support';

const schema = uniqueName('notif_subs');
const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 5 });
const smtp = new SmtpCapture();
const logger = new RecordingLogger();
let sender: SmtpEmailSender;
let service: SubscriptionService;
let links: Server;
let baseUrl: string;

beforeAll(async () => {
  await smtp.start();
  await migrate(pool, schema);
  sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
  links = createServer((req, res) => createNotificationLinksHandler(service, logger)(req, res));
  await new Promise<void>((resolve) => links.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(links.address() as AddressInfo).port}`;
  service = new SubscriptionService({ pool, schema, email: sender, publicBaseUrl: baseUrl, webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false }, logger });
});

afterAll(async () => {
  sender.close();
  await new Promise((resolve) => links.close(resolve));
  await smtp.stop();
  await dropSchema(pool, schema);
  await pool.end();
});

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
    const result = await service.subscribe({ receiptNumber: receipt, email: 'ana@example.org', language: 'es' });
    expect(result.status).toBe('confirmation_sent');
    const [email] = await smtp.waitFor('ana@example.org', 1);
    expect(email.headers.get('subject')).toBe(`Confirme las notificaciones por correo del caso ${receipt}`);
    expect(codeIn(email.text)).toMatch(/^\d{6}$/);
    expect(await row(result.subscriptionId)).toEqual({ status: 'pending', email: 'ana@example.org', language: 'es' });

    const confirmed = await service.confirm(linkToken(email.text, 'confirm'));
    expect(confirmed).toEqual({ subscriptionId: result.subscriptionId, agency: 'USCIS', receiptNumber: receipt, language: 'es', confirmedNow: true });
    expect((await row(result.subscriptionId)).status).toBe('active');
    expect(await service.confirm(linkToken(email.text, 'confirm'))).toMatchObject({ confirmedNow: false });
  });

  it('treats the same address subscribing twice to a case as one subscription', async () => {
    const receipt = newReceiptNumber();
    const first = await service.subscribe({ agency: 'USCIS', receiptNumber: receipt, email: 'ben@example.org', language: 'en' });
    const again = await service.subscribe({ receiptNumber: receipt, email: ' ben@EXAMPLE.org ', language: 'en' });
    expect(again).toEqual(first);
    const emails = await smtp.waitFor('ben@example.org', 2);
    // The newer link replaces the older one.
    expect(await refusal(service.confirm(linkToken(emails[0].text, 'confirm')))).toMatchObject({ code: 'INVALID_TOKEN' });
    await service.confirm(linkToken(emails[1].text, 'confirm'));
    expect(await service.subscribe({ receiptNumber: receipt, email: 'ben@example.org', language: 'en' })).toEqual({ subscriptionId: first.subscriptionId, status: 'already_active' });
    expect(smtp.to('ben@example.org')).toHaveLength(2);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM "${schema}".email_subscriptions WHERE receipt_number = $1`, [receipt]);
    expect(rows[0].n).toBe(1);
  });

  it('confirms with the code, counting wrong codes and stopping after too many', async () => {
    const a = await service.subscribe({ receiptNumber: newReceiptNumber(), email: 'cara@example.org', language: 'en' });
    const [mail] = await smtp.waitFor('cara@example.org', 1);
    const code = codeIn(mail.text);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await refusal(service.confirmCode(a.subscriptionId, wrong))).toEqual({ code: 'INVALID_CODE', message: 'The confirmation code is not right.' });
    expect(await refusal(service.confirmCode(a.subscriptionId, '12ab'))).toMatchObject({ code: 'INVALID_CODE' });
    expect(await service.confirmCode(a.subscriptionId, code)).toMatchObject({ subscriptionId: a.subscriptionId, confirmedNow: true });

    const b = await service.subscribe({ receiptNumber: newReceiptNumber(), email: 'dan@example.org', language: 'en' });
    const [mailB] = await smtp.waitFor('dan@example.org', 1);
    const codeB = codeIn(mailB.text);
    const wrongB = codeB === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await refusal(service.confirmCode(b.subscriptionId, wrongB));
    expect(await refusal(service.confirmCode(b.subscriptionId, codeB))).toMatchObject({ code: 'TOO_MANY_ATTEMPTS' });
    expect((await row(b.subscriptionId)).status).toBe('pending');
    expect(await refusal(service.confirmCode('3b241101-e2bb-4255-8caf-4136c566a962', codeB))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses an expired confirmation and purges unconfirmed subscriptions with their address', async () => {
    const s = await service.subscribe({ receiptNumber: newReceiptNumber(), email: 'eve@example.org', language: 'en' });
    const [mail] = await smtp.waitFor('eve@example.org', 1);
    await pool.query(`UPDATE "${schema}".email_subscriptions SET confirm_expires_at = now() - interval '1 minute' WHERE id = $1`, [s.subscriptionId]);
    expect(await refusal(service.confirm(linkToken(mail.text, 'confirm')))).toMatchObject({ code: 'TOKEN_EXPIRED' });
    expect(await service.purgeExpiredConfirmations()).toBeGreaterThanOrEqual(1);
    expect(await row(s.subscriptionId)).toBeUndefined();
  });

  it('unsubscribes by token, erases the address, and answers the same the second time', async () => {
    const receipt = newReceiptNumber();
    const s = await service.subscribe({ receiptNumber: receipt, email: 'fay@example.org', language: 'en' });
    const [mail] = await smtp.waitFor('fay@example.org', 1);
    await service.confirm(linkToken(mail.text, 'confirm'));
    const { rows } = await pool.query<{ unsubscribe_token: string }>(`SELECT unsubscribe_token FROM "${schema}".email_subscriptions WHERE id = $1`, [s.subscriptionId]);
    const token = rows[0].unsubscribe_token;
    expect(await service.unsubscribe(token)).toEqual({ subscriptionId: s.subscriptionId, agency: 'USCIS', receiptNumber: receipt, unsubscribedNow: true });
    expect(await row(s.subscriptionId)).toMatchObject({ status: 'unsubscribed', email: null });
    expect(await service.unsubscribe(token)).toMatchObject({ unsubscribedNow: false });
    expect(await refusal(service.unsubscribe('nope'))).toMatchObject({ code: 'INVALID_TOKEN' });
    // The address can subscribe again later, as a new subscription.
    const again = await service.subscribe({ receiptNumber: receipt, email: 'fay@example.org', language: 'en' });
    expect(again.subscriptionId).not.toBe(s.subscriptionId);
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
    expect(smtp.messages.length).toBe(before);
  });

  it('says so when the confirmation cannot be sent, and a retry sends it', async () => {
    const receipt = newReceiptNumber();
    smtp.failNext(1);
    expect(await refusal(service.subscribe({ receiptNumber: receipt, email: 'hal@example.org', language: 'en' }))).toMatchObject({ code: 'CONFIRMATION_NOT_SENT' });
    expect(await service.subscribe({ receiptNumber: receipt, email: 'hal@example.org', language: 'en' })).toMatchObject({ status: 'confirmation_sent' });
    expect(await smtp.waitFor('hal@example.org', 1)).toHaveLength(1);
  });

  it('never logs an email address', () => {
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.lines.filter((line) => line.includes('@'))).toEqual([]);
  });
});

describe('confirm and unsubscribe links', () => {
  it('shows a button on GET without confirming, and confirms on POST', async () => {
    const s = await service.subscribe({ receiptNumber: newReceiptNumber(), email: 'ivy@example.org', language: 'en' });
    const [mail] = await smtp.waitFor('ivy@example.org', 1);
    const url = linkUrl(mail.text, 'confirm');
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect((await row(s.subscriptionId)).status).toBe('pending');
    const done = await fetch(url, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('you will get an email when this case changes');
    expect((await row(s.subscriptionId)).status).toBe('active');
  });

  it('answers 404 for an unknown token or path and 405 for other methods', async () => {
    expect((await fetch(`${baseUrl}/notifications/unsubscribe?token=unknown`, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(404);
    expect((await fetch(`${baseUrl}/elsewhere`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/notifications/confirm?token=x`, { method: 'DELETE' })).status).toBe(405);
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
    [{ agency: 'NASA' }, 'UNKNOWN_AGENCY', 'Unknown agency "NASA"'],
    [{ receiptNumber: 'VBA-2026-0001234' }, 'INVALID_RECEIPT_NUMBER', 'has 16 characters; USCIS receipt numbers have 13'],
    [{ owner: ' ' }, 'INVALID_ARGUMENT', 'A webhook needs an owner'],
  ])('refuses %j with %s', async (change, code, message) => {
    const error = await refusal(service.registerWebhook({ agency: 'USCIS', url: 'https://hooks.example.org/x', owner: 'rep-9', ...change }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });
});
