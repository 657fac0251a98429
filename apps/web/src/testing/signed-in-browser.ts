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
  /** Fills the local provider's login form and sends it. */
  async function logIn(email: string, password: string): Promise<void> {
    await currentPage().fill('#email', email);
    await currentPage().fill('#password', password);
    await click('form[action$="/login"] button[type=submit]');
  }
  return {
    page: currentPage,
    browser: () => started(browser),
    click,
    logIn,
    /** From a signed-in page to the provider's login, through its consent, back to `path`. */
    async signInAs(person: { email: string; password: string }, path: string): Promise<void> {
      await currentPage().goto(`${site.webUrl}${path}`);
      await logIn(person.email, person.password);
      if (await currentPage().locator('form[action$="/confirm"]').count()) await click('form[action$="/confirm"] button[type=submit]');
    },
    /** Signs out here and at the provider, and checks the site's signed-out page is where it ends. */
    async signOut(): Promise<void> {
      await click('[data-sign-out]');
      await click('button[name=logout][value=yes]');
      expect(currentPage().url()).toBe(`${site.webUrl}/en/signed-out`);
    },
  };
}
