import type { Language } from '@case-status/case-domain';
import { Inject } from '@nestjs/common';
import { Args, Info, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { READ_MODEL_QUERIES, type CaseLookupView, type CaseStatusView, type HistoryEntryView, type ReadModelQueries } from '@case-status/read-models';
import { agencyOfReceipt } from '../shared/arguments';
import { selectedFieldNames } from './selected-fields';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';
import { StatusApiError } from '../shared/status-errors';
import { LanguageEnum } from '../shared/shared.models';
import { CaseStatus, HistoryEntry } from './case-status.models';

function caseNotFound(agencyCode: string, receiptNumber: string): StatusApiError {
  return new StatusApiError(
    'NOT_FOUND',
    `No ${agencyCode} case with receipt number ${receiptNumber} is known here. Check the number on your receipt notice; a case the agency recorded in the last few minutes may not be visible yet.`,
    { argument: 'receiptNumber' },
  );
}

/** A public lookup by receipt number; throws the coded error the public sees. */
export async function findCase(queries: ReadModelQueries, receiptNumber: string): Promise<CaseStatusView> {
  const agency = agencyOfReceipt(receiptNumber);
  const view = await queries.caseStatus(receiptNumber);
  if (!view) throw caseNotFound(agency.code, receiptNumber);
  return view;
}

/** The parts of a case read together with it for one answer, where the field resolvers below find them. */
const READ_WITH_CASE = Symbol('parts read with the case');
type CaseWithParts = CaseStatusView & { [READ_WITH_CASE]?: Omit<CaseLookupView, 'status'> };

/** What was read with this case for the answer being made (see `caseLookup`); undefined when it was read alone. */
export function partsReadWith(status: CaseStatusView): Omit<CaseLookupView, 'status'> | undefined {
  return (status as CaseWithParts)[READ_WITH_CASE];
}

@Resolver(() => CaseStatus)
export class CaseStatusResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
  ) {}

  /** The history and the estimate, when the query selects them, come in the same read as the case. */
  @Query(() => CaseStatus, { nullable: true, description: 'Where a case stands, by its receipt number. Public.' })
  async caseStatus(@Args('receiptNumber') receiptNumber: string, @Info() info: GraphQLResolveInfo): Promise<CaseStatusView> {
    const agency = agencyOfReceipt(receiptNumber);
    const selected = selectedFieldNames(info);
    const lookup = await this.queries.caseLookup(receiptNumber, {
      history: selected.has('history'),
      ...(selected.has('estimate') && { estimateAsOf: this.settings.clock() }),
    });
    if (!lookup) throw caseNotFound(agency.code, receiptNumber);
    const { status, ...parts } = lookup;
    // A copy: the read side may hand out the same object again.
    const answer: CaseWithParts = { ...status, [READ_WITH_CASE]: parts };
    return answer;
  }

  @ResolveField(() => [HistoryEntry], { complexity: ({ childComplexity }) => 10 + childComplexity, description: 'Plain-language history, oldest first.' })
  async history(@Parent() status: CaseStatusView): Promise<HistoryEntryView[]> {
    return partsReadWith(status)?.history ?? this.queries.caseHistory(status.receiptNumber);
  }

  @ResolveField(() => String, { description: 'statusText in one language.' })
  text(@Parent() status: CaseStatusView, @Args('language', { type: () => LanguageEnum, defaultValue: 'en' }) language: Language): string {
    return status.statusText[language];
  }

  @ResolveField(() => String, { description: 'nextStep in one language.' })
  nextStepText(@Parent() status: CaseStatusView, @Args('language', { type: () => LanguageEnum, defaultValue: 'en' }) language: Language): string {
    return status.nextStep[language];
  }
}
