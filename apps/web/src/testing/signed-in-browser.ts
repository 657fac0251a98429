import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from './browser';
import type { SiteUnderTest } from './site-under-test';

/**
 * For a suite that signs people in to the site in Chromium without JavaScript: the site
 * (after `prepare`, e.g. recording cases) and a browser, started before its tests and closed
 * after, with the steps every such suite takes.
 */
export function signInBrowsing(site: SiteUnderTest, prepare: () => Promise<void> = async () => undefined) {
  let browser: Browser | undefined;
  let page: Page | undefined;

  beforeAll(async () => {
    await site.start();
    await prepare();
    browser = await launchBrowser({ javaScriptEnabled: false });
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site.stop();
  }, 30_000);

  const started = <T>(value: T | undefined): T => value ?? (() => { throw new Error('the browser is not started yet'); })();
  const currentPage = () => started(page);
  const click = async (selector: string) => Promise.all([currentPage().waitForLoadState('load'), currentPage().click(selector)]);
  return {
    page: currentPage,
    browser: () => started(browser),
    click,
    /** Fills the local provider's login form and sends it. */
    async logIn(email: string, password: string): Promise<void> {
      await currentPage().fill('#email', email);
      await currentPage().fill('#password', password);
      await click('form[action$="/login"] button[type=submit]');
    },
  };
}
