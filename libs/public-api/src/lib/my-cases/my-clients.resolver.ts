import { Inject, UseGuards } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import type { AssertedPerson, PostgresRepresentatives } from '@case-status/identity';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { privateDetailsOf } from '../lookup/case-private-details.resolver';
import { ClientCase, RepresentativeKind } from './my-cases.models';
import { REPRESENTATIVES } from './my-cases.options';
import { CurrentPerson, ProofedPersonGuard } from './person.guard';

/**
 * "My clients": the cases the signed-in person is a representative of record on, with the
 * private details. Which cases those are is decided here, from the representatives
 * projection (the agencies' appointments and withdrawals), for the person the website's
 * assertion names: their provider subject, or the e-mail address their provider verified.
 */
@Resolver(() => ClientCase)
@UseGuards(ProofedPersonGuard)
export class MyClientsResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(REPRESENTATIVES) private readonly representatives: Pick<PostgresRepresentatives, 'casesOf'>,
  ) {}

  @Query(() => [ClientCase], { description: 'The cases the signed-in person is a representative of record on today, with their private details. People signed in at IAL2 only.' })
  async myClients(@CurrentPerson() person: AssertedPerson): Promise<ClientCase[]> {
    const cases = await this.representatives.casesOf(person);
    return Promise.all(
      cases.map(async ({ agency, receiptNumber, kind, effectiveFrom }) => {
        const view = await this.queries.caseStatus(receiptNumber);
        return {
          agency,
          receiptNumber,
          representativeKind: kind === 'attorney' ? RepresentativeKind.ATTORNEY : RepresentativeKind.ACCREDITED_REPRESENTATIVE,
          ofRecordSince: effectiveFrom,
          status: view ?? null,
          privateDetails: view ? privateDetailsOf(view) : null,
        };
      }),
    );
  }
}
