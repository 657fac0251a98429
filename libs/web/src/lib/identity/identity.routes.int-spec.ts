import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { LOCAL_USERS, migrateSessions, newPersonAssertionKeys, PostgresSessionStore, RelyingParty, startLocalIdentityProvider, type LocalIdentityProvider } from '@case-status/identity';
import { clientKeyPair, CookieAgent, formOn, throughLocalProvider } from '@case-status/identity/testing';
import { buildAssets } from '../assets/build-assets';
import { listenSite, type SiteServer } from '../site';
import { createWebApp } from '../web.app';
import { safeReturnPath } from './identity.routes';
import { freePort } from '@case-status/http-support/testing';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const user = (subject: string) => {
  const found = LOCAL_USERS.find((candidate) => candidate.subject === subject);
  if (!found) throw new Error(`no local user ${subject}`);
  return found;
};

/**
 * Sign-in on the website over HTTP, against the local identity provider (a real
 * oidc-provider) and sessions in real PostgreSQL: the whole flow, then every way in that
 * must be refused. The clock of the session store is the test's, to end sessions on demand.
 */
describe('signing in to the website (real OpenID provider, real PostgreSQL)', () => {
  const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 4 });
  const schema = `web_identity_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  let now = new Date();
  let provider: LocalIdentityProvider;
  let site: SiteServer;
  let base: string;

  /** Signs `subject` in from the site's sign-in link; returns the agent holding the session and the last answer. */
  const signIn = async (subject: string, path = '/en/sign-in') => {
    const agent = new CookieAgent();
    const start = await agent.request(`${base}${path}`);
    expect(start.status).toBe(303);
    const callback = await throughLocalProvider(agent, start.headers.get('location') ?? '', user(subject));
    const done = await agent.request(callback);
    return { agent, callback, done };
  };

  beforeAll(async () => {
    await migrateSessions(pool, schema);
    const keys = await clientKeyPair();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    provider = await startLocalIdentityProvider({
      clients: [{ clientId: 'website', publicKey: keys.publicKey, redirectUris: [`${base}/sign-in/callback`], postLogoutRedirectUris: [`${base}/en/signed-out`, `${base}/es/signed-out`] }],
    });
    const app = await createWebApp({
      statusApiUrl: 'http://127.0.0.1:9',
      assets: await buildAssets(),
      identity: {
        relyingParty: new RelyingParty({ issuer: provider.issuer, clientId: 'website', clientKey: keys.privateKey, redirectUri: `${base}/sign-in/callback`, allowHttpLoopback: true }),
        sessions: new PostgresSessionStore({ pool, schema, clock: () => now }),
        publicBaseUrl: base,
        secureCookies: true,
        assertions: (await newPersonAssertionKeys()).signer,
      },
    });
    site = await listenSite(app, port, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await site?.close();
    await provider?.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  });

  it('signs an applicant in and shows who they are and how verified', async () => {
    // "My cases" asks the status API (none here): its own tests are the browser's (apps/web/src/my-cases.e2e-spec.ts).
    const { agent, done } = await signIn('applicant-ana', '/es/sign-in?return=/account');
    expect({ status: done.status, location: done.headers.get('location') }).toEqual({ status: 303, location: '/es/account' });
    expect(await (await agent.request(`${base}/es/account`)).text()).toContain('Mis casos');
    const account = await (await agent.request(`${base}/en/account`)).text();
    expect(account).toContain('data-field="name">Ana Applicant<');
    expect(account).toContain('data-field="email">ana.applicant@example.org<');
    expect(account).toContain('data-assurance="2"');
    expect(account).toContain('data-sign-out');
    expect(account).not.toContain('data-sign-in');
  });

  it('sets the session cookie HttpOnly, Secure, SameSite=Lax, host-only, and a new one at sign-in', async () => {
    const agent = new CookieAgent();
    const start = await agent.request(`${base}/en/sign-in`);
    const before = start.headers.get('set-cookie') ?? '';
    expect(before).toMatch(/^__Host-case-status-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    const done = await agent.request(await throughLocalProvider(agent, start.headers.get('location') ?? '', user('applicant-ana')));
    const after = done.headers.get('set-cookie') ?? '';
    expect(after).toMatch(/^__Host-case-status-session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    expect(after.split(';')[0]).not.toBe(before.split(';')[0]);
  });

  it('reads a caseworker’s role and agency', async () => {
    const { agent } = await signIn('caseworker-carl');
    expect(await (await agent.request(`${base}/en/account`)).text()).toContain('data-field="staff">caseworker at USCIS<');
    // This site asks the provider for no status API token, so the console cannot work: it says so rather than signing in again and again.
    const consolePage = await agent.request(`${base}/en/console`);
    expect(consolePage.status).toBe(403);
    expect(await consolePage.text()).toContain('Your sign-in did not give the console access to the status API.');
  });

  it('signs out with the CSRF token: the session ends here, then at the provider, and the next sign-in asks for the login again', async () => {
    const { agent } = await signIn('applicant-ana');
    const account = await (await agent.request(`${base}/en/account`)).text();
    const form = formOn(account, /\/en\/sign-out$/);
    const out = await agent.request(`${base}${form.action}`, { form: form.fields });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    const endSession = new URL(out.headers.get('location') ?? '');
    expect(endSession.origin).toBe(provider.issuer);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${base}/en/signed-out`);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();
    // The provider asks to confirm, then sends the person back to the site.
    const confirm = await agent.request(endSession.href);
    const logout = formOn(await confirm.text(), /\/session\/end\/confirm$/);
    const back = await agent.request(new URL(logout.action, provider.issuer).href, { form: { ...logout.fields, logout: 'yes' } });
    expect(back.headers.get('location')).toMatch(new RegExp(`^${base}/en/signed-out`));
    expect((await agent.request(`${base}/en/account`)).status).toBe(303);
    // The provider's session is gone too: a new sign-in shows its login form again.
    const again = await agent.request(`${base}/en/sign-in`);
    const atProvider = await agent.request(again.headers.get('location') ?? '');
    const interaction = await agent.request(new URL(atProvider.headers.get('location') ?? '', provider.issuer).href);
    expect(await interaction.text()).toContain('/login"');
  });

  describe('refusals', () => {
    it('refuses a callback whose state is not this browser’s sign-in, with a page saying to start again', async () => {
      const agent = new CookieAgent();
      const start = await agent.request(`${base}/en/sign-in`);
      const callback = new URL(await throughLocalProvider(agent, start.headers.get('location') ?? '', user('applicant-ana')));
      callback.searchParams.set('state', 'forged-state');
      const answer = await agent.request(callback.href);
      expect(answer.status).toBe(400);
      expect(await answer.text()).toContain('This sign-in has expired or was started in another browser or tab.');
      expect((await agent.request(`${base}/en/account`)).status).toBe(303);
    });

    it('refuses a callback replayed after the sign-in completed, from the same browser or with the old cookie', async () => {
      const agent = new CookieAgent();
      const start = await agent.request(`${base}/en/sign-in`);
      const oldCookie = agent.cookieHeader(new URL(base).host);
      const callback = await throughLocalProvider(agent, start.headers.get('location') ?? '', user('applicant-ana'));
      expect((await agent.request(callback)).status).toBe(303);
      for (const cookie of [undefined, oldCookie]) {
        const replay = await agent.request(callback, { cookie });
        expect(replay.status).toBe(400);
        expect(await replay.text()).toContain('Sign-in did not complete');
      }
    });

    it('treats a tampered or absent session cookie as nobody signed in', async () => {
      const { agent } = await signIn('applicant-ana');
      const cookie = agent.cookieHeader(new URL(base).host);
      const tampered = cookie.replace(/=(.)/, (_match, first: string) => `=${first === 'A' ? 'B' : 'A'}`);
      for (const header of [tampered, '', `${cookie.split('=')[0]}=`, 'case-status-session=' + cookie.split('=')[1]]) {
        const page = await agent.request(`${base}/en/account`, { cookie: header });
        expect({ header, status: page.status, location: page.headers.get('location') }).toEqual({ header, status: 303, location: '/en/sign-in?return=%2Faccount' });
      }
      // The real cookie still works: nothing above ended the session.
      expect((await agent.request(`${base}/en/account`, { cookie })).status).toBe(200);
    });

    it('refuses a sign-out without or with a wrong CSRF token, and the person stays signed in', async () => {
      const { agent } = await signIn('applicant-ana');
      for (const form of [{}, { csrf: 'wrong' }, { csrf: '' }] as Record<string, string>[]) {
        const answer = await agent.request(`${base}/en/sign-out`, { form });
        expect(answer.status).toBe(403);
        expect(await answer.text()).toContain('did not come from this site');
      }
      expect((await agent.request(`${base}/en/account`)).status).toBe(200);
    });

    it('refuses a link-a-case form without or with a wrong CSRF token, before the status API is asked, and a signed-out one goes to sign in', async () => {
      const { agent } = await signIn('applicant-ana');
      for (const form of [{}, { csrf: 'wrong' }] as Record<string, string>[]) {
        const answer = await agent.request(`${base}/en/my-cases/link`, { form: { ...form, receiptNumber: 'IOE0912345678', accessCode: 'K7QM-4TXR-9HPA' } });
        expect(answer.status).toBe(403);
        expect(await answer.text()).toContain('did not come from this site');
      }
      const stranger = await new CookieAgent().request(`${base}/en/my-cases/link`, { form: { receiptNumber: 'IOE0912345678', accessCode: 'K7QM-4TXR-9HPA' } });
      expect({ status: stranger.status, location: stranger.headers.get('location') }).toEqual({ status: 303, location: '/en/sign-in?return=%2Fmy-cases&level=2' });
    });

    it('ends a session left idle for 15 minutes with a page that says why', async () => {
      const { agent } = await signIn('applicant-ana');
      now = new Date(now.getTime() + 15 * 60_000);
      try {
        const page = await agent.request(`${base}/en/account`);
        expect(page.status).toBe(401);
        expect(page.headers.get('set-cookie')).toMatch(/Max-Age=0/);
        expect(await page.text()).toContain('You were signed out after 15 minutes without activity');
      } finally {
        now = new Date();
      }
    });

    it('refuses private pages to an account verified below IAL2, offering a verified sign-in', async () => {
      const { agent } = await signIn('applicant-ben');
      expect((await agent.request(`${base}/en/account`)).status).toBe(200);
      const page = await agent.request(`${base}/en/my-cases`);
      expect(page.status).toBe(403);
      const html = await page.text();
      expect(html).toContain('This page needs a verified identity');
      expect(html).toContain('/en/sign-in?return=%2Fmy-cases&amp;level=2');
      expect(html).not.toContain('data-no-cases');
    });

    it('sends a person back only to a page of this site', async () => {
      for (const path of ['//evil.example/x', '/\\evil.example', 'https://evil.example', '/a b']) expect(safeReturnPath(path)).toBeNull();
      expect(safeReturnPath('/my-cases')).toBe('/my-cases');
      const agent = new CookieAgent();
      const start = await agent.request(`${base}/en/sign-in?return=${encodeURIComponent('//evil.example/')}`);
      const done = await agent.request(await throughLocalProvider(agent, start.headers.get('location') ?? '', user('applicant-ana')));
      expect(done.headers.get('location')).toBe('/en/account');
    });
  });
});
