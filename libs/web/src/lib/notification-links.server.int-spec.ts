import { Pool } from 'pg';
import { migrateNotifications, NotificationKeys, SmtpEmailSender, SubscriptionService } from '@case-status/notifications';
import { dropSchema, linkUrl, newReceiptNumber, RecordingLogger, SmtpCapture, TEST_DATABASE_URL, uniqueName } from '@case-status/notifications/testing';
import { buildAssets } from './assets/build-assets';
import { startNotificationLinksServer } from './notification-links.server';
import type { SiteServer } from './site';

jest.setTimeout(30_000);

const schema = uniqueName('web_links');
const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
const smtp = new SmtpCapture();
let sender: SmtpEmailSender;
let service: SubscriptionService;
let links: SiteServer;
const keys = new NotificationKeys(Buffer.alloc(32, 7));

beforeAll(async () => {
  await Promise.all([smtp.start(), migrateNotifications(pool, schema)]);
  sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
  // The links' base is known once the server listens; the service reads it when it writes an email.
  let base = '';
  service = new SubscriptionService({ pool, schema, email: sender, publicBaseUrl: () => base, keys, webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false }, logger: new RecordingLogger() });
  links = await startNotificationLinksServer({ subscriptions: service, port: 0, assets: await buildAssets() });
  base = links.url;
}, 120_000);

afterAll(async () => {
  await links?.close();
  sender?.close();
  await smtp.stop();
  await dropSchema(pool, schema);
  await pool.end();
});

const status = async (receiptNumber: string) =>
  (await pool.query<{ status: string; email: string | null }>(`SELECT status, email FROM "${schema}".email_subscriptions WHERE receipt_number = $1`, [receiptNumber])).rows[0];

async function subscribed(email: string, language: 'en' | 'es' = 'en') {
  const receiptNumber = newReceiptNumber();
  await service.subscribe({ receiptNumber, email, language });
  const [mail] = await smtp.waitFor(email, 1);
  return { receiptNumber, confirmUrl: linkUrl(mail.text, 'confirm') };
}

describe('the confirm and unsubscribe pages where the notifier serves the links', () => {
  it.each([
    ['the confirm page', 'GET', '/en/notifications/confirm?token=abc', 200],
    ['a refused unsubscribe', 'POST', '/notifications/unsubscribe?token=not-a-token', 400],
    ['an unknown path', 'GET', '/elsewhere', 404],
    ['a wrong method', 'PUT', '/notifications/confirm?token=abc', 405],
  ])('serves %s with the shared page headers, no-store and no referrer for the token in its URL', async (_what, method, path, code) => {
    const res = await fetch(`${links.url}${path}`, { method, redirect: 'manual' });
    expect(res.status).toBe(code);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp.startsWith("default-src 'none';script-src 'self';style-src 'self';")).toBe(true);
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('sends the link of the email on to the reader’s language, shows a button on GET without confirming, and confirms on POST', async () => {
    const { receiptNumber, confirmUrl } = await subscribed('ivy@example.org');
    expect(confirmUrl.startsWith(`${links.url}/notifications/confirm?token=`)).toBe(true);
    const token = new URL(confirmUrl).searchParams.get('token') as string;
    const bare = await fetch(confirmUrl, { redirect: 'manual', headers: { 'accept-language': 'es' } });
    expect({ status: bare.status, location: bare.headers.get('location') }).toEqual({ status: 302, location: `/es/notifications/confirm?token=${token}` });
    const page = await fetch(`${links.url}/es/notifications/confirm?token=${token}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<html lang="es">');
    expect(html).toContain(`<form class="usa-form" method="post" action="/es/notifications/confirm?token=${token}">`);
    expect((await status(receiptNumber)).status).toBe('pending');
    const done = await fetch(`${links.url}/en/notifications/confirm?token=${token}`, { method: 'POST' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain(`We will email you when the status of case ${receiptNumber} changes.`);
    expect((await status(receiptNumber)).status).toBe('active');
  });

  it('takes a one-click unsubscribe POST as mail clients send it, erases the address, and says it was done once', async () => {
    const { receiptNumber, confirmUrl } = await subscribed('leave@example.org');
    const { subscriptionId } = await service.confirm(new URL(confirmUrl).searchParams.get('token') as string);
    // The link of the List-Unsubscribe header, as every status email carries it.
    const url = `${links.url}/notifications/unsubscribe?token=${keys.unsubscribeToken(subscriptionId)}`;
    const oneClick = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const first = await oneClick();
    expect(first.status).toBe(200);
    expect(await first.text()).toContain(`We stopped the email updates about case ${receiptNumber} and erased your email address.`);
    expect(await status(receiptNumber)).toEqual({ status: 'unsubscribed', email: null });
    const again = await oneClick();
    expect(again.status).toBe(200);
    expect(await again.text()).toContain(`The email updates about case ${receiptNumber} had already been stopped.`);
  });

  it('refuses an unknown token without saying whose it could be, and other methods with 405', async () => {
    const unknown = await fetch(`${links.url}/notifications/unsubscribe?token=unknown`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('This link does not work. The updates may already have been stopped.');
    expect((await fetch(`${links.url}/elsewhere`)).status).toBe(404);
    const wrong = await fetch(`${links.url}/notifications/confirm?token=x`, { method: 'DELETE' });
    expect({ status: wrong.status, allow: wrong.headers.get('allow') }).toEqual({ status: 405, allow: 'GET, HEAD, POST' });
  });
});
