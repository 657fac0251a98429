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

  it('rejects a token for another audience', async () => {
    await expect(verifier.verify(`Bearer ${await sign({ agency: 'VBA' }, 'case-status-intake')}`)).rejects.toThrow(/"aud"/);
  });
});
