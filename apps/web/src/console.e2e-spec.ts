import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { LOCAL_USERS } from '@case-status/identity';
import { hashAccessCode } from '@case-status/intake-contract';
import { silentLogger } from '@case-status/logging';
import { Notifier, SmtpEmailSender } from '@case-status/notifications';
import { registerAgencyWebhook, statusChanged, statusChangedKafkaMessage, TestKafka, uniqueName, WebhookReceiver } from '@case-status/notifications/testing';
import { CookieAgent, throughLocalProvider } from '@case-status/identity/testing';
import { axeScan, launchBrowser, screenshotPages, writesScreenshots, type Browser } from './testing/browser';
import { SiteUnderTest } from './testing/site-under-test';

jest.setTimeout(120_000);

const user = (subject: string) => LOCAL_USERS.find((candidate) => candidate.subject === subject) ?? (() => { throw new Error(`no local user ${subject}`); })();
const carl = user('caseworker-carl');
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** USCIS: I-130 at NBC, 12 received 7 to 62 days ago (4 of them decided); I-485 at TSC, 3 pending. VBA: 3 pending. */
const USCIS_I130 = Array.from({ length: 12 }, (_, i) => ({ receipt: `IOE09${String(10_000_001 + i)}`, receivedDaysAgo: 5 * (i + 1) + 2, decided: i % 3 === 0 }));
const USCIS_I485 = Array.from({ length: 3 }, (_, i) => `IOE09${String(20_000_001 + i)}`);
const VBA_CASES = Array.from({ length: 3 }, (_, i) => `VBA-2026-${String(3_000_001 + i).padStart(7, '0')}`);
const USCIS_RECEIPTS = [...USCIS_I130.map((c) => c.receipt), ...USCIS_I485];

/**
 * The caseworker console on the real stack: intake, projector, status API, website, the local
 * identity provider (a real oidc-provider) and PostgreSQL. Carl (USCIS) signs in through the
 * provider in Chromium, where axe checks the pages; Vera (VBA) and Ana (an applicant) are tried
 * at the HTTP level, where the pages are read without any JavaScript, and against the status
 * API with their own tokens.
 */
