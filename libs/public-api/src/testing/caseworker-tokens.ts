import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import type { AgencyKeys } from '@case-status/agency-auth';

export interface SigningKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** The issuer (`iss`) an agency's identity provider signs as, in tests. */
const issuerOf = (agency: string) => `https://login.${agency.toLowerCase()}.example`;

export function agencyKeys(keys: Record<string, SigningKey>): AgencyKeys {
  return Object.fromEntries(Object.entries(keys).map(([agency, key]) => [agency, { issuers: [issuerOf(agency)], jwks: { keys: [key.jwk] } }]));
}

/** A caseworker token as an agency's identity provider would issue it; override one thing per test. */
export function caseworkerToken(
  key: SigningKey,
  options: { agency: string; roles?: unknown; audience?: string; subject?: string; expiresIn?: string },
): Promise<string> {
  return new SignJWT({ agency: options.agency, ...(options.roles === undefined ? { roles: ['caseworker'] } : { roles: options.roles }) })
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid as string })
    .setSubject(options.subject ?? 'caseworker-1')
    .setIssuer(issuerOf(options.agency))
    .setAudience(options.audience ?? 'case-status-caseworker')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(key.privateKey);
}
