import { Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { PersonAssertionRejected, type AssertedPerson, type PersonAssertionVerifier } from '@case-status/identity';
import { StatusApiError } from '../shared/status-errors';
import { PERSON_ASSERTION_VERIFIER } from './my-cases.options';

interface GraphqlRequestContext {
  req: FastifyRequest;
  person?: AssertedPerson;
}

/**
 * Admits an operation made for a signed-in person whose identity was proofed (IAL2): the
 * website's assertion, verified with its public key. Without "My cases" configured, the
 * fields answer LINKING_UNAVAILABLE.
 */
@Injectable()
export class ProofedPersonGuard implements CanActivate {
  constructor(@Inject(PERSON_ASSERTION_VERIFIER) private readonly verifier: PersonAssertionVerifier | null) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.verifier) throw new StatusApiError('LINKING_UNAVAILABLE', 'Linking cases to accounts is not available on this server.');
    const graphqlContext = GqlExecutionContext.create(context).getContext<GraphqlRequestContext>();
    let person: AssertedPerson;
    try {
      person = await this.verifier.verify(graphqlContext.req.headers.authorization);
    } catch (error) {
      if (error instanceof PersonAssertionRejected) throw new StatusApiError('UNAUTHENTICATED', `Signed-in access needs the website's assertion of who is asking: ${error.message}.`);
      throw error;
    }
    if (person.assuranceLevel < 2) throw new StatusApiError('FORBIDDEN', 'Private case details need an identity proofed at level 2 (IAL2).');
    graphqlContext.person = person;
    return true;
  }
}

/** The person of the operation (after ProofedPersonGuard). */
export const CurrentPerson = createParamDecorator((_data: unknown, context: ExecutionContext): AssertedPerson => {
  const person = GqlExecutionContext.create(context).getContext<GraphqlRequestContext>().person;
  if (!person) throw new Error('CurrentPerson used on a resolver without ProofedPersonGuard');
  return person;
});
