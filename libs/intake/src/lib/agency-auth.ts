import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AgencyTokenVerifier, TokenRejected, type AgencyPrincipal } from '@case-status/agency-auth';
import { IntakeProblem } from './intake-problem';

export { AGENCY_KEYS, type AgencyKeys, type AgencyPrincipal } from '@case-status/agency-auth';

export const INTAKE_AUDIENCE = 'case-status-intake';
/** The intake's one token verifier, shared by the guard and the rate limit (one cache of verified tokens). */
export const INTAKE_TOKEN_VERIFIER = Symbol('INTAKE_TOKEN_VERIFIER');

export type IntakeScope = 'intake:write' | 'intake:read';

export type RequestWithPrincipal = {
  headers: Record<string, string | string[] | undefined>;
  principal?: AgencyPrincipal;
  /** Set when the token was verified (and refused) before the guard, by the rate limit. */
  tokenRejection?: TokenRejected;
};

export const authorizationOf = (request: RequestWithPrincipal): string | undefined => {
  const header = request.headers['authorization'];
  return Array.isArray(header) ? header[0] : header;
};

/**
 * Verifies the agency system's token (audience `case-status-intake`). Once per request: when
 * the rate limit verified it already, its verdict stands.
 */
export async function authenticate(verifier: AgencyTokenVerifier, request: RequestWithPrincipal): Promise<AgencyPrincipal | undefined> {
  if (request.principal || request.tokenRejection) return request.principal;
  try {
    request.principal = await verifier.verify(authorizationOf(request));
  } catch (error) {
    if (!(error instanceof TokenRejected)) throw error;
    request.tokenRejection = error;
  }
  return request.principal;
}

/** Admits only requests with a valid agency token, before any intake route. */
@Injectable()
export class AgencyAuthGuard implements CanActivate {
  constructor(@Inject(INTAKE_TOKEN_VERIFIER) private readonly verifier: AgencyTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    await authenticate(this.verifier, request);
    if (request.tokenRejection) throw new IntakeProblem(401, 'UNAUTHENTICATED', request.tokenRejection.reason);
    return true;
  }
}

export function principalOf(request: RequestWithPrincipal, scope: IntakeScope): AgencyPrincipal {
  const principal = request.principal;
  if (!principal) throw new IntakeProblem(401, 'UNAUTHENTICATED', 'no agency token was verified for this request');
  if (!principal.scopes.has(scope)) {
    throw new IntakeProblem(403, 'FORBIDDEN', `the token of ${principal.subject} lacks the "${scope}" scope`);
  }
  return principal;
}
