import type { Language } from '@case-status/case-domain';
import type { Page } from 'playwright-core';
import { linkUrl } from '@case-status/notifications/testing';
import { axeScan, launchBrowser, screenshotPages, writesScreenshots, type AxeFinding, type Browser } from './testing/browser';
import { publicPages } from './testing/public-pages';
import { SiteUnderTest } from './testing/site-under-test';

/** The 6-digit code on its own line of the confirmation email. */
const codeIn = (text: string) => /\n(\d{6})\n/.exec(text)?.[1] as string;
const receipt = (n: number) => `IOE09${String(Date.now()).slice(-6)}${String(n).padStart(2, '0')}`;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * The public website in Debian's Chromium, on the real status API over real PostgreSQL:
 * events go in through the intake API, the projector projects them, the site reads them
 * back through GraphQL, and subscription emails arrive at a real SMTP server.
 */
describe('public website (real browser, real status API)', () => {
  const site = new SiteUnderTest();
  const evidenceCase = receipt(1);
  const liveCase = receipt(2);
  const decidedCase = receipt(3);
  const vbaCase = `VBA-2026-${String(Date.now()).slice(-7)}`;

  beforeAll(async () => {
    await site.start();
    await site.record(evidenceCase, 'CaseReceived', '2026-09-01T14:00:00Z', { formType: 'I-130', office: 'NBC' });
    await site.record(evidenceCase, 'CaseReviewStarted', '2026-10-01T14:00:00Z', {});
    await site.projected(evidenceCase, await site.record(evidenceCase, 'EvidenceRequested', '2026-11-02T14:00:00Z', { requestId: 'rfe-1', dueDate: '2027-01-15', description: 'Birth certificate' }));
    await site.projected(liveCase, await site.record(liveCase, 'CaseReceived', daysAgo(20), { formType: 'I-130', office: 'NBC' }));
    await site.record(decidedCase, 'CaseReceived', daysAgo(150), { formType: 'I-130', office: 'NBC' });
    await site.projected(decidedCase, await site.record(decidedCase, 'DecisionIssued', daysAgo(30), { outcome: 'approved' }));
    await site.projected(vbaCase, await site.record(vbaCase, 'CaseReceived', daysAgo(10), { formType: '21-526EZ', office: 'RO301' }));
  }, 90_000);

  afterAll(async () => {
    await site.stop();
  }, 30_000);

  const lookUp = async (page: Page, typed: string) => {
    await page.fill('#receipt-number', typed);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
  };
  const visibleLanguageSwitch = (page: Page) => page.locator('[data-language-switch]:visible');

  /** Lookup with a typo, the case page, Spanish, then email updates confirmed with the emailed code. */
  async function lookupCaseSpanishSubscribe(page: Page, email: string): Promise<void> {
    await page.goto(`${site.webUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/en/');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    const typo = `${evidenceCase.slice(0, 8)}O${evidenceCase.slice(9)}`;
    await lookUp(page, typo);
    await expect(page.locator('#receipt-number-error').textContent()).resolves.toMatch(/Character 9, “O”, is not a digit \(is it a zero, 0\?\)/);
    expect(await page.getAttribute('#receipt-number', 'aria-invalid')).toBe('true');

    await lookUp(page, ` ${evidenceCase.toLowerCase().slice(0, 3)} ${evidenceCase.slice(3)} `);
    expect(new URL(page.url()).pathname).toBe(`/en/case/${evidenceCase}`);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Case ${evidenceCase}`);
    await expect(page.locator('.usa-step-indicator__segment--current').textContent()).resolves.toBe('In review');
    await expect(page.locator('.usa-step-indicator__heading-text').textContent()).resolves.toBe('In review: evidence requested');
    await expect(page.locator('[data-status-text]').textContent()).resolves.toBe('We asked you for more evidence. The request we mailed you says what to send and by when.');
    // The public page: no evidence-request details (they are the applicant's private view).
    expect(await page.locator('[data-evidence]').count()).toBe(0);
    expect(await page.content()).not.toMatch(/January 15, 2027|Birth certificate|rfe-1/);
    await expect(page.locator('[data-history] h3').allTextContents()).resolves.toEqual(['Case received', 'Review started', 'Evidence requested']);
    await expect(page.locator('[data-last-changed]').textContent()).resolves.toMatch(/^Status last changed November 2, 2026 at 9:00 AM EST\. Page checked /);

    await Promise.all([page.waitForLoadState('load'), visibleLanguageSwitch(page).click()]);
    expect(new URL(page.url()).pathname).toBe(`/es/case/${evidenceCase}`);
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await expect(page.locator('h1').textContent()).resolves.toBe(`Caso ${evidenceCase}`);
    await expect(page.locator('[data-status-text]').textContent()).resolves.toBe('Le pedimos más pruebas. La solicitud que le enviamos por correo indica qué debe mandar y para cuándo.');
    await expect(page.locator('.usa-step-indicator__segment--current').textContent()).resolves.toBe('En revisión');

    await Promise.all([page.waitForLoadState('load'), page.click('text=Reciba avisos por correo electrónico sobre este caso')]);
    expect(new URL(page.url()).pathname).toBe(`/es/case/${evidenceCase}/updates`);
    expect(await page.isChecked('#email-language-es')).toBe(true);
    await page.fill('#email', 'not-an-address');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expect(page.locator('#email-error').textContent()).resolves.toBe('Escriba un correo electrónico con el formato nombre@ejemplo.com.');
    await page.fill('#email', email);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Revise su correo electrónico');

    const [mail] = await site.smtp.waitFor(email, 1);
    expect(mail.headers.get('subject')).toBe(`Confirme las notificaciones por correo del caso ${evidenceCase}`);
    await page.fill('#code', codeIn(mail.text) === '000000' ? '111111' : '000000');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expect(page.locator('#code-error').textContent()).resolves.toBe('Ese no es el código que enviamos. Revise el correo y escriba sus 6 dígitos.');
    await page.fill('#code', codeIn(mail.text));
    await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Recibirá avisos por correo electrónico');
    await expect(page.locator('.usa-alert__text').textContent()).resolves.toBe(`Le enviaremos un correo cuando cambie el estado del caso ${evidenceCase}.`);
  }

  describe('with JavaScript', () => {
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      browser = await launchBrowser({ javaScriptEnabled: true });
      page = await browser.context.newPage();
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('looks a case up (explaining a mistyped number), shows it, switches to Spanish and subscribes with the emailed code', async () => {
      await lookupCaseSpanishSubscribe(page, 'ana.js@example.org');
    }, 60_000);

    it('says plainly when no case has the number', async () => {
      await page.goto(`${site.webUrl}/en/case/IOE0000000001`);
      await expect(page.locator('h1').textContent()).resolves.toBe('We could not find that case');
      await expect(page.locator('.usa-alert__text').textContent()).resolves.toMatch(/^No case with receipt number IOE0000000001 is known here\./);
    }, 30_000);

    it('confirms by the link in the email and stops the updates by the unsubscribe link', async () => {
      const email = 'link.js@example.org';
      await page.goto(`${site.webUrl}/en/case/${vbaCase}/updates`);
      await page.fill('#email', email);
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
      const [mail] = await site.smtp.waitFor(email, 1);

      // The link in the email has no language; the site sends the reader on to theirs.
      const link = linkUrl(mail.text, 'confirm');
      expect(link.startsWith(`${site.webUrl}/notifications/confirm?token=`)).toBe(true);
      await page.goto(link);
      expect(new URL(page.url()).pathname).toBe('/en/notifications/confirm');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('You will get email updates');

      const token = await site.unsubscribeToken(vbaCase, email);
      await page.goto(`${site.webUrl}/notifications/unsubscribe?token=${encodeURIComponent(token)}`);
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
      await expect(page.locator('h1').textContent()).resolves.toBe('You will get no more emails');
      await expect(page.locator('.usa-alert__text').textContent()).resolves.toBe(`We stopped the email updates about case ${vbaCase} and erased your email address.`);
    }, 60_000);

    it('updates an open case page when the status changes, without reloading, and announces it politely', async () => {
      await page.goto(`${site.webUrl}/en/case/${liveCase}`);
      await expect(page.locator('[data-status-text]').textContent()).resolves.toBe('We received your Form I-130 and opened your case.');
      // Shown once the page listens to the status API.
      await page.locator('[data-live-note]').waitFor({ state: 'visible' });
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));

      await site.record(liveCase, 'CaseReviewStarted', new Date().toISOString(), {});
      await page.locator('[data-status-text]', { hasText: 'An officer at the National Benefits Center is reviewing your case.' }).waitFor({ timeout: 15_000 });
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
      await expect(page.locator('.usa-step-indicator__segment--current').textContent()).resolves.toBe('In review');
      await expect(page.locator('[data-history] h3').last().textContent()).resolves.toBe('Review started');
      expect(await page.getAttribute('#case-live-announcer', 'aria-live')).toBe('polite');
      await expect(page.locator('#case-live-announcer').textContent()).resolves.toBe('Your case status changed: An officer at the National Benefits Center is reviewing your case.');
    }, 60_000);

    it('shows processing times per office for a form, with the figures in plain words', async () => {
      await page.goto(`${site.webUrl}/en/processing-times`);
      await page.selectOption('#form', 'USCIS:I-130');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
      const nbc = page.locator('#office-NBC');
      await expect(nbc.locator('th').textContent()).resolves.toBe('National Benefits Center');
      await expect(nbc.locator('td').allTextContents()).resolves.toEqual(['120 days', '120 days', '120 days', '1', '2']);
      await expect(page.locator('[data-processing-times] tbody tr').count()).resolves.toBe(1);
      await expect(page.locator('[data-no-cases]').textContent()).resolves.toMatch(/^No cases of this form in the last 6 months at: Vermont Service Center, California Service Center, /);
      await expect(page.locator('text=Cases still waiting are left out').count()).resolves.toBe(1);
    }, 30_000);

    it('shows the decision and, after it, nothing left to estimate', async () => {
      await page.goto(`${site.webUrl}/es/case/${decidedCase}`);
      await expect(page.locator('[data-status-text]').textContent()).resolves.toBe('Aprobamos su Formulario I-130.');
      await expect(page.locator('.usa-step-indicator__segment--current').textContent()).resolves.toBe('Decisión');
      const estimate = page.locator('[data-estimate]');
      if ((await estimate.count()) > 0) await expect(estimate.textContent()).resolves.toContain('Su caso ya tiene una decisión');
    }, 30_000);
  });

  describe('without JavaScript', () => {
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      browser = await launchBrowser({ javaScriptEnabled: false });
      page = await browser.context.newPage();
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
    });

    it('does the same: lookup, case page, Spanish, subscribe with the code', async () => {
      await lookupCaseSpanishSubscribe(page, 'ana.nojs@example.org');
      // Nothing claims live updates that cannot happen.
      await page.goto(`${site.webUrl}/en/case/${evidenceCase}`);
      expect(await page.locator('[data-live-note]').isVisible()).toBe(false);
    }, 60_000);

    it('shows processing times from a plain form post', async () => {
      await page.goto(`${site.webUrl}/es/processing-times`);
      await page.selectOption('#form', 'USCIS:I-130');
      await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit]')]);
      await expect(page.locator('#office-NBC td').first().textContent()).resolves.toBe('120 días');
    }, 30_000);

    it('shows how often the dates served came true, with counts only for a month too small to judge, and its CSV', async () => {
      await site.recordServedEstimates();
      await page.goto(`${site.webUrl}/en/processing-times?form=USCIS:I-130`);
      const month = page.locator(`#accuracy-${new Date().toISOString().slice(0, 7)}`);
      // The two I-130 cases waiting at the National Benefits Center were sampled; nothing to score yet.
      await expect(month.locator('td').allTextContents()).resolves.toEqual(['2', '—Too few cases to show', '—Too few cases to show', '—Too few cases to show', '—Too few cases to show', '—Too few cases to show']);
      const csv = await page.request.get(`${site.webUrl}${await page.getAttribute('[data-estimate-accuracy] a[download]', 'href')}`);
      expect(csv.status()).toBe(200);
      expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
      const [header, row] = (await csv.text()).trim().split('\r\n');
      expect(header.startsWith('agency,form_type,month,scored_through,served,no_date,percent_no_date,')).toBe(true);
      expect(row.split(',').slice(0, 3)).toEqual(['USCIS', 'I-130', new Date().toISOString().slice(0, 7)]);
      expect(row.split(',')[4]).toBe('2');
    }, 30_000);
  });

  describe('accessibility (axe-core)', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchBrowser({ javaScriptEnabled: true });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
    });

    const pages = (language: Language) => publicPages(language, { pending: evidenceCase, decided: decidedCase });

    it.each([
      ['desktop', { width: 1280, height: 900 }],
      ['mobile', { width: 390, height: 844 }],
    ])('finds nothing serious or critical on any page, in English and Spanish (%s)', async (_name, viewport) => {
      const page = await browser.context.newPage();
      await page.setViewportSize(viewport);
      const serious: (AxeFinding & { page: string })[] = [];
      const all: string[] = [];
      for (const language of ['en', 'es'] as const) {
        for (const [name, path] of pages(language)) {
          await page.goto(`${site.webUrl}${path}`);
          const { findings, passed } = await axeScan(page);
          // A scan that checked nothing would find nothing: make sure the rules ran.
          expect({ page: `${language} ${name}`, rulesPassed: passed > 20 }).toEqual({ page: `${language} ${name}`, rulesPassed: true });
          for (const finding of findings) {
            all.push(`${language} ${name}: ${finding.impact} ${finding.id}`);
            if (finding.impact === 'serious' || finding.impact === 'critical') serious.push({ ...finding, page: `${language} ${name}` });
          }
        }
      }
      // The minor and moderate ones are listed in docs/web.md; print them for the record.
      if (all.length > 0) console.log(`axe findings below serious (${viewport.width}px):\n${all.join('\n')}`);
      expect(serious).toEqual([]);
      await page.close();
    }, 120_000);
  });

  // WEB_SCREENSHOTS=1: the main pages at desktop and phone width in both languages, for docs/screenshots.
  (writesScreenshots ? it : it.skip)('writes screenshots of the main pages to docs/screenshots', async () => {
    const browser = await launchBrowser({ javaScriptEnabled: true });
    try {
      const page = await browser.context.newPage();
      for (const [width, height, name] of [
        [1280, 900, 'desktop'],
        [390, 844, 'mobile'],
      ] as const) {
        await page.setViewportSize({ width, height });
        for (const language of ['en', 'es'] as const) {
          await screenshotPages(
            page,
            (
              [
                ['lookup', `/${language}/case?receiptNumber=IOE09123456O8`],
                ['case', `/${language}/case/${evidenceCase}`],
                ['subscribe', `/${language}/case/${evidenceCase}/updates`],
                ['processing-times', `/${language}/processing-times?form=USCIS%3AI-130`],
              ] as const
            ).map(([shot, path]) => [`${shot}-${language}-${name}`, `${site.webUrl}${path}`] as const),
          );
        }
      }
    } finally {
      await browser.close();
    }
  }, 120_000);
});
