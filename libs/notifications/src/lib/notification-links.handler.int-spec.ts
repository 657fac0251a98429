import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { SmtpEmailSender } from './email.channel';
import { migrate } from './migrations';
import { createNotificationLinksHandler } from './notification-links.handler';
import { SubscriptionService } from './subscription.service';
import { dropSchema, RecordingLogger, TEST_DATABASE_URL, uniqueName } from '../testing/support';

const schema = uniqueName('notif_links');
const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
// Never used to send: these requests refuse before any email would go out.
const sender = new SmtpEmailSender({ url: 'smtp://127.0.0.1:1', from: 'Case Status <no-reply@case-status.example>' });
let links: Server;
let baseUrl: string;

beforeAll(async () => {
  await migrate(pool, schema);
  const logger = new RecordingLogger();
  links = createServer();
  await new Promise<void>((resolve) => links.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(links.address() as AddressInfo).port}`;
  const service = new SubscriptionService({ pool, schema, email: sender, publicBaseUrl: baseUrl, webhookUrlPolicy: { allowHttp: false, allowPrivateHosts: false }, logger });
  links.on('request', createNotificationLinksHandler(service, logger));
});

afterAll(async () => {
  sender.close();
  await new Promise((resolve) => links.close(resolve));
  await dropSchema(pool, schema);
  await pool.end();
});

describe('notification link pages', () => {
  it.each([
    ['the confirm page', 'GET', '/notifications/confirm?token=abc', 200],
    ['a refused unsubscribe', 'POST', '/notifications/unsubscribe?token=not-a-token', 404],
    ['an unknown path', 'GET', '/elsewhere', 404],
    ['a wrong method', 'PUT', '/notifications/confirm?token=abc', 405],
  ])('serves %s with the shared page headers, no-store and no referrer for the token in its URL', async (_what, method, path, status) => {
    const res = await fetch(`${baseUrl}${path}`, { method, redirect: 'manual' });
    expect(res.status).toBe(status);
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
});
