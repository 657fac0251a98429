import { mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlatform, type Platform } from '@case-status/platform';

/** A request from a loopback address of our choosing (Linux answers on all of 127.0.0.0/8). */
function send(url: string, options: { from: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', localAddress: options.from, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** 20 lookups in one request: the most one operation may ask, and 20 units of the client's 120 a minute. */
const TWENTY_LOOKUPS = JSON.stringify({ query: `{ ${Array.from({ length: 20 }, (_, i) => `c${i}: caseStatus(receiptNumber: "IOE0000000001") { statusCode }`).join(' ')} }` });

describe('the client address in the one-process platform (the website asks the status API in process)', () => {
  let platform: Platform;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'platform-address-'));
    platform = await startPlatform({ dataDir: dir, intakePort: 0, statusPort: 0, linksPort: 0, webPort: 0, agencyKeys: {}, notifications: { outboxDir: join(dir, 'outbox') }, logger: false });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('ignores a local client’s X-Forwarded-For, and believes the address the website forwards for its visitors', async () => {
    const lookup = (from: string, forwardedFor: string) =>
      send(`${platform.statusUrl}/graphql`, { from, method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, body: TWENTY_LOOKUPS });
    // 127.0.0.3 spends its 120 lookups a minute, each request claiming to come from someone else.
    for (let i = 0; i < 6; i++) expect((await lookup('127.0.0.3', `10.0.0.${i}`)).status).toBe(200);
    const refused = await lookup('127.0.0.3', '10.0.0.99');
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('RATE_LIMITED');

    // The website asks for its visitors with the platform's key: 127.0.0.3 is refused there too,
    // while another visitor, counted on their own, is not (the case does not exist: 404).
    const page = (from: string) => send(`${platform.webUrl}/en/case/IOE0000000001`, { from });
    expect((await page('127.0.0.3')).status).toBe(429);
    expect((await page('127.0.0.4')).status).toBe(404);
  });
});
