import { LANGUAGES, type Language } from '@case-status/case-domain';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './testing/browser';
import { cutOffText, describeFocus, focusIsVisible, outsideViewportWidth, overlapping, sidewaysScroll, tabStopsInDocumentOrder, transitionsDone } from './testing/layout-checks';
import { publicPages } from './testing/public-pages';
import { SiteUnderTest } from './testing/site-under-test';

const receipt = (n: number) => `IOE06${String(Date.now()).slice(-6)}${String(n).padStart(2, '0')}`;
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);
const instant = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');

/** What must fit on the screen of a case page: its heading, the step indicator, the status, the estimate and the history. */
const CASE_CONTENT = ['h1', '.usa-step-indicator', '.usa-step-indicator__heading', '[data-status-text]', '[data-estimate]', '[data-history]'];
/** The page's landmarks (banner, header, main, footer) and, inside the header, what a person reads or presses. */
const LANDMARKS = ['.usa-banner', '.usa-header', 'main', '.usa-footer'];
const HEADER_PARTS = ['.usa-logo__text a', '.usa-menu-btn', '.usa-nav__primary-item a', '[data-language-switch]'];

/**
 * The WCAG 2.1 AA criteria axe-core cannot judge, checked on the rendered pages in Debian's
 * Chromium on the real stack (the same pages the axe scan covers, and the survey and its
 * results): reflow at 320 px (1.4.10), text at 200 % (1.4.4), focus that shows in forced
 * colours and a step indicator that does not rely on colour (1.4.11, 2.4.7, 1.4.1), and
 * keyboard access in document order with a working skip link (2.1.1, 2.4.3, 2.4.1).
 */
