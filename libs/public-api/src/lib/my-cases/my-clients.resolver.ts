import { Inject, UseGuards } from '@nestjs/common';
import { Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { AssertedPerson, PostgresRepresentatives } from '@case-status/identity';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { ACCESS_AUDIT, type AccessAuditLog } from '../access-audit/access-audit.options';
import { privateDetailsOf } from '../lookup/case-private-details.resolver';
import { ClientCase, RepresentativeKind } from './my-cases.models';
import { REPRESENTATIVES } from './my-cases.options';
import { CurrentPerson, ProofedPersonGuard } from './person.guard';
import { auditPersonReads } from './person-reads';

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
    @Inject(ACCESS_AUDIT) private readonly audit: AccessAuditLog | null,
  ) {}

  @Query(() => [ClientCase], { description: 'The cases the signed-in person is a representative of record on today, with their private details. People signed in at IAL2 only.' })
  async myClients(@CurrentPerson() person: AssertedPerson, @Info() info: GraphQLResolveInfo): Promise<ClientCase[]> {
    const cases = await this.representatives.casesOf(person);
    const shown = await Promise.all(
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
    // Each entry names the representative as the agency recorded them.
    return auditPersonReads(this.audit, info, person, shown, (_shown, index) => ({ grant: 'representative', readerName: cases[index].name }));
  }
}
