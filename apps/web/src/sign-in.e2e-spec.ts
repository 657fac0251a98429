import { LOCAL_USERS } from '@case-status/identity';
import { signInBrowsing } from './testing/signed-in-browser';
import { SiteUnderTest } from './testing/site-under-test';

jest.setTimeout(60_000);

const ana = LOCAL_USERS.find((user) => user.subject === 'applicant-ana') ?? (() => { throw new Error('no local applicant'); })();

/**
 * Signing in to the website in Debian's Chromium, without JavaScript, against the local
 * identity provider (a real oidc-provider): the provider's login and consent pages, the
 * account page, and signing out of the site and of the provider. What only a browser
 * checks happens here for real: the `__Host-` Secure cookie over the loopback address, the
 * page's form-action policy letting sign-out go on to the provider, redirects across origins.
 */
describe('signing in with a browser (real identity provider, real PostgreSQL)', () => {
  const site = new SiteUnderTest({ identity: true });
  const { page, browser, click, logIn: logInAs } = signInBrowsing(site);

  const provider = () => site.identityProvider?.issuer ?? '';

  /** From "Sign in" in the header to the provider's login form. */
  async function toProviderLogin(): Promise<void> {
    await page().goto(`${site.webUrl}/en/`);
    await click('[data-sign-in]');
    expect(new URL(page().url()).origin).toBe(provider());
    await expect(page().locator('h1').textContent()).resolves.toBe('Sign in to the local identity provider');
  }

  const logIn = (password: string) => logInAs(ana.email, password);

  it('signs the applicant in through the provider’s login and consent, shows the account, and signs out of both', async () => {
    await toProviderLogin();

    // A wrong password stays at the provider, which says so.
    await logIn('not-the-password');
    expect(new URL(page().url()).origin).toBe(provider());
    await expect(page().locator('[role=alert]').textContent()).resolves.toBe('That email and password do not match a test user.');

    await logIn(ana.password);
    await expect(page().locator('h1').textContent()).resolves.toBe('Share your details?');
    await click('form[action$="/confirm"] button[type=submit]');

    // Back on the site, signed in, on the account page().
    expect(page().url()).toBe(`${site.webUrl}/en/account`);
    await expect(page().locator('h1').textContent()).resolves.toBe('Your account');
    await expect(page().locator('[data-field=name]').textContent()).resolves.toBe(ana.name);
    await expect(page().locator('[data-field=email]').textContent()).resolves.toBe(ana.email);
    expect(await page().getAttribute('[data-assurance]', 'data-assurance')).toBe('2');
    expect(await page().locator('[data-sign-in]').count()).toBe(0);
    // Cookies are per host, not port: the provider's (on another port of 127.0.0.1) are left aside.
    const siteCookies = async () => (await browser().context.cookies(site.webUrl)).filter((cookie) => cookie.name.includes('case-status'));
    expect((await siteCookies()).map(({ name, httpOnly, secure, sameSite }) => ({ name, httpOnly, secure, sameSite }))).toEqual([
      { name: '__Host-case-status-session', httpOnly: true, secure: true, sameSite: 'Lax' },
    ]);

    // "My cases" needs IAL2, which Ana has.
    await page().goto(`${site.webUrl}/en/my-cases`);
    await expect(page().locator('h1').textContent()).resolves.toBe('My cases');

    // Sign out: the site's form, then the provider's confirmation, then back on the site.
    await click('[data-sign-out]');
    expect(new URL(page().url()).origin).toBe(provider());
    await click('button[name=logout][value=yes]');
    expect(page().url()).toBe(`${site.webUrl}/en/signed-out`);
    await expect(page().locator('h1').textContent()).resolves.toBe('You are signed out');
    expect(await siteCookies()).toEqual([]);
    await page().goto(`${site.webUrl}/en/account`);
    expect(new URL(page().url()).origin).toBe(provider());

    // The provider's session ended too: signing in again asks for the password again.
    await toProviderLogin();
    expect(await page().locator('#password').count()).toBe(1);
  });
});
