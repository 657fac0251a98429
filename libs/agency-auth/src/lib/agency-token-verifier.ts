import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { findAgency, type AgencyConfig } from '@case-status/case-domain';

/**
 * How one agency's tokens are checked: the issuers it signs as, and its public keys (a JWKS
 * inline, or an https URL serving one).
 */
export type AgencyKeySource = ({ jwks: JSONWebKeySet } | { jwksUri: string }) & {
  /** The `iss` values accepted from this agency; a token from any other issuer is refused. */
  issuers: string[];
  /** Tokens issued (`iat`) longer ago than this are refused even before `exp`; default 3600. */
  maxTokenAgeSeconds?: number;
};

/** Per agency code, how its systems' and staff's tokens are checked. */
export type AgencyKeys = Record<string, AgencyKeySource>;

export const AGENCY_KEYS = Symbol('AGENCY_KEYS');
const ACCEPTED_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const DEFAULT_MAX_TOKEN_AGE_SECONDS = 3600;
/** The most an agency may configure: a day-old bearer token is a stolen token's best friend. */
const LONGEST_MAX_TOKEN_AGE_SECONDS = 86_400;
/** Clock skew tolerated between the agency's clock and ours, for `exp`, `nbf` and `iat`. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Fetching a remote key set: jose already refuses redirects (it fetches with
 * `redirect: "manual"` and wants a 200), so a key URL cannot be bounced elsewhere. A slow key
 * server holds the request that triggered the fetch, so give up after 3 s; fetch again at
 * most every 30 s for an unknown key id, and at least every 10 minutes so a revoked key
 * goes away.
 */
const REMOTE_KEY_SET_OPTIONS = { timeoutDuration: 3_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 } as const;

export interface AgencyTokenVerifierOptions {
  /** Refuse loopback key URLs too. Default: `NODE_ENV === 'production'`. */
  production?: boolean;
  now?: () => number;
}

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

interface AgencyVerification {
  keySet: JWTVerifyGetKey;
  issuers: string[];
  maxTokenAgeSeconds: number;
}

/**
 * Verifies bearer tokens issued by agencies. The token names its agency, and only that
 * agency's keys and issuers are accepted, so one agency's key can never vouch for another
 * agency. A bad key configuration fails here, at start-up, naming the agency and setting.
 */
export class AgencyTokenVerifier {
  private readonly agencies = new Map<string, AgencyVerification>();
  /**
   * Tokens already verified, until they expire: an agency system sends the same token with
   * every request, and checking its signature again each time is most of the cost of a small
   * request. A token is valid until `exp` (or its maximum age) whether we check it again or not.
   */
  private readonly verified = new Map<string, { principal: AgencyPrincipal; expiresAtMs: number }>();
  private readonly now: () => number;

  constructor(
    keys: AgencyKeys,
    /** The `aud` a token must carry for this edge, e.g. `case-status-intake`. */
    private readonly audience: string,
    options: AgencyTokenVerifierOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    const production = options.production ?? process.env['NODE_ENV'] === 'production';
    for (const [agency, source] of Object.entries(checkAgencyKeys(keys, production))) {
      this.agencies.set(agency, {
        keySet: 'jwks' in source ? createLocalJWKSet(source.jwks) : createRemoteJWKSet(new URL(source.jwksUri), REMOTE_KEY_SET_OPTIONS),
        issuers: source.issuers,
        maxTokenAgeSeconds: source.maxTokenAgeSeconds ?? DEFAULT_MAX_TOKEN_AGE_SECONDS,
      });
    }
  }

  /** Whether this exact token was verified before and is still valid: no signature check needed. */
  isKnown(authorization: string | undefined): boolean {
    const token = bearerToken(authorization);
    const known = token === undefined ? undefined : this.verified.get(token);
    return known !== undefined && known.expiresAtMs > this.now();
  }

  /** Takes the `Authorization` header value. Throws TokenRejected with a plain reason. */
  async verify(authorization: string | undefined): Promise<AgencyPrincipal> {
    const token = bearerToken(authorization);
    if (token === undefined) throw new TokenRejected('send an agency token as "Authorization: Bearer <JWT>"');
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
    const settings = typeof claimedAgency === 'string' ? this.agencies.get(claimedAgency) : undefined;
    if (!agency || !settings) {
      throw new TokenRejected(`the token's "agency" claim (${JSON.stringify(claimedAgency)}) names no agency known here`);
    }

    try {
      const { payload } = await jwtVerify(token, settings.keySet, {
        audience: this.audience,
        issuer: settings.issuers,
        algorithms: ACCEPTED_ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'iat', 'agency'],
        maxTokenAge: settings.maxTokenAgeSeconds,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(this.now()),
      });
      const scopes = new Set(typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : []);
      const rolesClaim = payload['roles'];
      const roles = new Set(Array.isArray(rolesClaim) ? rolesClaim.filter((r): r is string => typeof r === 'string') : []);
      const principal = { agency, subject: payload.sub as string, scopes, roles };
      const expiresAt = Math.min(payload.exp as number, (payload.iat as number) + settings.maxTokenAgeSeconds);
      this.remember(token, principal, expiresAt * 1000);
      return principal;
    } catch (error) {
      throw new TokenRejected(describeTokenError(error, settings.maxTokenAgeSeconds));
    }
  }

  private remember(token: string, principal: AgencyPrincipal, expiresAtMs: number): void {
    // Oldest first out: a Map iterates in insertion order.
    if (this.verified.size >= MAX_REMEMBERED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, { principal, expiresAtMs });
  }
}

