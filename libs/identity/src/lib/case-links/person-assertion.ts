import { SignJWT, createLocalJWKSet, errors, exportJWK, generateKeyPair, importJWK, jwtVerify, type JSONWebKeySet, type JWK } from 'jose';
import type { AssuranceLevel } from '../assurance';
import type { Account } from '../relying-party';
import type { PersonKey } from './person-stream';

/**
 * How the website tells the status API who is asking: for each request it signs a short
 * assertion (a JWT, ES256, one minute) naming the signed-in person (the provider's issuer and
 * subject) and the assurance level the provider vouched for. The status API verifies it with
 * the website's public key and then decides itself, from its links read model, which cases
 * that person may read: the website never names a case it may show. The assertion carries the
 * person's e-mail address only when the provider said it verified it (representatives of
 * record may be named by address).
 */
const PERSON_ASSERTION_AUDIENCE = 'case-status-api/people';
const TYPE = 'person-assertion+jwt';
const LIFETIME_SECONDS = 60;

export interface AssertedPerson extends PersonKey {
  assuranceLevel: AssuranceLevel;
  /** The person's e-mail address, present only when their provider said it verified it. */
  verifiedEmail?: string;
}

export class PersonAssertionSigner {
  private key: Promise<CryptoKey | Uint8Array> | undefined;

  /** `privateKey`: the website's assertion key, a private JWK with `kid` (ES256 unless `alg` says otherwise). */
  constructor(private readonly privateKey: JWK) {
    if (!privateKey.kid || !privateKey.d) throw new RangeError('the person assertion key must be a private JWK with "kid"');
  }

  async sign(account: Pick<Account, 'issuer' | 'subject' | 'assuranceLevel' | 'email' | 'emailVerified'>, now: Date = new Date()): Promise<string> {
    this.key ??= importJWK(this.privateKey, this.privateKey.alg ?? 'ES256');
    const issuedAt = Math.floor(now.getTime() / 1000);
    const verifiedEmail = account.emailVerified === true && account.email ? { email: account.email } : {};
    return new SignJWT({ idp: account.issuer, level: account.assuranceLevel, ...verifiedEmail })
      .setProtectedHeader({ alg: this.privateKey.alg ?? 'ES256', kid: this.privateKey.kid, typ: TYPE })
      .setSubject(account.subject)
      .setAudience(PERSON_ASSERTION_AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + LIFETIME_SECONDS)
      .sign(await this.key);
  }
}

export class PersonAssertionRejected extends Error {
  override readonly name = 'PersonAssertionRejected';
}

export class PersonAssertionVerifier {
  private readonly keys: ReturnType<typeof createLocalJWKSet>;

  /** `publicKeys`: the website's public assertion keys (a JWKS). */
  constructor(publicKeys: JSONWebKeySet, private readonly clock: () => Date = () => new Date()) {
    if (publicKeys.keys.length === 0 || publicKeys.keys.some((key) => 'd' in key)) throw new RangeError('person assertion keys must be public keys, at least one');
    this.keys = createLocalJWKSet(publicKeys);
  }

  /** The person an `Authorization: Bearer` header's assertion names; PersonAssertionRejected otherwise. */
  async verify(authorization: string | undefined): Promise<AssertedPerson> {
    const token = /^Bearer ([A-Za-z0-9_.-]{1,4096})$/.exec(authorization ?? '')?.[1];
    if (!token) throw new PersonAssertionRejected('no person assertion (Authorization: Bearer) was sent');
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        audience: PERSON_ASSERTION_AUDIENCE,
        typ: TYPE,
        algorithms: ['ES256', 'ES384', 'EdDSA', 'RS256'],
        maxTokenAge: LIFETIME_SECONDS,
        currentDate: this.clock(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, idp, level, email } = payload;
      if (typeof sub !== 'string' || typeof idp !== 'string' || (level !== 0 && level !== 1 && level !== 2)) throw new PersonAssertionRejected('the assertion does not name a person and a level');
      if (email !== undefined && typeof email !== 'string') throw new PersonAssertionRejected('the assertion names an e-mail address that is not text');
      return { issuer: idp, subject: sub, assuranceLevel: level as AssuranceLevel, ...(email !== undefined && { verifiedEmail: email }) };
    } catch (error) {
      if (error instanceof PersonAssertionRejected) throw error;
      if (error instanceof errors.JOSEError) throw new PersonAssertionRejected(`the person assertion was refused (${error.code})`);
      throw error;
    }
  }
}

/** A new assertion key pair: the website's signer and the public keys the status API verifies with. */
export async function newPersonAssertionKeys(kid = 'website-assertions'): Promise<{ signer: PersonAssertionSigner; publicKeys: JSONWebKeySet }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return {
    signer: new PersonAssertionSigner({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }),
    publicKeys: { keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }] },
  };
}
