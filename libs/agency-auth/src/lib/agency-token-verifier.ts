import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { findAgency, type AgencyConfig } from '@case-status/case-domain';

/** Per agency, the public keys its systems and staff sign tokens with: inline, or a JWKS URL. */
export type AgencyKeys = Record<string, { jwks: JSONWebKeySet } | { jwksUri: string }>;

export const AGENCY_KEYS = Symbol('AGENCY_KEYS');
export const ACCEPTED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export interface AgencyPrincipal {
  agency: AgencyConfig;
  /** Who holds the token (`sub`): an agency system or a caseworker. */
  subject: string;
  /** `scope` claim, space-separated. */
  scopes: ReadonlySet<string>;
  /** `roles` claim, an array of strings (e.g. `caseworker`). */
  roles: ReadonlySet<string>;
}

/** Why a token was not accepted; each edge turns it into its own error shape. */
export class TokenRejected extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TokenRejected';
  }
}

/**
 * Verifies bearer tokens issued by agencies. The token names its agency, and only that
 * agency's keys are tried, so one agency's key can never vouch for another agency.
 */
export class AgencyTokenVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();
  /**
   * Tokens already verified, until they expire: an agency system sends the same token with
   * every request, and checking its signature again each time is most of the cost of a small
   * request. A token is valid until `exp` whether we check it again or not.
   */
  private readonly verified = new Map<string, { principal: AgencyPrincipal; expiresAtMs: number }>();

  constructor(
    keys: AgencyKeys,
    /** The `aud` a token must carry for this edge, e.g. `case-status-intake`. */
    private readonly audience: string,
    private readonly now: () => number = Date.now,
  ) {
    for (const [agency, source] of Object.entries(keys)) {
      this.keySets.set(agency, 'jwks' in source ? createLocalJWKSet(source.jwks) : createRemoteJWKSet(new URL(source.jwksUri)));
    }
  }

  /** Takes the `Authorization` header value. Throws TokenRejected with a plain reason. */
  async verify(authorization: string | undefined): Promise<AgencyPrincipal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new TokenRejected('send an agency token as "Authorization: Bearer <JWT>"');
    const token = match[1];
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > this.now()) return known.principal;
    if (known) this.verified.delete(token);

    let claimedAgency: unknown;
    try {
      claimedAgency = decodeJwt(token)['agency'];
    } catch {
      throw new TokenRejected('the bearer token is not a JWT');
    }
    const agency = typeof claimedAgency === 'string' ? findAgency(claimedAgency) : undefined;
    const keySet = typeof claimedAgency === 'string' ? this.keySets.get(claimedAgency) : undefined;
    if (!agency || !keySet) {
      throw new TokenRejected(`the token's "agency" claim (${JSON.stringify(claimedAgency)}) names no agency known here`);
    }

    try {
      const { payload } = await jwtVerify(token, keySet, {
        audience: this.audience,
        algorithms: ACCEPTED_ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'agency'],
        clockTolerance: 30,
        currentDate: new Date(this.now()),
      });
      const scopes = new Set(typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : []);
      const rolesClaim = payload['roles'];
      const roles = new Set(Array.isArray(rolesClaim) ? rolesClaim.filter((r): r is string => typeof r === 'string') : []);
      const principal = { agency, subject: payload.sub as string, scopes, roles };
      this.remember(token, principal, (payload.exp as number) * 1000);
      return principal;
    } catch (error) {
      throw new TokenRejected(describeTokenError(error));
    }
  }

  private remember(token: string, principal: AgencyPrincipal, expiresAtMs: number): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, expiresAtMs });
  }
}

const MAX_REMEMBERED_TOKENS = 10_000;

function describeTokenError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not acceptable: ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "the token's signature does not match the agency's keys";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "none of the agency's keys matches the token's key id and algorithm";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `the token's signing algorithm is not accepted (use one of ${ACCEPTED_ALGORITHMS.join(', ')})`;
  if (error instanceof joseErrors.JOSEError) return `the token could not be verified: ${error.message}`;
  throw error;
}
