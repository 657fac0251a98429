import { loadConfig } from './config';

describe('web configuration', () => {
  it('defaults to the status API on its usual port and the site on 3003', () => {
    expect(loadConfig({})).toMatchObject({ statusApiUrl: 'http://127.0.0.1:3002', port: 3003, host: '127.0.0.1', timeZone: 'America/New_York', trustProxy: false });
  });

  it('reads STATUS_API_URL, STATUS_API_PUBLIC_URL and PORT', () => {
    expect(loadConfig({ STATUS_API_URL: 'http://10.0.0.5:4000', STATUS_API_PUBLIC_URL: 'https://status.example.gov', PORT: '8080' })).toMatchObject({
      statusApiUrl: 'http://10.0.0.5:4000',
      publicStatusApiUrl: 'https://status.example.gov',
      port: 8080,
    });
  });

  it.each([
    ['STATUS_API_URL', 'localhost:3002', /^STATUS_API_URL must be a URL starting with http:\/\/ or https:\/\/, e.g. http:\/\/127.0.0.1:3002, not "localhost:3002"$/],
    ['PORT', '70000', /^PORT must be a port number from 0 to 65535, not "70000"$/],
    ['TIME_ZONE', 'Mars/Olympus', /TIME_ZONE is not a time zone/],
  ])('refuses %s=%s with the reason', (name, value, reason) => {
    expect(() => loadConfig({ [name]: value })).toThrow(reason);
  });
  it('reads TRUST_PROXY and FORWARDING_KEY through the shared parsers (tested in libs/http-support): none by default, true refused', () => {
    expect(loadConfig({})).toMatchObject({ trustProxy: false, forwardingKey: undefined });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5,10.1.0.0/16', FORWARDING_KEY: 'k'.repeat(32) })).toMatchObject({ trustProxy: ['10.0.0.5', '10.1.0.0/16'], forwardingKey: 'k'.repeat(32) });
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/^TRUST_PROXY=true would believe any client/);
    expect(() => loadConfig({ FORWARDING_KEY: 'secret-but-short' })).toThrow(/^FORWARDING_KEY must be at least 32 characters long/);
  });
  describe('sign-in (IDENTITY_*)', () => {
    const key = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd', kid: 'website-1', alg: 'ES256' });
    const all = { IDENTITY_ISSUER_URL: 'https://idp.int.identitysandbox.gov', IDENTITY_CLIENT_ID: 'urn:gov:gsa:openidconnect.profiles:sp:sso:agency:case-status', IDENTITY_CLIENT_KEY: key, PERSON_ASSERTION_KEY: key.replace('website-1', 'assertions-1'), PUBLIC_BASE_URL: 'https://status.example.gov/' };

    it('has none by default: the site works without sign-in', () => {
      expect(loadConfig({}).identity).toBeUndefined();
    });

    it('reads the provider, the client and its key, with Secure cookies by default', () => {
      expect(loadConfig(all).identity).toMatchObject({ issuer: all.IDENTITY_ISSUER_URL, clientId: all.IDENTITY_CLIENT_ID, clientKey: { kid: 'website-1' }, assertionKey: { kid: 'assertions-1' }, publicBaseUrl: 'https://status.example.gov', secureCookies: true });
    });

    it('refuses half a configuration, naming what sign-in needs', () => {
      expect(() => loadConfig({ IDENTITY_ISSUER_URL: all.IDENTITY_ISSUER_URL })).toThrow(/sign-in needs all of IDENTITY_ISSUER_URL, IDENTITY_CLIENT_ID, IDENTITY_CLIENT_KEY, PERSON_ASSERTION_KEY and PUBLIC_BASE_URL/);
      expect(() => loadConfig({ ...all, PERSON_ASSERTION_KEY: undefined })).toThrow(/PERSON_ASSERTION_KEY/);
    });

    it('refuses a key that is not a private JWK, without repeating it', () => {
      expect(() => loadConfig({ ...all, IDENTITY_CLIENT_KEY: JSON.stringify({ kty: 'EC', kid: 'public-only-half-of-it' }) })).toThrow(/^IDENTITY_CLIENT_KEY must be a private JWK/);
      expect(() => loadConfig({ ...all, PERSON_ASSERTION_KEY: JSON.stringify({ kty: 'EC', kid: 'public-only-half-of-it' }) })).toThrow(/^PERSON_ASSERTION_KEY must be a private JWK/);
    });

    it('allows cookies without Secure only for plain-http development on the loopback address', () => {
      expect(() => loadConfig({ ...all, SESSION_COOKIE_SECURE: 'off' })).toThrow(/SESSION_COOKIE_SECURE=off is only for plain-http development/);
      expect(loadConfig({ ...all, PUBLIC_BASE_URL: 'http://127.0.0.1:3003', SESSION_COOKIE_SECURE: 'off' }).identity).toMatchObject({ secureCookies: false });
      // The caseworker console: the status API's token, asked for at sign-in, or none.
      expect(loadConfig(all).identity?.apiResource).toBeUndefined();
      expect(loadConfig({ ...all, IDENTITY_API_RESOURCE: 'urn:case-status:caseworker-api', IDENTITY_API_SCOPE: 'case-status-api' }).identity?.apiResource).toEqual({ resource: 'urn:case-status:caseworker-api', scope: 'case-status-api' });
      expect(() => loadConfig({ ...all, IDENTITY_API_RESOURCE: 'urn:case-status:caseworker-api' })).toThrow('the caseworker console needs both IDENTITY_API_RESOURCE and IDENTITY_API_SCOPE');
      expect(() => loadConfig({ ...all, IDENTITY_API_RESOURCE: 'caseworker-api', IDENTITY_API_SCOPE: 'case-status-api' })).toThrow(/IDENTITY_API_RESOURCE.*absolute URI/);
    });
  });
});
