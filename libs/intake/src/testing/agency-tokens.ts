import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import type { AgencyKeys } from '@case-status/agency-auth';
import { INTAKE_AUDIENCE } from '../lib/agency-auth';

export interface SigningKey {
  agency: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** The issuer (`iss`) an agency's systems sign as, in tests. */
const issuerOf = (agency: string) => `https://login.${agency.toLowerCase()}.example`;

export async function signingKey(agency: string, kid = `${agency.toLowerCase()}-1`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { agency, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

/** The intake's key configuration for these keys, each agency with its own issuer. */
export function agencyKeys(...keys: SigningKey[]): AgencyKeys {
  return Object.fromEntries(keys.map((key) => [key.agency, { issuers: [issuerOf(key.agency)], jwks: { keys: [key.jwk] } }]));
}

/** A valid intake token of the key's agency; override one thing per test. */
export function agencyToken(key: SigningKey, options: { scope?: string; subject?: string } = {}): Promise<string> {
  return new SignJWT({ agency: key.agency, scope: options.scope ?? 'intake:write intake:read' })
    .setProtectedHeader({ alg: 'ES256', kid: key.jwk.kid as string })
    .setSubject(options.subject ?? 'adjudication-system-1')
    .setIssuer(issuerOf(key.agency))
    .setAudience(INTAKE_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}