describe('the caseworker console (real identity provider, status API and PostgreSQL)', () => {
  const site = new SiteUnderTest({ identity: true, feedback: true });
  let browser: Browser;
  let page: Page;

  let accessCodeHash: string;
  let reissuedHash: string;

  beforeAll(async () => {
    [accessCodeHash, reissuedHash] = await Promise.all([hashAccessCode('ABCD-EFGH-JKLM'), hashAccessCode('NPQR-STVW-XYZ2')]);
    await site.start();
    for (const c of USCIS_I130) {
      const revision = await site.record(c.receipt, 'CaseReceived', daysAgo(c.receivedDaysAgo), { formType: 'I-130', office: 'NBC' });
      await site.projected(c.receipt, c.decided ? await site.record(c.receipt, 'DecisionIssued', daysAgo(2), { outcome: 'approved' }) : revision);
    }
    for (const receipt of USCIS_I485) await site.projected(receipt, await site.record(receipt, 'CaseReceived', daysAgo(100), { formType: 'I-485', office: 'TSC', accessCodeHash }));
    // The first I-485 was mailed a new access code (an event the public never sees), then went into review.
    await site.record(USCIS_I485[0], 'AccessCodeIssued', daysAgo(50), { accessCodeHash: reissuedHash });
    await site.projected(USCIS_I485[0], await site.record(USCIS_I485[0], 'CaseReviewStarted', daysAgo(20), {}));
    for (const receipt of VBA_CASES) await site.projected(receipt, await site.record(receipt, 'CaseReceived', daysAgo(40), { formType: '21-526EZ', office: 'RO317' }));
    await site.flowCaughtUp(USCIS_RECEIPTS.length + VBA_CASES.length);
    // axe runs in the page, so this browser runs JavaScript; the pages need none (the others below are read without any).
    browser = await launchBrowser({ javaScriptEnabled: true });
    page = await browser.context.newPage();
    // A missing element fails the step that wanted it, rather than the whole test's time.
    page.setDefaultTimeout(10_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site.stop();
  }, 30_000);

  const click = async (selector: string) => Promise.all([page.waitForLoadState('load'), page.click(selector)]);
  const axeClean = async () => expect((await axeScan(page)).findings).toEqual([]);

  /** Signs `subject` in at the HTTP level, starting from `path`; the agent then holds the site's session. */
  async function signedIn(subject: string, path = '/en/console'): Promise<CookieAgent> {
    const agent = new CookieAgent();
    const start = await agent.request(`${site.webUrl}${path}`);
    expect(start.status).toBe(303);
    const toProvider = await agent.request(new URL(start.headers.get('location') ?? '', site.webUrl).href);
    const done = await agent.request(await throughLocalProvider(agent, toProvider.headers.get('location') ?? '', user(subject)));
    expect(done.status).toBe(303);
    return agent;
  }

  /** The person's own token for the status API, as the site keeps it in their latest session. */
  async function apiTokenOf(subject: string): Promise<string | null> {
    const { rows } = await site.pool.query<{ token: string | null }>(
      `SELECT data -> 'apiToken' ->> 'value' AS token FROM "${site.schemas.identity}".sessions WHERE kind = 'signed-in' AND data -> 'account' ->> 'subject' = $1 ORDER BY created_at DESC LIMIT 1`,
      [subject],
    );
    return rows[0]?.token ?? null;
  }

  async function api(query: string, token: string) {
    const response = await fetch(`${site.statusUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
  }

  it('sends a caseworker through the provider’s sign-in to the backlog, with charts, tables and CSV of their agency, drillable to the case list; axe-clean', async () => {
    await page.goto(`${site.webUrl}/en/console`);
    expect(new URL(page.url()).origin).toBe(site.identityProvider?.issuer);
    await page.fill('#email', carl.email);
    await page.fill('#password', carl.password);
    await click('form[action$="/login"] button[type=submit]');
    await click('form[action$="/confirm"] button[type=submit]');

    expect(page.url()).toBe(`${site.webUrl}/en/console`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Backlog');
    expect(await page.getAttribute('[data-console-agency]', 'data-console-agency')).toBe('USCIS');
    // Pending: the 8 undecided I-130s and the 3 I-485s.
    await expect(page.locator('[data-summary]').textContent()).resolves.toMatch(/^11 cases are waiting for a decision\. Over the last 12 weeks, 12 were received and 4 decided\.$/);
    const rows = await page.locator('[data-table=backlog] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim())));
    expect(rows.map((row) => row.slice(0, 8))).toEqual([
      ['I-130', 'NBC', '8', '3', '5', '0', '0', '0'],
      ['I-485', 'TSC', '3', '0', '0', '3', '0', '0'],
    ]);
    // Charts: images named by their title and described, each series with its own pattern.
    for (const chart of ['aging', 'flow']) {
      const svg = page.locator(`[data-chart=${chart}] svg`);
      expect(await svg.getAttribute('role')).toBe('img');
      expect(await svg.getAttribute('aria-labelledby')).toBe(`${chart}-title ${chart}-desc`);
      await expect(page.locator(`#${chart}-desc`).textContent()).resolves.toMatch(/\d/);
    }
    expect(await page.locator('[data-chart=flow] pattern').count()).toBe(2);
    expect(await page.locator('[data-table=flow] tbody tr').count()).toBe(12);
    await axeClean();

    // The backlog's CSV: the same rows as the table, as a download never cached.
    const csv = await page.context().request.get(`${site.webUrl}/en/console/backlog.csv`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers()['content-disposition']).toBe('attachment; filename="backlog-USCIS.csv"');
    expect(csv.headers()['cache-control']).toBe('no-store');
    const records = parse(await csv.text()) as string[][];
    expect(records[0]).toEqual(['Form', 'Office', 'Pending', '0–30 days', '31–90 days', '91–180 days', '181–365 days', 'Over 365 days', 'Oldest received']);
    expect(records.slice(1).map((record) => record.slice(0, 8))).toEqual(rows.map((row) => row.slice(0, 8)));

    // Drill: the 31–90 days of I-130 at NBC are its pending cases received 31 to 90 days ago.
    await click('[data-table=backlog] tbody tr:first-child td:nth-child(5) a');
    expect(new URL(page.url()).pathname).toBe('/en/console/cases');
    await expect(page.locator('h1').textContent()).resolves.toBe('Case list');
    const listed = await page.locator('[data-table=cases] tbody th').allTextContents();
    const expected = USCIS_I130.filter((c) => !c.decided && c.receivedDaysAgo > 30).map((c) => c.receipt).reverse();
    expect(listed.map((text) => text.trim())).toEqual(expected);
    await axeClean();

    // The whole pending list, a page of 25 at a time: here one page, with no next.
    await page.goto(`${site.webUrl}/en/console/cases?pending=true`);
    expect((await page.locator('[data-table=cases] tbody th').allTextContents()).sort()).toEqual(USCIS_RECEIPTS.filter((r) => !USCIS_I130.find((c) => c.receipt === r)?.decided).sort());
    expect(await page.locator('[data-next-page]').count()).toBe(0);

    await page.goto(`${site.webUrl}/en/console/stale`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Stale cases');
    // Too few cases have left a status here to know what is usual: none is called stale.
    expect(await page.locator('[data-empty]').count()).toBe(1);
    await axeClean();

    // Processing times of I-130 (the agency's first form) at each office, and the served estimates' record.
    await site.recordServedEstimates();
    await click('nav[aria-label="Caseworker console"] a[href="/en/console/estimates"]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Processing times and estimates');
    expect(await page.locator('#estimates-form').inputValue()).toBe('I-130');
    const times = await page.locator('[data-table=processing-times] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim())));
    expect(times.map((row) => row[0])).toEqual(['NBC', 'VSC', 'CSC', 'NSC', 'TSC', 'PSC', 'NYC', 'LOS', 'CHI', 'HOU', 'MIA']);
    // NBC: 4 decided in the window, 8 waiting; an office without cases has no figures.
    expect(times[0].slice(0, 3)).toEqual(['NBC', '4', '8']);
    expect(times[1].slice(0, 4)).toEqual(['VSC', '0', '0', '—']);
    expect(await page.locator('[data-chart=times] svg').getAttribute('role')).toBe('img');
    // Today's sample of the 8 waiting I-130s is on record; none of its dates has come yet.
    const months = await page.locator('[data-table=estimate-accuracy] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim())));
    expect(months.map((row) => [row[0], row[1], row[4], row[5]])).toEqual([[new Date().toISOString().slice(0, 7), '8', '0', '0']]);
    await axeClean();
    const timesCsv = await page.context().request.get(`${site.webUrl}/en/console/processing-times.csv?formType=I-130`);
    expect(timesCsv.headers()['content-disposition']).toBe('attachment; filename="processing-times-USCIS-I-130.csv"');
    const timesRecords = parse(await timesCsv.text()) as string[][];
    expect(timesRecords[0].slice(0, 4)).toEqual(['Office', 'Decided in window', 'Pending', 'Published median (days)']);
    expect(timesRecords.slice(1).map((record) => record.slice(0, 3))).toEqual(times.map((row) => row.slice(0, 3)));
    // A withheld figure is an empty cell, not a dash.
    expect(timesRecords[2][3]).toBe('');
    // A case's full record, from the case list: its views, every event (the non-public one too), never a hash.
    await page.goto(`${site.webUrl}/en/console/cases?formType=I-485`);
    await click(`[data-table=cases] tbody th a[href="/en/console/case?receiptNumber=${USCIS_I485[0]}"]`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Case ${USCIS_I485[0]}`);
    await expect(page.locator('[data-case-facts]').textContent()).resolves.toContain('CASE_IN_REVIEW');
    const events = await page.locator('[data-table=case-events] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim())));
    expect(events.map((row) => [row[0], row[1]])).toEqual([
      ['0', 'CaseReceived'],
      ['1', 'AccessCodeIssued'],
      ['2', 'CaseReviewStarted'],
    ]);
    expect(JSON.parse(events[1][4] ?? '')).toEqual({ accessCodeHash: '[not kept]' });
    expect(await page.locator('[data-table=timeline] tbody tr').count()).toBe(2);
    await expect(page.locator('#deliveries-heading ~ [data-empty]').textContent()).resolves.toBe('No notification has been sent about this case.');
    const recordHtml = await page.content();
    for (const hash of [accessCodeHash, reissuedHash]) expect(recordHtml).not.toContain(hash.split('$').at(-1));
    expect(recordHtml).not.toContain('scrypt$');
    await axeClean();
    const eventsCsv = await (await page.context().request.get(`${site.webUrl}/en/console/case-events.csv?receiptNumber=${USCIS_I485[0]}`)).text();
    expect((parse(eventsCsv) as string[][]).slice(1).map((record) => record[1])).toEqual(['CaseReceived', 'AccessCodeIssued', 'CaseReviewStarted']);
    expect(eventsCsv).not.toContain('scrypt$');
    const unknown = await page.context().request.get(`${site.webUrl}/en/console/case?receiptNumber=IOE0999999999`);
    expect(unknown.status()).toBe(404);

    const accuracyCsv = parse(await (await page.context().request.get(`${site.webUrl}/en/console/estimate-accuracy.csv?formType=I-130`)).text()) as string[][];
    expect(accuracyCsv.slice(1).map((record) => record.slice(0, 2))).toEqual([[new Date().toISOString().slice(0, 7), '8']]);
  });

  it('shows the agency’s webhook endpoints and deliveries; re-drives a dead letter once through a CSRF-protected form; pauses and resumes an endpoint; records who did it', async () => {
    // The notifier on the site's tables, fed by a topic of its own, delivering to a real receiver.
    const kafka = new TestKafka();
    const receiver = new WebhookReceiver();
    const topic = `test.${uniqueName('console_changes')}`;
    await Promise.all([kafka.start(), receiver.start()]);
    await kafka.createTopic(topic, 1);
    const healthy = { now: false };
    const url = receiver.endpoint('/uscis-feed', () => (healthy.now ? 204 : 500));
    receiver.setSecret('/uscis-feed', await registerAgencyWebhook({ pool: site.pool, schema: site.schemas.notifications, url, owner: 'uscis-integration' }));
    const sender = new SmtpEmailSender({ url: 'smtp://127.0.0.1:9', from: 'Case Status <no-reply@case-status.example>' });
    const notifier = new Notifier({
      pool: site.pool,
      schema: site.schemas.notifications,
      kafka: { brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), groupId: uniqueName('console_notifier'), topic, fromBeginning: true, maxWaitTimeMs: 200 },
      email: sender,
      publicBaseUrl: site.webUrl,
      retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
      webhookTimeoutMs: 1_000,
      worker: { pollIntervalMs: 20, concurrency: 2 },
      webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: true },
      logger: silentLogger,
    });
    const accepted = () => receiver.at('/uscis-feed').filter((r) => r.answered === 204).map((r) => (JSON.parse(r.body) as { data: { eventId: string } }).data.eventId);
    const receipt = USCIS_I130[1].receipt;
    const rows = (table: string) => page.locator(`[data-table=${table}] tbody tr`).evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')));
    try {
      await notifier.start();
      const message = statusChangedKafkaMessage(statusChanged({ receiptNumber: receipt, formType: 'I-130', office: 'NBC', streamRevision: '1', position: '1:1' }));
      const eventId = message.headers['ce_id'];
      await kafka.producer.send({ topic, acks: -1, messages: [message] });
      // Attempts run out against the failing endpoint: the delivery is dead-lettered.
      const deadLettered = async () => (await site.pool.query(`SELECT count(*)::int AS n FROM "${site.schemas.notifications}".deliveries WHERE status = 'dead_lettered'`)).rows[0].n === 1;
      while (!(await deadLettered())) await new Promise((resolve) => setTimeout(resolve, 50));
      healthy.now = true;

      await page.goto(`${site.webUrl}/en/console/deliveries`);
      await expect(page.locator('h1').textContent()).resolves.toBe('Deliveries');
      const [endpoint] = await rows('webhooks');
      expect(endpoint.slice(0, 4)).toEqual([url, 'Every case', '', 'uscis-integration']);
      expect(endpoint[6]).toBe('1Re-drive all 1');
      const [delivery] = await rows('deliveries');
      expect([delivery[1], delivery[2], delivery[5], delivery[6]]).toEqual([receipt, 'WEBHOOK', 'DEAD_LETTEREDRe-drive', '2']);
      await axeClean();

      // A forged form (no token, or another one) changes nothing.
      const deliveryId = delivery[10];
      for (const csrf of [undefined, 'not-the-token']) {
        const forged = await page.context().request.post(`${site.webUrl}/en/console/deliveries`, { form: { action: 'redrive', id: deliveryId, ...(csrf && { csrf }) }, maxRedirects: 0 });
        expect(forged.status()).toBe(403);
      }
      expect(await page.locator('[data-table=delivery-actions]').count()).toBe(0);

      const csrf = await page.locator('[data-table=deliveries] form[data-action=redrive] input[name=csrf]').inputValue();
      await click('[data-table=deliveries] form[data-action=redrive] button');
      await expect(page.locator('[data-done]').textContent()).resolves.toBe('The dead letter is back in the queue.');
      await receiver.until(() => accepted().includes(eventId));
      // The same form posted again (a second click, a colleague): nothing more is queued.
      const again = await page.context().request.post(`${site.webUrl}/en/console/deliveries`, { form: { action: 'redrive', id: deliveryId, csrf }, maxRedirects: 0 });
      expect([again.status(), again.headers()['location']]).toEqual([303, '/en/console/deliveries?done=redrive&count=0']);
      const settled = async () => (await site.pool.query(`SELECT status FROM "${site.schemas.notifications}".deliveries WHERE id = $1`, [deliveryId])).rows[0].status === 'delivered';
      while (!(await settled())) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(accepted()).toEqual([eventId]);
      await page.goto(`${site.webUrl}/en/console/deliveries?status=DELIVERED&channel=WEBHOOK`);
      expect((await rows('deliveries')).map((row) => [row[10], row[5]])).toEqual([[deliveryId, 'DELIVERED']]);
      expect((await rows('delivery-actions')).map((row) => [row[1], row[2], row[4]])).toEqual([['caseworker-carl', 'Re-drive', '1']]);

      // Pause and resume, each recorded.
      await click('[data-table=webhooks] form[data-action=pause] button');
      await expect(page.locator('[data-done]').textContent()).resolves.toBe('The endpoint is paused: its deliveries wait in the queue, in order.');
      expect((await rows('webhooks'))[0][5]).toMatch(/^Paused since .*Resume$/);
      await axeClean();
      await click('[data-table=webhooks] form[data-action=resume] button');
      expect((await rows('webhooks'))[0][5]).toBe('DeliveringPause');
      expect((await rows('delivery-actions')).map((row) => row[2])).toEqual(['Resume', 'Pause', 'Re-drive']);
      const actionsCsv = parse(await (await page.context().request.get(`${site.webUrl}/en/console/delivery-actions.csv`)).text()) as string[][];
      expect(actionsCsv.slice(1).map((record) => [record[1], record[2]])).toEqual([
        ['caseworker-carl', 'Resume'],
        ['caseworker-carl', 'Pause'],
        ['caseworker-carl', 'Re-drive'],
      ]);

      // Vera (VBA), with her own session's token, can neither see nor touch USCIS's endpoint or deliveries.
      const vera = await signedIn('caseworker-vera', '/en/console/deliveries');
      const veraPage = await (await vera.request(`${site.webUrl}/en/console/deliveries`)).text();
      expect(veraPage).not.toContain(url);
      expect(veraPage).not.toContain(deliveryId);
      // Her session's own CSRF token: the forms would pass it, and the status API still refuses.
      const { rows: veraSessions } = await site.pool.query<{ csrf_token: string }>(
        `SELECT csrf_token FROM "${site.schemas.identity}".sessions WHERE kind = 'signed-in' AND data -> 'account' ->> 'subject' = 'caseworker-vera' ORDER BY created_at DESC LIMIT 1`,
      );
      const veraToken = veraSessions[0].csrf_token;
      const endpointId = endpoint[7];
      for (const form of [{ action: 'pause', id: endpointId }, { action: 'redrive-endpoint', id: endpointId }, { action: 'redrive', id: deliveryId }]) {
        const refused = await vera.request(`${site.webUrl}/en/console/deliveries`, { form: { ...form, csrf: veraToken } });
        expect([form.action, refused.status]).toEqual([form.action, 404]);
      }
      expect((await rows('delivery-actions')).length).toBe(3);
      const veraCsv = await (await vera.request(`${site.webUrl}/en/console/webhooks.csv`)).text();
      expect(veraCsv).not.toContain(url);
    } finally {
      await notifier.stop();
      sender.close();
      await receiver.stop();
      await kafka.stop([]);
    }
  });

  it('groups what intake refused by reason, for the agency only, as a chart, a table and CSV; axe-clean', async () => {
    const refused = (receipt: string, type: string, data: object) => expect(site.record(receipt, type, daysAgo(1), data)).rejects.toThrow(/^intake refused/);
    await refused('IOE0990000001', 'CaseReceived', { formType: 'I-130', office: 'XXX' });
    await refused('IOE0990000002', 'CaseReceived', { formType: 'I-130', office: 'XXX' });
    await refused('IOE0990000003', 'DecisionIssued', { outcome: 'approved' });
    await refused('VBA-2026-0999999', 'CaseReceived', { formType: '21-526EZ', office: 'XXX' });

    await page.goto(`${site.webUrl}/en/console/refusals`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Intake refusals');
    await expect(page.locator('[data-summary]').textContent()).resolves.toMatch(/^3 submissions from the agency’s systems were refused since .*, for 2 reasons\.$/);
    const reasons = await page.locator('[data-table=refusals] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')));
    expect(reasons.map((row) => [row[0], row[1], row[4]])).toEqual([
      ['VALIDATION_FAILED at /data/office', '2', 'IOE0990000002IOE0990000001'],
      [expect.any(String), '1', 'IOE0990000003'],
    ]);
    expect(await page.locator('[data-chart=refusals] svg').getAttribute('role')).toBe('img');
    await axeClean();
    const csv = parse(await (await page.context().request.get(`${site.webUrl}/en/console/refusals.csv?days=7`)).text()) as string[][];
    expect(csv.slice(1).map((record) => [record[0], record[1], record[4]])).toEqual([
      ['VALIDATION_FAILED at /data/office', '2', 'IOE0990000002 IOE0990000001'],
      [reasons[1][0], '1', 'IOE0990000003'],
    ]);
    expect((await page.context().request.get(`${site.webUrl}/en/console/refusals?days=365`)).status()).toBe(400);

    // Vera sees VBA's refusal only.
    const vera = await signedIn('caseworker-vera', '/en/console/refusals');
    const veraPage = await (await vera.request(`${site.webUrl}/en/console/refusals?days=1`)).text();
    expect(veraPage).toContain('VBA-2026-0999999');
    expect(veraPage).not.toContain('IOE0990000');
    expect(await (await vera.request(`${site.webUrl}/en/console/refusals.csv`)).text()).not.toContain('IOE0990000');
  });

  it('shows the survey results per service and quarter, and the comments the API gives staff; axe-clean', async () => {
    // Ten I-130 responses in FY2026-Q1 (October to December 2025), all agreeing.
    const answered = USCIS_I130.slice(0, 10).map((c) => ({ receiptNumber: c.receipt, agency: 'USCIS', formType: 'I-130' }));
    await site.feedbackGiven(new Date('2025-11-15T12:00:00Z'), answered, 5);

    await click('nav[aria-label="Caseworker console"] a[href="/en/console/feedback"]');
    await expect(page.locator('h1').textContent()).resolves.toBe('Feedback');
    const results = await page.locator('[data-table=feedback-results] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')));
    expect(results).toHaveLength(7);
    expect(new Set(results.map((row) => [row[0], row[1], row[2], row[4], row[5]].join('|')))).toEqual(new Set(['I-130|FY2026-Q1|10|10|100']));
    expect(await page.locator('#feedback-quarter').inputValue()).toBe('FY2026-Q1');
    await expect(page.locator('#comments-heading ~ [data-empty]').textContent()).resolves.toBe('No comment to show for FY2026-Q1.');
    await axeClean();
    const csv = parse(await (await page.context().request.get(`${site.webUrl}/en/console/feedback-results.csv?service=I-130`)).text()) as string[][];
    expect(csv[0]).toEqual(['Service', 'Quarter', 'Responses', 'Question', 'Answered', 'Agree (%)']);
    expect(csv.slice(1).map((record) => record.slice(0, 3))).toEqual(Array(7).fill(['I-130', 'FY2026-Q1', '10']));
    expect((await page.context().request.get(`${site.webUrl}/en/console/feedback?quarter=not-a-quarter`)).status()).toBe(400);

    // Vera: VBA's results only; USCIS's service by URL is refused.
    const vera = await signedIn('caseworker-vera', '/en/console/feedback');
    expect(await (await vera.request(`${site.webUrl}/en/console/feedback`)).text()).not.toContain('>I-130<');
    expect((await vera.request(`${site.webUrl}/en/console/feedback?service=I-130`)).status).toBe(400);
    expect(await (await vera.request(`${site.webUrl}/en/console/feedback-results.csv`)).text()).not.toContain('I-130');
  });

  it('never shows a VBA caseworker USCIS cases: not by URL, not by CSV, not through the API with their own token', async () => {
    const agent = await signedIn('caseworker-vera');
    const backlog = await (await agent.request(`${site.webUrl}/en/console`)).text();
    expect(backlog).toContain('data-console-agency="VBA"');
    expect(backlog).toContain('21-526EZ');
    for (const receipt of USCIS_RECEIPTS) expect(backlog).not.toContain(receipt);

    // USCIS's form and office in the URL are refused by the API, which knows only VBA for this token.
    for (const path of [
      '/en/console/cases?formType=I-130&office=NBC',
      '/en/console/cases.csv?formType=I-130',
      '/en/console?office=NBC',
      '/en/console/stale.csv?formType=I-485',
      '/en/console/estimates?formType=I-130',
      '/en/console/processing-times.csv?formType=I-485',
      '/en/console/estimate-accuracy.csv?formType=I-130',
    ]) {
      const response = await agent.request(`${site.webUrl}${path}`);
      const body = await response.text();
      expect([path, response.status]).toEqual([path, 400]);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      for (const receipt of USCIS_RECEIPTS) expect(body).not.toContain(receipt);
    }
    // A USCIS case's record, by URL or CSV: refused as another agency's, its events never read.
    for (const path of [`/en/console/case?receiptNumber=${USCIS_I485[0]}`, `/en/console/case-events.csv?receiptNumber=${USCIS_I485[0]}`, `/en/console/case-deliveries.csv?receiptNumber=${USCIS_I485[0]}`]) {
      const response = await agent.request(`${site.webUrl}${path}`);
      const body = await response.text();
      expect([path, response.status]).toEqual([path, 403]);
      expect(body).not.toContain('CaseReceived');
      expect(body).not.toContain('TSC');
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      for (const receipt of USCIS_RECEIPTS) expect(body).not.toContain(receipt);
    }
    const estimates = await (await agent.request(`${site.webUrl}/en/console/estimates`)).text();
    expect(estimates).toContain('<option value="21-526EZ" selected');
    expect(estimates).toContain('RO317');
    expect(estimates).not.toContain('NBC');
    const csv = await agent.request(`${site.webUrl}/en/console/cases.csv`);
    expect(csv.status).toBe(200);
    expect((parse(await csv.text()) as string[][]).slice(1).map((record) => record[0]).sort()).toEqual([...VBA_CASES].sort());

    // The API, asked with Vera's own token: her agency's cases only; USCIS's refused outright.
    const token = await apiTokenOf('caseworker-vera');
    if (!token) throw new Error('no API token in the VBA caseworker’s session');
    expect(decodeJwt(token)).toMatchObject({ aud: 'case-status-caseworker', agency: 'VBA', roles: ['caseworker'], sub: 'caseworker-vera', iss: site.identityProvider?.issuer });
    const own = await api('{ cases(first: 50) { edges { node { receiptNumber } } } }', token);
    expect((own.data?.['cases'] as { edges: { node: { receiptNumber: string } }[] }).edges.map((edge) => edge.node.receiptNumber).sort()).toEqual([...VBA_CASES].sort());
    for (const query of ['{ cases(filter: { agency: "USCIS" }) { edges { node { receiptNumber } } } }', '{ backlog(agency: "USCIS") { pendingCount } }']) {
      const refused = await api(query, token);
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect(JSON.stringify(refused)).not.toMatch(/IOE09/);
    }
    expect((await api('{ staleCases(formType: "I-130") { receiptNumber } }', token)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await api('{ weeklyCaseFlow(office: "NBC") { received } }', token)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const query of ['{ cohortProcessingTimes(formType: "I-130") { medianDays } }', '{ servedEstimateAccuracy(formType: "I-130") { served } }']) {
      const refused = await api(query, token);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(Object.values(refused.data ?? {})).toEqual([null]);
    }
    const events = await api(`{ caseEvents(receiptNumber: "${USCIS_I485[0]}") { type data } }`, token);
    expect(events.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(events.data).toEqual({ caseEvents: null });

    // Her token with its agency changed to USCIS no longer matches the provider's signature; nor does one signed with another key.
    const [header, , signature] = token.split('.');
    const forgedClaims = Buffer.from(JSON.stringify({ ...decodeJwt(token), agency: 'USCIS' })).toString('base64url');
    expect((await api('{ cases { edges { cursor } } }', `${header}.${forgedClaims}.${signature}`)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const { privateKey } = await generateKeyPair('RS256');
    const selfMade = await new SignJWT({ ...decodeJwt(token), agency: 'USCIS' }).setProtectedHeader(decodeProtectedHeader(token) as { alg: string; kid: string }).sign(privateKey);
    expect((await api('{ cases { edges { cursor } } }', selfMade)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('takes a caseworker whose API token has expired through the provider again, without a password, back to the page with a new token', async () => {
    const agent = await signedIn('caseworker-vera', '/en/console/stale');
    const before = await apiTokenOf('caseworker-vera');
    await site.pool.query(
      `UPDATE "${site.schemas.identity}".sessions SET data = jsonb_set(data, '{apiToken,expiresAt}', '"2000-01-01T00:00:00.000Z"') WHERE data -> 'apiToken' ->> 'value' = $1`,
      [before],
    );
    const expired = await agent.request(`${site.webUrl}/en/console/stale`);
    expect(expired.status).toBe(303);
    expect(expired.headers.get('location')).toBe('/en/sign-in?return=%2Fconsole%2Fstale&level=2');
    const toProvider = await agent.request(new URL(expired.headers.get('location') ?? '', site.webUrl).href);
    // The provider remembers her: no password asked (a wrong one would fail if it were).
    const back = await agent.request(await throughLocalProvider(agent, toProvider.headers.get('location') ?? '', { email: 'nobody@example.org', password: 'not-asked' }));
    expect(back.headers.get('location')).toBe('/en/console/stale');
    const page = await agent.request(`${site.webUrl}/en/console/stale`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-console-agency="VBA"');
    expect(await apiTokenOf('caseworker-vera')).not.toBe(before);
  });

  it('refuses an applicant the console, its CSV and the API; sends a stranger to sign in; has no Spanish console', async () => {
    const agent = await signedIn('applicant-ana');
    for (const path of ['/en/console', '/en/console/cases.csv', '/en/console/stale', '/en/console/estimates', '/en/console/estimate-accuracy.csv', `/en/console/case?receiptNumber=${USCIS_I485[0]}`]) {
      const response = await agent.request(`${site.webUrl}${path}`);
      expect([path, response.status]).toEqual([path, 403]);
      const body = await response.text();
      expect(body).toContain('The caseworker console is for agency staff');
      for (const receipt of USCIS_RECEIPTS) expect(body).not.toContain(receipt);
    }
    const token = await apiTokenOf('applicant-ana');
    if (!token) throw new Error('no API token in the applicant’s session');
    expect(decodeJwt(token)['agency']).toBeUndefined();
    expect((await api('{ cases { edges { cursor } } }', token)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const stranger = await fetch(`${site.webUrl}/en/console/cases.csv`, { redirect: 'manual' });
    expect(stranger.status).toBe(303);
    expect(stranger.headers.get('location')).toBe('/en/sign-in?return=%2Fconsole%2Fcases.csv&level=2');
    expect((await fetch(`${site.webUrl}/es/console`, { redirect: 'manual' })).status).toBe(404);
  });

  // WEB_SCREENSHOTS=1: the console's pages at desktop width, with what the tests above recorded (deliveries, refusals, feedback), for docs/screenshots.
  (writesScreenshots ? it : it.skip)('writes screenshots of the console pages to docs/screenshots', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${site.webUrl}/en/console`);
    if (new URL(page.url()).origin === site.identityProvider?.issuer) {
      await page.fill('#email', carl.email);
      await page.fill('#password', carl.password);
      await click('form[action$="/login"] button[type=submit]');
      await click('form[action$="/confirm"] button[type=submit]');
    }
    await expect(page.locator('h1').textContent()).resolves.toBe('Backlog');
    await screenshotPages(
      page,
      (
        [
          ['backlog', '/en/console'],
          ['cases', '/en/console/cases?pending=true'],
          ['case-record', `/en/console/case?receiptNumber=${USCIS_I485[0]}`],
          ['estimates', '/en/console/estimates?formType=I-130'],
          ['deliveries', '/en/console/deliveries'],
          ['refusals', '/en/console/refusals'],
          ['feedback', '/en/console/feedback'],
        ] as const
      ).map(([name, path]) => [`console-${name}-desktop`, `${site.webUrl}${path}`] as const),
    );
  });
});
