import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { AgencyTokenVerifier, TokenRejected, checkAgencyKeys, type AgencyKeys } from './agency-token-verifier';

const ISSUER = 'https://login.vba.example';
const AUDIENCE = 'case-status-caseworker';

describe('agency token verifier', () => {
  let privateKey: CryptoKey;
  let jwk: JWK;
  let keys: AgencyKeys;
  let verifier: AgencyTokenVerifier;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  /** A valid token; each test overrides the one thing it attacks. */
  const sign = (claims: Record<string, unknown> = {}, options: { audience?: string; issuer?: string | null; iat?: number | null; exp?: number } = {}) => {
    let jwt = new SignJWT({ agency: 'VBA', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject('officer-7')
      .setAudience(options.audience ?? AUDIENCE)
      .setExpirationTime(options.exp ?? nowSeconds() + 300);
    if (options.issuer !== null) jwt = jwt.setIssuer(options.issuer ?? ISSUER);
    if (options.iat !== null) jwt = jwt.setIssuedAt(options.iat ?? nowSeconds());
    return jwt.sign(privateKey);
  };
  const rejection = async (token: string, against = verifier) => {
    const error = await against.verify(`Bearer ${token}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRejected);
    return (error as TokenRejected).reason;
  };

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    keys = { VBA: { issuers: [ISSUER], jwks: { keys: [jwk] } } };
    verifier = new AgencyTokenVerifier(keys, AUDIENCE);
  });

  it('returns the agency, subject, scopes and roles of a valid token', async () => {
    const principal = await verifier.verify(`Bearer ${await sign({ scope: 'a b', roles: ['caseworker', 7] })}`);
    expect(principal.agency.code).toBe('VBA');
    expect(principal.subject).toBe('officer-7');
    expect([...principal.scopes]).toEqual(['a', 'b']);
    expect([...principal.roles]).toEqual(['caseworker']);
  });

  it.each([
    ['no header', undefined, /Bearer/],
    ['a token that is not a JWT', 'Bearer abc.def', /not a JWT/],
  ])('rejects %s', async (_title, header, reason) => {
    await expect(verifier.verify(header)).rejects.toThrow(reason);
  });

  it('rejects a token naming an agency without configured keys', async () => {
    expect(await rejection(await sign({ agency: 'USCIS' }))).toContain('"USCIS"');
  });

  it('rejects a token for another audience, naming the claim', async () => {
    expect(await rejection(await sign({}, { audience: 'case-status-intake' }))).toMatch(/"aud" claim is not acceptable/);
  });

  it("rejects a token from an issuer the agency's configuration does not list, naming the claim and not echoing the token", async () => {
    const token = await sign({}, { issuer: 'https://login.attacker.example' });
    const reason = await rejection(token);
    expect(reason).toMatch(/"iss" claim is not acceptable/);
    expect(reason).not.toContain('attacker');
    expect(reason).not.toContain(token);
  });

  it('rejects a token without an issuer', async () => {
    expect(await rejection(await sign({}, { issuer: null }))).toMatch(/no "iss" claim/);
  });

  it('accepts any of the issuers an agency lists', async () => {
    const both = new AgencyTokenVerifier({ VBA: { issuers: ['https://old.vba.example', ISSUER], jwks: { keys: [jwk] } } }, AUDIENCE);
    await expect(both.verify(`Bearer ${await sign()}`)).resolves.toMatchObject({ subject: 'officer-7' });
  });

  describe('token age', () => {
    it('rejects a token without "iat"', async () => {
      expect(await rejection(await sign({}, { iat: null }))).toMatch(/no "iat" claim/);
    });

    it('rejects a token issued longer ago than the maximum age, though its "exp" is still ahead', async () => {
      const token = await sign({}, { iat: nowSeconds() - 3600 - 31, exp: nowSeconds() + 3600 });
      expect(await rejection(token)).toMatch(/"iat" claim is too old: tokens are accepted for 3600 seconds/);
    });

    it("honours an agency's own maximum age", async () => {
      const strict = new AgencyTokenVerifier({ VBA: { issuers: [ISSUER], maxTokenAgeSeconds: 60, jwks: { keys: [jwk] } } }, AUDIENCE);
      expect(await rejection(await sign({}, { iat: nowSeconds() - 120 }), strict)).toMatch(/accepted for 60 seconds/);
      await expect(strict.verify(`Bearer ${await sign({}, { iat: nowSeconds() - 10 })}`)).resolves.toBeDefined();
    });

    it('accepts a token issued a little in the future (clock skew) and rejects one issued further ahead', async () => {
      await expect(verifier.verify(`Bearer ${await sign({}, { iat: nowSeconds() + 20 })}`)).resolves.toBeDefined();
      expect(await rejection(await sign({}, { iat: nowSeconds() + 120 }))).toMatch(/"iat" claim is in the future/);
    });

    it('still rejects an expired token', async () => {
      expect(await rejection(await sign({}, { iat: nowSeconds() - 200, exp: nowSeconds() - 100 }))).toMatch(/has expired/);
    });

    it('answers a token it verified before from memory until its maximum age, then rejects it', async () => {
      let now = Date.now();
      const clocked = new AgencyTokenVerifier({ VBA: { issuers: [ISSUER], maxTokenAgeSeconds: 60, jwks: { keys: [jwk] } } }, AUDIENCE, { now: () => now });
      const token = await sign({}, { iat: Math.floor(now / 1000), exp: Math.floor(now / 1000) + 3600 });
      const first = await clocked.verify(`Bearer ${token}`);
      expect(clocked.isKnown(`Bearer ${token}`)).toBe(true);
      expect(await clocked.verify(`Bearer ${token}`)).toBe(first);
      now += 91_000; // past the 60 s maximum age and the 30 s of clock skew tolerated
      expect(clocked.isKnown(`Bearer ${token}`)).toBe(false);
      expect(await rejection(token, clocked)).toMatch(/too old/);
    });
  });

  describe('key configuration, checked at start-up', () => {
    const remote = (jwksUri: string) => ({ VBA: { issuers: [ISSUER], jwksUri } });

    it('refuses a plain http key URL, naming the agency and the setting', () => {
      expect(() => new AgencyTokenVerifier(remote('http://keys.vba.example/jwks.json'), AUDIENCE, { production: false })).toThrow(
        /agency keys: VBA\.jwksUri must be an https:\/\/ URL/,
      );
    });

    it.each(['http://127.0.0.1:8080/jwks.json', 'http://localhost/jwks.json', 'http://[::1]:9000/jwks.json'])('allows the loopback URL %s outside production', (url) => {
      expect(() => new AgencyTokenVerifier(remote(url), AUDIENCE, { production: false })).not.toThrow();
    });

    it('refuses a loopback http key URL in production', () => {
      expect(() => new AgencyTokenVerifier(remote('http://127.0.0.1:8080/jwks.json'), AUDIENCE, { production: true })).toThrow(/VBA\.jwksUri must be an https:\/\/ URL in production/);
    });

    it('accepts an https key URL in production', () => {
      expect(() => new AgencyTokenVerifier(remote('https://keys.vba.example/jwks.json'), AUDIENCE, { production: true })).not.toThrow();
    });

    it.each([
      ['no issuers', { VBA: { jwks: { keys: [] } } }, /VBA\.issuers must list/],
      ['an empty issuer list', { VBA: { issuers: [], jwks: { keys: [] } } }, /VBA\.issuers must list/],
      ['no keys', { VBA: { issuers: [ISSUER] } }, /VBA needs "jwks"/],
      ['a maximum age over a day', { VBA: { issuers: [ISSUER], maxTokenAgeSeconds: 90_000, jwks: { keys: [] } } }, /VBA\.maxTokenAgeSeconds must be/],
      ['a key URL that is not a URL', { VBA: { issuers: [ISSUER], jwksUri: 'keys' } }, /VBA\.jwksUri is not a URL/],
    ])('refuses a configuration with %s', (_title, config, message) => {
      expect(() => checkAgencyKeys(config, false)).toThrow(message);
    });
  });
});