const MAX_REMEMBERED_TOKENS = 10_000;

function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

/**
 * The key configuration as read from a JSON file, checked: every agency names its issuers,
 * and fetches its keys over https only. A loopback key URL (a local identity provider) is
 * allowed outside production.
 */
export function checkAgencyKeys(keys: unknown, production: boolean): AgencyKeys {
  if (!keys || typeof keys !== 'object' || Array.isArray(keys)) throw new Error('agency keys: expected an object of agency codes, each with "issuers" and "jwks" or "jwksUri"');
  for (const [agency, source] of Object.entries(keys as Record<string, unknown>)) {
    const setting = (name: string) => `agency keys: ${agency}.${name}`;
    if (!source || typeof source !== 'object') throw new Error(`agency keys: ${agency} must be an object with "issuers" and "jwks" or "jwksUri"`);
    const s = source as Record<string, unknown>;
    if (!Array.isArray(s['issuers']) || s['issuers'].length === 0 || !s['issuers'].every((i) => typeof i === 'string' && i.length > 0)) {
      throw new Error(`${setting('issuers')} must list the token issuers ("iss") accepted from ${agency}, e.g. ["https://login.${agency.toLowerCase()}.example"]`);
    }
    const maxAge = s['maxTokenAgeSeconds'];
    if (maxAge !== undefined && !(Number.isInteger(maxAge) && (maxAge as number) > 0 && (maxAge as number) <= LONGEST_MAX_TOKEN_AGE_SECONDS)) {
      throw new Error(`${setting('maxTokenAgeSeconds')} must be a whole number of seconds from 1 to ${LONGEST_MAX_TOKEN_AGE_SECONDS}`);
    }
    if ('jwks' in s) {
      const jwks = s['jwks'] as { keys?: unknown } | null;
      if (!jwks || !Array.isArray(jwks.keys)) throw new Error(`${setting('jwks')} must be a JSON Web Key Set ({"keys": [...]})`);
    } else if (typeof s['jwksUri'] === 'string') {
      checkKeyUrl(s['jwksUri'], setting('jwksUri'), production);
    } else {
      throw new Error(`agency keys: ${agency} needs "jwks" (inline keys) or "jwksUri" (an https URL of its keys)`);
    }
  }
  return keys as AgencyKeys;
}

function checkKeyUrl(text: string, setting: string, production: boolean): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${setting} is not a URL`);
  }
  if (url.protocol === 'https:') return;
  const loopback = url.protocol === 'http:' && isLoopback(url.hostname);
  if (loopback && !production) return;
  throw new Error(
    loopback
      ? `${setting} must be an https:// URL in production (NODE_ENV=production); a loopback http:// URL is for development only`
      : `${setting} must be an https:// URL (keys fetched over plain http could be swapped on the way); only a loopback address may use http://, outside production`,
  );
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

function describeTokenError(error: unknown, maxTokenAgeSeconds: number): string {
  if (error instanceof joseErrors.JWTExpired && error.claim === 'iat') {
    return `the token's "iat" claim is too old: tokens are accepted for ${maxTokenAgeSeconds} seconds after they are issued`;
  }
  if (error instanceof joseErrors.JWTExpired) return `the token's "exp" claim has passed: the token has expired`;
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `the token has no "${error.claim}" claim, which is required`;
    if (error.claim === 'iat') return `the token's "iat" claim is in the future: check the issuing system's clock`;
    return `the token's "${error.claim}" claim is not acceptable here (${error.message})`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "the token's signature does not match the agency's keys";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "none of the agency's keys matches the token's key id and algorithm";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `the token's signing algorithm is not accepted (use one of ${ACCEPTED_ALGORITHMS.join(', ')})`;
  if (error instanceof joseErrors.JWKSTimeout) return "the agency's key server did not answer in time; try again";
  if (error instanceof joseErrors.JOSEError) return `the token could not be verified: ${error.message}`;
  // jose passes fetch's own failure on as it is: the key server refused the connection or
  // does not exist. The agency's system can try again; it is no fault of this service.
  if ((error as Error | undefined)?.name === 'TypeError' && (error as Error).message === 'fetch failed') return "the agency's key server could not be reached; try again";
  throw error;
}
