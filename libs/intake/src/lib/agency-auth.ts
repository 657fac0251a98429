import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { AGENCY_KEYS, AgencyTokenVerifier, TokenRejected, type AgencyKeys, type AgencyPrincipal } from '@case-status/agency-auth';
import { IntakeProblem } from './intake-problem';

export { AGENCY_KEYS, type AgencyKeys, type AgencyPrincipal } from '@case-status/agency-auth';

export const INTAKE_AUDIENCE = 'case-status-intake';

export type IntakeScope = 'intake:write' | 'intake:read';

type RequestWithPrincipal = { headers: Record<string, string | string[] | undefined>; principal?: AgencyPrincipal };

/** Verifies the agency system's token (audience `case-status-intake`) before any intake route. */
@Injectable()
export class AgencyAuthGuard implements CanActivate {
  private readonly verifier: AgencyTokenVerifier;

  constructor(@Inject(AGENCY_KEYS) keys: AgencyKeys) {
    this.verifier = new AgencyTokenVerifier(keys, INTAKE_AUDIENCE);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithPrincipal>();
    const header = request.headers['authorization'];
    try {
      request.principal = await this.verifier.verify(Array.isArray(header) ? header[0] : header);
    } catch (error) {
      if (error instanceof TokenRejected) throw new IntakeProblem(401, 'UNAUTHENTICATED', error.reason);
      throw error;
    }
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
