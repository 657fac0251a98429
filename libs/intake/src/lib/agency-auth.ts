import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { findAgency, type AgencyConfig } from '@case-status/case-domain';
import { IntakeProblem } from './intake-problem';

/** Per agency, the public keys its systems sign tokens with: inline, or a JWKS URL. */
export type AgencyKeys = Record<string, { jwks: JSONWebKeySet } | { jwksUri: string }>;

export const INTAKE_AUDIENCE = 'case-status-intake';
export const AGENCY_KEYS = Symbol('AGENCY_KEYS');
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

export type IntakeScope = 'intake:write' | 'intake:read';

export interface AgencyPrincipal {
  agency: AgencyConfig;
  /** The agency system that holds the token (`sub`). */
  systemId: string;
  scopes: ReadonlySet<string>;
}

/**
 * Verifies an agency system's bearer token. The token names its agency, and only that
 * agency's keys are tried, so one agency's key can never vouch for another agency.
 */
@Injectable()
export class AgencyAuthenticator {
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(@Inject(AGENCY_KEYS) keys: AgencyKeys) {
    for (const [agency, source] of Object.entries(keys)) {
      this.keySets.set(agency, 'jwks' in source ? createLocalJWKSet(source.jwks) : createRemoteJWKSet(new URL(source.jwksUri)));
    }
  }

  async authenticate(authorization: string | undefined): Promise<AgencyPrincipal> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new IntakeProblem(401, 'UNAUTHENTICATED', 'send an agency token as "Authorization: Bearer <JWT>"');
    const token = match[1];

    let claimedAgency: unknown;
    try {
      claimedAgency = decodeJwt(token)['agency'];
    } catch {
      throw new IntakeProblem(401, 'UNAUTHENTICATED', 'the bearer token is not a JWT');
    }
    const agency = typeof claimedAgency === 'string' ? findAgency(claimedAgency) : undefined;
    const keySet = typeof claimedAgency === 'string' ? this.keySets.get(claimedAgency) : undefined;
    if (!agency || !keySet) {
      throw new IntakeProblem(401, 'UNAUTHENTICATED', `the token's "agency" claim (${JSON.stringify(claimedAgency)}) names no agency known to this intake`);
    }

    try {
      const { payload } = await jwtVerify(token, keySet, {
        audience: INTAKE_AUDIENCE,
        algorithms: ALGORITHMS,
        requiredClaims: ['sub', 'exp', 'agency'],
        clockTolerance: 30,
      });
      const scopes = new Set(typeof payload['scope'] === 'string' ? payload['scope'].split(' ').filter(Boolean) : []);
      return { agency, systemId: payload.sub as string, scopes };
    } catch (error) {
      throw new IntakeProblem(401, 'UNAUTHENTICATED', describeTokenError(error));
    }
  }
}

function describeTokenError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'the token has expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the token's "${error.claim}" claim is not acceptable: ${error.reason}`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "the token's signature does not match the agency's keys";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "none of the agency's keys matches the token's key id and algorithm";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `the token's signing algorithm is not accepted (use one of ${ALGORITHMS.join(', ')})`;
  if (error instanceof joseErrors.JOSEError) return `the token could not be verified: ${error.message}`;
  throw error;
}

type RequestWithPrincipal = { headers: Record<string, string | string[] | undefined>; principal?: AgencyPrincipal };

@Injectable()
export class AgencyAuthGuard implements CanActivate {
  constructor(private readonly authenticator: AgencyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = request.headers['authorization'];
    request.principal = await this.authenticator.authenticate(Array.isArray(header) ? header[0] : header);
    return true;
  }
}

export function principalOf(request: RequestWithPrincipal, scope: IntakeScope): AgencyPrincipal {
  const principal = request.principal;
  if (!principal) throw new IntakeProblem(401, 'UNAUTHENTICATED', 'no agency token was verified for this request');
  if (!principal.scopes.has(scope)) {
    throw new IntakeProblem(403, 'FORBIDDEN', `the token of ${principal.systemId} lacks the "${scope}" scope`);
  }
  return principal;
}
