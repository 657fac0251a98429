import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { READ_MODEL_QUERIES, type CaseStatusView, type HistoryEntryView, type ReadModelQueries } from '@case-status/read-models';
import { agencyOfReceipt } from './arguments';
import { StatusApiError } from './status-errors';
import { CaseStatus, HistoryEntry, Language } from './status.models';

/** A public lookup by receipt number; throws the coded error the public sees. */
export async function findCase(queries: ReadModelQueries, receiptNumber: string): Promise<CaseStatusView> {
  const agency = agencyOfReceipt(receiptNumber);
  const view = await queries.caseStatus(receiptNumber);
  if (!view) {
    throw new StatusApiError(
      'NOT_FOUND',
      `No ${agency.code} case with receipt number ${receiptNumber} is known here. Check the number on your receipt notice; a case the agency recorded in the last few minutes may not be visible yet.`,
      { argument: 'receiptNumber' },
    );
  }
  return view;
}

@Resolver(() => CaseStatus)
export class CaseStatusResolver {
  constructor(@Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries) {}

  @Query(() => CaseStatus, { nullable: true, description: 'Where a case stands, by its receipt number. Public.' })
  caseStatus(@Args('receiptNumber') receiptNumber: string): Promise<CaseStatusView> {
    return findCase(this.queries, receiptNumber);
  }

  @ResolveField(() => [HistoryEntry], { complexity: ({ childComplexity }) => 10 + childComplexity, description: 'Plain-language history, oldest first.' })
  history(@Parent() status: CaseStatusView): Promise<HistoryEntryView[]> {
    return this.queries.caseHistory(status.receiptNumber);
  }

  @ResolveField(() => String, { description: 'statusText in one language.' })
  text(@Parent() status: CaseStatusView, @Args('language', { type: () => Language, defaultValue: Language.EN }) language: Language): string {
    return status.statusText[language];
  }

  @ResolveField(() => String, { description: 'nextStep in one language.' })
  nextStepText(@Parent() status: CaseStatusView, @Args('language', { type: () => Language, defaultValue: Language.EN }) language: Language): string {
    return status.nextStep[language];
  }
}
