import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { AgencyTokenVerifier, TokenRejected } from './agency-token-verifier';

describe('agency token verifier', () => {
  let sign: (claims: Record<string, unknown>, audience?: string) => Promise<string>;
  let verifier: AgencyTokenVerifier;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    verifier = new AgencyTokenVerifier({ VBA: { jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] } } }, 'case-status-caseworker');
    sign = (claims, audience = 'case-status-caseworker') =>
      new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setSubject('officer-7').setAudience(audience).setExpirationTime('5m').sign(privateKey);
  });

  it('returns the agency, subject, scopes and roles of a valid token', async () => {
    const principal = await verifier.verify(`Bearer ${await sign({ agency: 'VBA', scope: 'a b', roles: ['caseworker', 7] })}`);
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
    const error = await verifier.verify(`Bearer ${await sign({ agency: 'USCIS' })}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRejected);
    expect((error as TokenRejected).reason).toContain('"USCIS"');
  });

  it('answers a token it verified before from memory until the token expires, then rejects it', async () => {
    let now = Date.now();
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const clocked = new AgencyTokenVerifier({ VBA: { jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k2', alg: 'ES256' }] } } }, 'aud-x', () => now);
    const token = await new SignJWT({ agency: 'VBA' }).setProtectedHeader({ alg: 'ES256', kid: 'k2' }).setSubject('s').setAudience('aud-x').setExpirationTime(Math.floor(now / 1000) + 60).sign(privateKey);
    const first = await clocked.verify(`Bearer ${token}`);
    expect(await clocked.verify(`Bearer ${token}`)).toBe(first);
    now += 91_000; // past exp and the 30 s of clock skew tolerated
    await expect(clocked.verify(`Bearer ${token}`)).rejects.toThrow();
  });

  it('rejects a token for another audience', async () => {
    await expect(verifier.verify(`Bearer ${await sign({ agency: 'VBA' }, 'case-status-intake')}`)).rejects.toThrow(/"aud"/);
  });
});
