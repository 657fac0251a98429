import { Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { AgencyTokenVerifier, TokenRejected, type AgencyPrincipal } from '@case-status/agency-auth';
import { StatusApiError } from '../shared/status-errors';

/** The `aud` a caseworker token must carry; intake tokens are not accepted here, nor these at intake. */
export const CASEWORKER_AUDIENCE = 'case-status-caseworker';
export const CASEWORKER_ROLE = 'caseworker';
/** An attorney or accredited representative the agency issued a token to: may watch its own cases by webhook. */
const REPRESENTATIVE_ROLE = 'representative';
export const CASEWORKER_TOKEN_VERIFIER = Symbol('CASEWORKER_TOKEN_VERIFIER');

interface GraphqlRequestContext {
  req: FastifyRequest;
  caseworker?: AgencyPrincipal;
}

/**
 * Verifies the agency token of the operation (signed by the key of the agency it names, for
 * this API's audience) and requires one of `roles`. The verified principal is kept on the
 * GraphQL context for the resolver.
 */
async function admit(verifier: AgencyTokenVerifier, context: ExecutionContext, roles: readonly string[]): Promise<true> {
  const graphqlContext = GqlExecutionContext.create(context).getContext<GraphqlRequestContext>();
  let principal: AgencyPrincipal;
  try {
    principal = await verifier.verify(graphqlContext.req.headers.authorization);
  } catch (error) {
    if (error instanceof TokenRejected) {
      throw new StatusApiError('UNAUTHENTICATED', `Caseworker access needs a valid agency token: ${error.reason}.`);
    }
    throw error;
  }
  if (!roles.some((role) => principal.roles.has(role))) {
    const wanted = roles.length === 1 ? `the "${roles[0]}" role` : `one of the roles ${roles.map((r) => `"${r}"`).join(', ')}`;
    throw new StatusApiError('FORBIDDEN', `The token of ${principal.subject} does not carry ${wanted} in its "roles" claim.`);
  }
  graphqlContext.caseworker = principal;
  return true;
}

/** Lets an operation through only with a valid caseworker token with the `caseworker` role. */
@Injectable()
export class CaseworkerGuard implements CanActivate {
  constructor(@Inject(CASEWORKER_TOKEN_VERIFIER) private readonly verifier: AgencyTokenVerifier) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return admit(this.verifier, context, [CASEWORKER_ROLE]);
  }
}

/** Webhook management: agency staff (`caseworker`) or a `representative` the agency issued a token to. */
@Injectable()
export class WebhookOwnerGuard implements CanActivate {
  constructor(@Inject(CASEWORKER_TOKEN_VERIFIER) private readonly verifier: AgencyTokenVerifier) {}

  canActivate(context: ExecutionContext): Promise<boolean> {
    return admit(this.verifier, context, [CASEWORKER_ROLE, REPRESENTATIVE_ROLE]);
  }
}

/** The verified token holder of the operation (after CaseworkerGuard or WebhookOwnerGuard). */
export const CurrentCaseworker = createParamDecorator((_data: unknown, context: ExecutionContext): AgencyPrincipal => {
  const caseworker = GqlExecutionContext.create(context).getContext<GraphqlRequestContext>().caseworker;
  if (!caseworker) throw new Error('CurrentCaseworker used on a resolver without CaseworkerGuard or WebhookOwnerGuard');
  return caseworker;
});
