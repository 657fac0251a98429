import { clientKeyPair, CookieAgent, throughLocalProvider } from '../testing';
import { IAL1, IAL2 } from './assurance';
import { LOCAL_USERS } from './local-users';
import { startLocalIdentityProvider, type LocalIdentityProvider } from './local-identity-provider';
import { RelyingParty, SignInError } from './relying-party';

const REDIRECT = 'http://127.0.0.1:9/sign-in/callback';
const user = (subject: string) => {
  const found = LOCAL_USERS.find((candidate) => candidate.subject === subject);
  if (!found) throw new Error(`no local user ${subject}`);
  return found;
};

describe('the relying party against the local identity provider (real oidc-provider)', () => {
  let provider: LocalIdentityProvider;
  let rp: RelyingParty;

  beforeAll(async () => {
    const keys = await clientKeyPair();
    provider = await startLocalIdentityProvider({ clients: [{ clientId: 'website', publicKey: keys.publicKey, redirectUris: [REDIRECT], postLogoutRedirectUris: ['http://127.0.0.1:9/en/signed-out'] }] });
    rp = new RelyingParty({ issuer: provider.issuer, clientId: 'website', clientKey: keys.privateKey, redirectUri: REDIRECT, allowHttpLoopback: true });
  });

  afterAll(async () => {
    await provider?.close();
  });

  it('signs an applicant in with code + PKCE + private_key_jwt and reads sub, email, whether the provider verified it, and acr', async () => {
    const { url, pending } = await rp.beginSignIn({ level: 2, returnTo: '/account' });
    const authorization = new URL(url);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('acr_values')).toBe(IAL2);
    const callback = await throughLocalProvider(new CookieAgent(), url, user('applicant-ana'));
    const { account, idToken } = await rp.completeSignIn(new URL(callback), pending);
    expect(account).toEqual({ subject: 'applicant-ana', issuer: provider.issuer, email: 'ana.applicant@example.org', emailVerified: true, name: 'Ana Applicant', acr: IAL2, assuranceLevel: 2, roles: [], agency: undefined });
    expect(idToken.split('.')).toHaveLength(3);
    const signOut = new URL(await rp.signOutUrl(idToken, 'http://127.0.0.1:9/en/signed-out'));
    expect(signOut.origin).toBe(provider.issuer);
    expect(signOut.searchParams.get('id_token_hint')).toBe(idToken);
  });

  it('reads a caseworker’s roles and agency, and an unverified applicant’s lower acr', async () => {
    for (const [subject, expected] of [
      ['caseworker-carl', { roles: ['caseworker'], agency: 'USCIS', assuranceLevel: 2 }],
      ['applicant-ben', { roles: [], agency: undefined, assuranceLevel: 1, acr: IAL1 }],
    ] as const) {
      const { url, pending } = await rp.beginSignIn({ level: 1, returnTo: '/account' });
      const { account } = await rp.completeSignIn(new URL(await throughLocalProvider(new CookieAgent(), url, user(subject))), pending);
      expect(account).toMatchObject(expected);
    }
  });

  it('refuses an answer with another sign-in’s state, before asking the provider', async () => {
    const first = await rp.beginSignIn({ level: 1, returnTo: '/account' });
    const second = await rp.beginSignIn({ level: 1, returnTo: '/account' });
    const callback = await throughLocalProvider(new CookieAgent(), first.url, user('applicant-ana'));
    await expect(rp.completeSignIn(new URL(callback), second.pending)).rejects.toMatchObject({ code: 'STATE_MISMATCH' });
    // The code was not spent by the refused attempt: the rightful sign-in still completes.
    await expect(rp.completeSignIn(new URL(callback), first.pending)).resolves.toMatchObject({ account: { subject: 'applicant-ana' } });
  });

  it('refuses a code used twice (the provider says invalid_grant)', async () => {
    const { url, pending } = await rp.beginSignIn({ level: 1, returnTo: '/account' });
    const callback = new URL(await throughLocalProvider(new CookieAgent(), url, user('applicant-ana')));
    await rp.completeSignIn(callback, pending);
    const replay = await rp.completeSignIn(callback, pending).catch((error: unknown) => error);
    expect(replay).toBeInstanceOf(SignInError);
    expect(replay).toMatchObject({ code: 'TOKEN_REJECTED' });
  });

  it('refuses a code exchanged without the PKCE verifier it was issued for', async () => {
    const { url, pending } = await rp.beginSignIn({ level: 1, returnTo: '/account' });
    const callback = new URL(await throughLocalProvider(new CookieAgent(), url, user('applicant-ana')));
    await expect(rp.completeSignIn(callback, { ...pending, codeVerifier: 'x'.repeat(43) })).rejects.toMatchObject({ code: 'TOKEN_REJECTED' });
  });

  it('refuses to talk to a provider over plain http anywhere but the loopback address', () => {
    expect(() => new RelyingParty({ issuer: 'http://login.example.gov', clientId: 'x', clientKey: { kty: 'EC', kid: 'k', d: 'x' }, redirectUri: REDIRECT, allowHttpLoopback: true })).toThrow(/https/);
  });
});
