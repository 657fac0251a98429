import { Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { AgencyTokenVerifier, TokenRejected, type AgencyPrincipal } from '@case-status/agency-auth';
import { StatusApiError } from './status-errors';

/** The `aud` a caseworker token must carry; intake tokens are not accepted here, nor these at intake. */
export const CASEWORKER_AUDIENCE = 'case-status-caseworker';
export const CASEWORKER_ROLE = 'caseworker';
export const CASEWORKER_TOKEN_VERIFIER = Symbol('CASEWORKER_TOKEN_VERIFIER');

interface GraphqlRequestContext {
  req: FastifyRequest;
  caseworker?: AgencyPrincipal;
}

/**
 * Lets an operation through only with a valid caseworker token: signed by the key of the
 * agency it names, for this API's audience, with the `caseworker` role. The verified
 * principal is kept on the GraphQL context for the resolver.
 */
@Injectable()
export class CaseworkerGuard implements CanActivate {
  constructor(@Inject(CASEWORKER_TOKEN_VERIFIER) private readonly verifier: AgencyTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const graphqlContext = GqlExecutionContext.create(context).getContext<GraphqlRequestContext>();
    let principal: AgencyPrincipal;
    try {
      principal = await this.verifier.verify(graphqlContext.req.headers.authorization);
    } catch (error) {
      if (error instanceof TokenRejected) {
        throw new StatusApiError('UNAUTHENTICATED', `Caseworker access needs a valid agency token: ${error.reason}.`);
      }
      throw error;
    }
    if (!principal.roles.has(CASEWORKER_ROLE)) {
      throw new StatusApiError('FORBIDDEN', `The token of ${principal.subject} does not carry the "${CASEWORKER_ROLE}" role in its "roles" claim.`);
    }
    graphqlContext.caseworker = principal;
    return true;
  }
}

/** The verified caseworker of the operation (after CaseworkerGuard). */
export const CurrentCaseworker = createParamDecorator((_data: unknown, context: ExecutionContext): AgencyPrincipal => {
  const caseworker = GqlExecutionContext.create(context).getContext<GraphqlRequestContext>().caseworker;
  if (!caseworker) throw new Error('CurrentCaseworker used on a resolver without CaseworkerGuard');
  return caseworker;
});