describe('accessibility beyond axe (real browser, real status API)', () => {
  const site = new SiteUnderTest({ feedback: true });
  const cases = { pending: receipt(1), decided: receipt(2) };
  const pages = (language: Language) => publicPages(language, cases, { surveyLink: (receiptNumber) => site.surveyLink(receiptNumber) });
  const open = async (page: Page, path: string) => {
    const response = await page.goto(`${site.webUrl}${path}`);
    // A failure page would be checked in place of the page meant (refusals such as 404 are pages too).
    expect({ path, failed: (response?.status() ?? 500) >= 500 }).toEqual({ path, failed: false });
  };

  beforeAll(async () => {
    await site.start();
    await site.record(cases.pending, 'CaseReceived', instant(daysAgo(60)), { formType: 'I-130', office: 'NBC' });
    await site.record(cases.pending, 'CaseReviewStarted', instant(daysAgo(40)), {});
    await site.projected(cases.pending, await site.record(cases.pending, 'EvidenceRequested', instant(daysAgo(10)), { requestId: 'rfe-1', dueDate: '2027-01-15', description: 'Birth certificate' }));
    await site.record(cases.decided, 'CaseReceived', instant(daysAgo(150)), { formType: 'I-130', office: 'NBC' });
    await site.projected(cases.decided, await site.record(cases.decided, 'DecisionIssued', instant(daysAgo(30)), { outcome: 'approved' }));
    // Answers in a closed quarter, enough of them to be published.
    const answered = Array.from({ length: 12 }, (_, i) => ({ receiptNumber: receipt(50 + i), agency: 'USCIS', formType: 'I-130' }));
    await site.feedbackGiven(daysAgo(120), answered, 4);
  }, 120_000);

  afterAll(async () => {
    await site.stop();
  }, 30_000);

  describe('reflow: everything fits 320 CSS px without sideways scrolling (1.4.10)', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchBrowser({ javaScriptEnabled: true, viewport: { width: 320, height: 640 } });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
    });

    it.each(LANGUAGES)('no page scrolls sideways or cuts text off (%s)', async (language) => {
      const page = await browser.context.newPage();
      const found: string[] = [];
      for (const [name, path] of pages(language)) {
        await open(page, path);
        const scroll = await sidewaysScroll(page);
        if (scroll > 0) found.push(`${name}: the page scrolls ${scroll} px sideways`);
        for (const problem of [...(await cutOffText(page, { scrollingTables: false })), ...(await outsideViewportWidth(page, CASE_CONTENT))]) found.push(`${name}: ${problem}`);
      }
      expect(found).toEqual([]);
      await page.close();
    }, 90_000);

    it('has what it checks: the case page content, and the tables that must stack', async () => {
      const page = await browser.context.newPage();
      await open(page, `/en/case/${cases.pending}`);
      for (const selector of CASE_CONTENT) expect({ selector, shown: await page.locator(selector).first().isVisible() }).toEqual({ selector, shown: true });
      await open(page, '/en/processing-times?form=USCIS%3AI-130');
      expect(await page.locator('#office-NBC').isVisible()).toBe(true);
      await open(page, '/en/feedback/results?selection=USCIS%3AI-130');
      expect(await page.locator('table[data-service="I-130"] td[data-question="SATISFACTION"]').innerText()).toBe('100% agree (12 answers)');
      await page.close();
    }, 30_000);
  });

  describe('text at 200 % of the browser font size, 1280 px wide (1.4.4)', () => {
    let browser: Browser;

    beforeAll(async () => {
      /*
       * Chromium's own font-size setting (Settings → Appearance → Font size → Customize),
       * set to 32 px, twice the default 16, in the profile's preferences, as a person sets it.
       * USWDS sizes text in rem and its breakpoints in em, so everything follows it.
       * Setting the root element's font size from script would not be faithful: the
       * breakpoints (media queries in em) would stay where they are, so the page would keep
       * a desktop layout a real reader at this setting never gets. Page zoom (Ctrl +) would
       * shrink the layout to 640 CSS px, which the 320 px reflow check already goes beyond;
       * `--force-device-scale-factor` only sharpens the pixels and changes no CSS size.
       */
      browser = await launchBrowser({ javaScriptEnabled: true, viewport: { width: 1280, height: 900 }, defaultFontSize: 32 });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
    });

    it.each(LANGUAGES)('no page scrolls sideways, cuts text off or lays its landmarks over each other (%s)', async (language) => {
      const page = await browser.context.newPage();
      const found: string[] = [];
      for (const [name, path] of pages(language)) {
        await open(page, path);
        const [root, body] = await page.evaluate(() => [getComputedStyle(document.documentElement).fontSize, getComputedStyle(document.body).fontSize]);
        // The setting took: the root font size, and with it the text in rem, is twice the usual.
        expect({ name, root, body: parseFloat(body) >= 32 }).toEqual({ name, root: '32px', body: true });
        const scroll = await sidewaysScroll(page);
        if (scroll > 0) found.push(`${name}: the page scrolls ${scroll} px sideways`);
        const problems = [...(await cutOffText(page, { scrollingTables: true })), ...(await overlapping(page, LANDMARKS)), ...(await overlapping(page, HEADER_PARTS))];
        for (const problem of problems) found.push(`${name}: ${problem}`);
      }
      expect(found).toEqual([]);
      await page.close();
    }, 90_000);
  });

  describe('forced colours (Windows High Contrast): focus shows, steps do not rely on colour (2.4.7, 1.4.11, 1.4.1)', () => {
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      browser = await launchBrowser({ javaScriptEnabled: true });
      page = await browser.context.newPage();
      await page.emulateMedia({ forcedColors: 'active' });
    }, 30_000);

    afterAll(async () => {
      await browser?.close();
    });

    // Between them, every kind of control the site has: links, buttons, a text field with an
    // error, a select, radio buttons, a text area, a scrolling table.
    it.each([
      ['lookup with a mistyped number', '/en/case?receiptNumber=IOE09123'],
      ['case with evidence requested', () => `/en/case/${cases.pending}`],
      ['decided case', () => `/en/case/${cases.decided}`],
      ['get updates', () => `/en/case/${cases.pending}/updates`],
      ['unsubscribe link', '/en/notifications/unsubscribe?token=abc'],
      ['processing times', '/en/processing-times?form=USCIS%3AI-130'],
      ['feedback survey', () => `/en/case/${cases.decided}/feedback?link=${site.surveyLink(cases.decided)}`],
      ['feedback results', '/en/feedback/results?selection=USCIS%3AI-130'],
    ] as [string, string | (() => string)][])('every tab stop shows focus: %s', async (_name, path) => {
      await open(page, typeof path === 'string' ? path : path());
      expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
      const stops = await tabStopsInDocumentOrder(page);
      const unseen: string[] = [];
      for (let i = 0; i < stops.length; i++) {
        await page.keyboard.press('Tab');
        const { element, visible } = await focusIsVisible(page);
        if (!visible) unseen.push(element);
      }
      expect(stops.length).toBeGreaterThan(5);
      expect(unseen).toEqual([]);
    }, 60_000);

    it.each(LANGUAGES)('the current step is told by words and aria-current, not colour alone (%s)', async (language) => {
      const expected = language === 'en' ? ['In review', 'In review: evidence requested', 'Decision'] : ['En revisión', 'En revisión: se pidieron pruebas', 'Decisión'];
      for (const [path, current, heading] of [
        [`/${language}/case/${cases.pending}`, expected[0], expected[1]],
        [`/${language}/case/${cases.decided}`, expected[2], expected[2]],
      ]) {
        await open(page, path);
        const marked = page.locator('.usa-step-indicator__segment[aria-current="step"]');
        await expect(marked.locator('.usa-step-indicator__segment-label').innerText()).resolves.toBe(current);
        // The heading says which step it is, in words a sighted person reads ("Step 2 of 4 In review").
        await expect(page.locator('.usa-step-indicator__heading-text').innerText()).resolves.toBe(heading);
        await expect(page.locator('.usa-step-indicator__heading').innerText()).resolves.toMatch(/\d\s+\S+\s+\d/);
        // On screen the current step's label is bold as well as coloured; the others are not.
        const weights = await page.locator('.usa-step-indicator__segment-label').evaluateAll((labels) => labels.map((label) => Number(getComputedStyle(label).fontWeight)));
        const index = await page.locator('.usa-step-indicator__segment').evaluateAll((segments) => segments.findIndex((segment) => segment.getAttribute('aria-current') === 'step'));
        expect(weights.filter((weight, i) => i !== index && weight >= weights[index])).toEqual([]);
        // The bars, drawn as backgrounds forced colours drop: each is outlined, the done and current ones filled.
        const bars = await page.locator('.usa-step-indicator__segment').evaluateAll((segments) =>
          segments.map((segment) => {
            const bar = getComputedStyle(segment, '::after');
            const reached = segment.matches('.usa-step-indicator__segment--complete, .usa-step-indicator__segment--current');
            return { reached, outlined: bar.borderTopStyle === 'solid' && parseFloat(bar.borderTopWidth) > 0, fill: bar.backgroundColor };
          }),
        );
        expect(bars.every((bar) => bar.outlined)).toBe(true);
        const reachedFills = new Set(bars.filter((bar) => bar.reached).map((bar) => bar.fill));
        const pendingFills = new Set(bars.filter((bar) => !bar.reached).map((bar) => bar.fill));
        expect(reachedFills.size).toBe(1);
        expect([...pendingFills].filter((fill) => reachedFills.has(fill))).toEqual([]);
        if (path.includes(cases.pending)) expect(pendingFills.size).toBeGreaterThan(0);
      }
    }, 30_000);
  });

  describe('keyboard: Tab reaches everything in document order, the skip link goes to the content (2.1.1, 2.4.3, 2.4.1)', () => {
    describe.each([
      ['with JavaScript', true],
      ['without JavaScript', false],
    ])('%s', (_name, javaScriptEnabled) => {
      let browser: Browser;
      let page: Page;

      beforeAll(async () => {
        browser = await launchBrowser({ javaScriptEnabled });
        page = await browser.context.newPage();
      }, 30_000);

      afterAll(async () => {
        await browser?.close();
      });

      it.each([
        ['the case page', () => `/en/case/${cases.pending}`],
        ['the get-updates form', () => `/en/case/${cases.pending}/updates`],
      ])('on %s, every control in order, each showing focus', async (_page, path) => {
        await open(page, path());
        const stops = await tabStopsInDocumentOrder(page);
        const reached: string[] = [];
        const unseen: string[] = [];
        for (let i = 0; i < stops.length; i++) {
          await page.keyboard.press('Tab');
          const { element, visible } = await focusIsVisible(page);
          reached.push(element);
          if (!visible) unseen.push(element);
        }
        expect(stops.length).toBeGreaterThan(8);
        expect(reached).toEqual(stops);
        expect(unseen).toEqual([]);
      }, 60_000);

      it.each([
        ['the case page', () => `/en/case/${cases.pending}`],
        ['the get-updates form', () => `/en/case/${cases.pending}/updates`],
      ])('on %s, the skip link is the first stop, shows, and takes the next Tab into the content', async (_page, path) => {
        await open(page, path());
        await page.keyboard.press('Tab');
        await expect(describeFocus(page)).resolves.toMatch(/^a "Skip to main content"$/);
        await transitionsDone(page);
        expect(await page.locator('.usa-skipnav').isVisible()).toBe(true);
        expect(await page.locator('.usa-skipnav').evaluate((link) => link.getBoundingClientRect().top >= 0)).toBe(true);
        await page.keyboard.press('Enter');
        await page.waitForURL((url) => url.hash === '#main-content', { timeout: 5_000 });
        const [firstInMain] = await tabStopsInDocumentOrder(page, 'main');
        await page.keyboard.press('Tab');
        await expect(describeFocus(page)).resolves.toBe(firstInMain);
      }, 30_000);
    });

    it('on a phone without JavaScript, where the menu cannot open, every menu destination is still a tab stop', async () => {
      const browser = await launchBrowser({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
      try {
        const page = await browser.context.newPage();
        for (const language of LANGUAGES) {
          await open(page, `/${language}/case/${cases.pending}`);
          expect(await page.locator('.usa-nav').isVisible()).toBe(false);
          const menu = await page.locator('.usa-nav__primary a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
          const reachable = await page.locator('a[href]:visible').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
          expect(menu.length).toBe(3);
          expect(menu.filter((href) => !reachable.includes(href))).toEqual([]);
        }
      } finally {
        await browser.close();
      }
    }, 30_000);
  });
});
