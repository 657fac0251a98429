import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import AxeBuilder from '@axe-core/playwright';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Pool } from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { caseStreamId } from '@case-status/case-domain';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { feedbackResults, FeedbackSubmitter, PostgresFeedbackResults, SurveyLinks } from '@case-status/feedback';
import { caseReadModels, PostgresCaseStatusChangeFeed, PostgresReadModels } from '@case-status/read-models';
import { ProjectionRunner } from '@case-status/projection-runner';
import { createStatusApp } from '@case-status/public-api';
import { buildAssets, feedbackSurveyHref, startWebServer, type WebServer } from '@case-status/web';

const DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const SECRET = 'web-feedback-test-secret';
// Published results cover closed quarters: "now" is in FY2027-Q1, the seeded responses in FY2026-Q4.
const NOW = new Date('2026-11-24T15:00:00Z');
const LAST_QUARTER = new Date('2026-08-20T15:00:00Z');

jest.setTimeout(180_000);

/**
 * The survey on the website in Chromium, without JavaScript, on the real stack: event store,
 * case and feedback projections, status API and site on PostgreSQL. Every page is checked
 * with axe (WCAG 2.1 A and AA).
 */
describe('customer feedback on the website', () => {
  const pool = new Pool({ connectionString: DATABASE_URL, max: 8 });
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  const schemas = { store: `webfb_store_${suffix}`, read: `webfb_read_${suffix}`, feedback: `webfb_fb_${suffix}` };
  let store: PostgresEventStore;
  let caseProjector: ProjectionRunner;
  let projecting: Promise<void>;
  let feedbackProjector: ProjectionRunner;
  let status: NestFastifyApplication;
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let axePage: Page;
  let receipts = 0;
  /** The survey link the decision notice of the case carries, as the notifier makes it for the agency. */
  const surveyUrl = (receiptNumber: string, language = 'en', secret = SECRET) =>
    `${web.url}/${language}/case/${receiptNumber}/feedback?link=${new SurveyLinks({ secret, clock: () => NOW }).issue(receiptNumber).token}`;
  /** What a page's main content says, for comparing two pages. */
  const mainOf = async () => (await page.locator('main').innerHTML()).replace(/IOE\d{10}/g, 'RECEIPT');
  /** A form POST of the survey as a browser would send it, without the browser. */
  const postAnswers = (receiptNumber: string, fields: Record<string, string>) =>
    fetch(`${web.url}/en/case/${receiptNumber}/feedback`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

  /** A decided USCIS case, projected; its receipt number. */
  async function decidedCase(formType = 'I-130'): Promise<string> {
    const receiptNumber = `IOE08${String(++receipts).padStart(8, '0')}`;
    const events = [
      { type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber, formType, office: 'NBC' }, occurredAt: '2026-05-01T10:00:00Z' },
      { type: 'DecisionIssued', data: { outcome: 'approved' }, occurredAt: '2026-11-02T10:00:00Z' },
    ];
    await store.appendToStream(
      caseStreamId('USCIS', receiptNumber),
      events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data, metadata: { occurredAt: event.occurredAt } })),
      { expectedRevision: 'no_stream' },
    );
    // Generous: a long transaction elsewhere in the cluster holds the projector back until it ends (docs/adr/0002).
    for (let attempt = 0; attempt < 1200; attempt++) {
      const { rows } = await pool.query(`SELECT 1 FROM "${schemas.read}".case_status WHERE receipt_number = $1 AND decision IS NOT NULL`, [receiptNumber]);
      if (rows.length === 1) return receiptNumber;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`case ${receiptNumber} was never projected`);
  }

  /**
   * Waits for the feedback projection to count `total` responses. A single catch-up is not
   * enough: a transaction open anywhere in the cluster (other suites run beside this one)
   * holds back what the store lets readers see until it ends (docs/adr/0002).
   */
  async function projectedResponses(total: number): Promise<void> {
    for (let attempt = 0; attempt < 1200; attempt++) {
      await feedbackProjector.catchUp();
      const { rows } = await pool.query<{ n: number }>(`SELECT coalesce(sum(responses), 0)::int AS n FROM "${schemas.feedback}".group_responses`);
      if (rows[0].n >= total) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the feedback projection never counted ${total} responses`);
  }

  /**
   * Scans what the visitor's page shows now. axe runs as a script, which the visitor's page
   * (JavaScript off) cannot run, so the same HTML is scanned in a second page of the same
   * origin with JavaScript on.
   */
  async function expectAccessible(label: string): Promise<void> {
    const html = await page.content();
    await axePage.goto(new URL('/health/live', page.url()).toString());
    await axePage.setContent(html, { waitUntil: 'load' });
    const { violations } = await new AxeBuilder({ page: axePage }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect({ page: label, violations: violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`) }).toEqual({ page: label, violations: [] });
  }

  beforeAll(async () => {
    store = await createPostgresEventStore({ connection: pool, schema: schemas.store, pollIntervalMs: 50 });
    caseProjector = new ProjectionRunner(caseReadModels, { pool, source: store, schema: schemas.read, wakeChannel: store.appendChannel, pollIntervalMs: 50 });
    await caseProjector.init();
    projecting = caseProjector.start();
    feedbackProjector = new ProjectionRunner(feedbackResults, { pool, source: store, schema: schemas.feedback });
    await feedbackProjector.init();

    // Eleven responses about I-130 last quarter: satisfaction by all, employee helpfulness by two.
    const earlier = new FeedbackSubmitter({ events: store, secret: SECRET, clock: () => LAST_QUARTER });
    const satisfaction = [5, 5, 5, 4, 4, 4, 4, 3, 2, 1, 5];
    for (const [i, value] of satisfaction.entries()) {
      await earlier.submit({ receiptNumber: `IOE07${String(i).padStart(8, '0')}`, agency: 'USCIS', formType: 'I-130', decided: true }, { satisfaction: value, ...(i < 2 && { employeeHelpfulness: 4 }) }, 'en');
    }
    await projectedResponses(11);

    status = await createStatusApp({
      queries: new PostgresReadModels({ connection: pool, schema: schemas.read }),
      changeFeed: new PostgresCaseStatusChangeFeed({ connection: DATABASE_URL, schema: schemas.read }),
      caseworkerKeys: {},
      trustProxy: ['127.0.0.1'],
      rateLimit: { max: 10_000, timeWindow: 60_000 },
      clock: () => NOW,
      feedback: {
        submitter: new FeedbackSubmitter({ events: store, secret: SECRET, clock: () => NOW }),
        results: new PostgresFeedbackResults({ connection: pool, schema: schemas.feedback, secret: SECRET }),
      },
      closeOnShutdown: true,
      logger: false,
    });
    await status.listen(0, '127.0.0.1');
    const statusUrl = `http://127.0.0.1:${(status.getHttpServer().address() as AddressInfo).port}`;
    web = await startWebServer({ statusApiUrl: statusUrl, port: 0, assets: await buildAssets(), feedbackSurvey: feedbackSurveyHref });

    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // Without JavaScript: the survey must work as plain HTML forms.
    page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    axePage = await (await browser.newContext()).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await status?.close();
    await caseProjector?.stop();
    await projecting;
    await store?.close();
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('takes the applicant’s answer through the survey link of the decision notice, once, through plain forms', async () => {
    const receiptNumber = await decidedCase();
    await page.goto(surveyUrl(receiptNumber));
    expect(new URL(page.url()).pathname).toBe(`/en/case/${receiptNumber}/feedback`);
    expect(await page.locator('legend').allInnerTexts()).toEqual([
      'I am satisfied with the service I received from USCIS.',
      'This interaction increased my trust in USCIS.',
      'My need was addressed.',
      'It was easy to complete what I needed to do.',
      'It took a reasonable amount of time to do what I needed to do.',
      'I was treated fairly.',
      'Employees I interacted with were helpful.',
    ]);
    await expectAccessible('survey');

    // Nothing answered: the form comes back with the reason, linked to the first question.
    await page.click('button[type=submit]');
    expect(await page.locator('.usa-alert--error').innerText()).toContain('Answer at least one question');
    expect(await page.title()).toMatch(/^Check your answers/);
    await expectAccessible('survey with an error');

    await page.click('label[for="question-satisfaction-4"]');
    await page.click('label[for="question-ease-5"]');
    await page.click('label[for="question-trust-2"]');
    await page.click('label[for="question-trust-skip"]'); // changed their mind, without JavaScript
    expect(await page.isChecked('#question-trust-skip')).toBe(true);
    await page.fill('#free-text', `Clear letters. My number is ${receiptNumber}.`);
    await page.click('button[type=submit]');
    expect(new URL(page.url()).pathname).toBe('/en/feedback/thanks');
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    await expectAccessible('thank you');

    const [stored, ...more] = await store.readStream('feedback-USCIS-I-130', { fromRevision: 11n });
    expect(more).toHaveLength(0);
    expect(stored.data).toEqual({
      agency: 'USCIS',
      service: 'I-130',
      quarter: 'FY2027-Q1',
      language: 'en',
      answers: { satisfaction: 4, ease: 5 },
      freeText: 'Clear letters. My number is [receipt number removed].',
    });

    // The link works once: a second visit with other answers finds the survey answered.
    await page.goto(surveyUrl(receiptNumber));
    await page.click('label[for="question-satisfaction-1"]');
    await page.click('button[type=submit]');
    expect(await page.locator('h1').innerText()).toBe('You already answered');
    expect(await store.readStream('feedback-USCIS-I-130', { fromRevision: 12n })).toHaveLength(0);
  });

  it('shows a stranger with a receipt number the same explanation for every case, and takes no answer', async () => {
    const answered = await decidedCase('I-765');
    expect((await postAnswers(answered, { satisfaction: '5', link: new URL(surveyUrl(answered)).searchParams.get('link') as string })).status).toBe(303);
    const unanswered = await decidedCase('I-765');
    const before = (await store.readStream('feedback-USCIS-I-765')).length;

    // The case page's survey link, without the notice's link, explains how to answer.
    await page.goto(`${web.url}/en/case/${unanswered}`);
    await page.click('[data-feedback-survey] a');
    expect(await page.locator('h1').innerText()).toBe('How to answer the survey');
    expect(await page.locator('[data-feedback-form]').count()).toBe(0);
    await expectAccessible('how to answer');
    const explanation = await mainOf();
    for (const receiptNumber of [answered, 'IOE0899999999']) {
      await page.goto(`${web.url}/en/case/${receiptNumber}/feedback`);
      expect(await mainOf()).toBe(explanation);
    }

    // Answers posted without a link, or with a link of another case, another deployment or edited: one page, one status.
    const refusals = new Set<string>();
    for (const receiptNumber of [answered, unanswered, 'IOE0899999999']) {
      const forged = [undefined, new URL(surveyUrl(answered === receiptNumber ? unanswered : answered)).searchParams.get('link'), new URL(surveyUrl(receiptNumber, 'en', 'another-secret')).searchParams.get('link'), '9999999999.AAAA'];
      for (const link of forged) {
        const answer = await postAnswers(receiptNumber, { satisfaction: '5', ...(link && { link }) });
        const main = /<main[\s\S]*<\/main>/.exec((await answer.text()).replace(/IOE\d{10}/g, 'RECEIPT'))?.[0];
        refusals.add(`${answer.status} ${main}`);
      }
    }
    expect(refusals.size).toBe(1);
    expect([...refusals][0]).toMatch(/^403 <main[\s\S]*How to answer the survey/);
    expect((await store.readStream('feedback-USCIS-I-765')).length).toBe(before);

    await page.goto(`${web.url}/es/case/${unanswered}/feedback`);
    expect(await page.locator('h1').innerText()).toBe('Cómo responder la encuesta');
    expect(await page.locator('[data-how-to-answer] li').first().innerText()).toMatch(/^Abra el enlace a la encuesta/);
    await expectAccessible('how to answer in Spanish');
  });

  it('shows the survey in Spanish', async () => {
    const receiptNumber = await decidedCase('I-485');
    await page.goto(surveyUrl(receiptNumber, 'es'));
    expect(await page.locator('h1').innerText()).toBe('Cuéntenos cómo le fue');
    expect(await page.locator('legend').first().innerText()).toBe('Estoy satisfecho(a) con el servicio que recibí de USCIS.');
    expect(await page.locator('label[for="question-equity-5"]').innerText()).toBe('Totalmente de acuerdo');
    await expectAccessible('survey in Spanish');
  });

  it('publishes results per service and closed quarter, withholding small samples, with a CSV download', async () => {
    await page.goto(`${web.url}/en/feedback/results?selection=USCIS:I-130`);
    const row = page.locator('table[data-service="I-130"] tr[data-quarter="FY2026-Q4"]');
    expect(await row.locator('th').innerText()).toBe('July–September 2026 (fiscal year 2026, quarter 4)');
    expect(await row.locator('td[data-question="SATISFACTION"]').innerText()).toBe('73% agree (11 answers)');
    expect(await row.locator('td[data-question="EMPLOYEE_HELPFULNESS"]').innerText()).toBe('Too few responses to publish (2 answers)');
    // The quarter still open (with this test's answer) is not shown.
    expect(await page.locator('tr[data-quarter="FY2027-Q1"]').count()).toBe(0);
    await expectAccessible('results');

    const csvHref = await page.locator('a[download]').getAttribute('href');
    expect(csvHref).toBe('/en/feedback/results.csv?agency=USCIS&service=I-130');
    const csv = await fetch(`${web.url}${csvHref}`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const lines = (await csv.text()).split('\r\n');
    expect(lines[1]).toBe('USCIS,I-130,Petition for Alien Relative,2026,Q4,satisfaction,Satisfaction,I am satisfied with the service I received from USCIS.,11,11,1,1,1,4,4,72.7,true');

    await page.goto(`${web.url}/es/feedback/results?selection=USCIS:I-130`);
    const spanish = await page.locator('tr[data-quarter="FY2026-Q4"] td[data-question="SATISFACTION"]').innerText();
    expect(spanish.replace(/\s/g, ' ')).toBe('73 % de acuerdo (11 respuestas)');
    await expectAccessible('results in Spanish');
  });
});
