import { Inject } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { checkFormType, knownAgency } from '../shared/arguments';
import { EstimateAccuracyMonth } from './estimate.models';

@Resolver(() => EstimateAccuracyMonth)
export class EstimateAccuracyResolver {
  constructor(@Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries) {}

  @Query(() => [EstimateAccuracyMonth], {
    description: 'How often the dates served for one form of an agency came true, per month they were served in, newest first (at most 24). Public.',
  })
  async estimateAccuracy(@Args('agency') agencyCode: string, @Args('formType') formType: string): Promise<EstimateAccuracyMonth[]> {
    return estimateAccuracyOf(this.queries, agencyCode, formType);
  }
}

/** The published accuracy of a known agency's form, flat as GraphQL and the CSV give it; coded errors for anything else. */
export async function estimateAccuracyOf(queries: ReadModelQueries, agencyCode: string, formType: string): Promise<EstimateAccuracyMonth[]> {
  const agency = knownAgency(agencyCode);
  checkFormType(agency, formType);
  const months = await queries.estimateAccuracy(agency.code, formType);
  return months.map(({ agency: code, formType: form, month, scoredThrough, accuracy }) => ({ agency: code, formType: form, month, scoredThrough, ...accuracy }));
}
