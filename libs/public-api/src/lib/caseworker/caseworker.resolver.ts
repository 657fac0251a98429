import { Inject, UseGuards } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import type { AgencyConfig } from '@case-status/case-domain';
import { READ_MODEL_QUERIES, type AgencyCohortFilter, type BacklogRowView, type CasePage, type ReadModelQueries, type StaleCaseView, type WeeklyFlowView } from '@case-status/read-models';
import { checkDateOrDateTime, checkFormType, checkIntegerInRange, checkOffice, knownAgency } from '../shared/arguments';
import { CaseworkerGuard, CurrentCaseworker } from './caseworker.guard';
import { StatusApiError } from '../shared/status-errors';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';
import { BacklogRow, CaseConnection, CaseFilter, StaleCase, WeeklyFlow } from './caseworker.models';
import { EstimateAccuracyMonth, ProcessingTimes } from '../estimates/estimate.models';
import { processingTimesOf } from '../estimates/processing-times.resolver';
import { estimateAccuracyOf } from '../estimates/estimate-accuracy.resolver';

const DEFAULT_PAGE_SIZE = 20;
const MAX_FLOW_WEEKS = 104;
/** The window of decision dates the console's processing times use, as the public pages do. */
const PROCESSING_TIMES_WINDOW_MONTHS = 6;

/** A caseworker works for one agency and sees that agency's cases only. */
function ownAgency(caseworker: AgencyPrincipal, requested: string | undefined | null, argument: string): AgencyConfig {
  if (requested === undefined || requested === null || requested === caseworker.agency.code) return caseworker.agency;
  knownAgency(requested, argument);
  throw new StatusApiError('FORBIDDEN', `${argument}: a ${caseworker.agency.code} caseworker may only see ${caseworker.agency.code} cases, not ${requested}.`, { argument });
}

@Resolver()
@UseGuards(CaseworkerGuard)
export class CaseworkerResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
  ) {}

  @Query(() => [BacklogRow], { nullable: true, description: 'Pending cases by form type and office, with aging. Caseworkers only.' })
  backlog(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('formType', { nullable: true }) formType?: string,
    @Args('office', { nullable: true }) office?: string,
    @Args('agency', { nullable: true, description: 'Defaults to the caseworker’s agency, the only one allowed.' }) agencyCode?: string,
  ): Promise<BacklogRowView[]> {
    ownAgency(caseworker, agencyCode, 'agency');
    return this.queries.backlog(this.cohortOf(caseworker, formType, office), this.settings.clock());
  }

  @Query(() => [WeeklyFlow], { nullable: true, description: 'Cases received and decided per ISO week, the last `weeks` weeks (up to 104), oldest first. Caseworkers only.' })
  weeklyCaseFlow(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('formType', { nullable: true }) formType?: string,
    @Args('office', { nullable: true }) office?: string,
    @Args('weeks', { type: () => Int, defaultValue: 12 }) weeks = 12,
  ): Promise<WeeklyFlowView[]> {
    checkIntegerInRange(weeks, 1, MAX_FLOW_WEEKS, 'weeks');
    return this.queries.weeklyFlow(this.cohortOf(caseworker, formType, office), weeks, this.settings.clock());
  }

  @Query(() => [StaleCase], {
    nullable: true,
    description: 'Pending cases at their status much longer than cases like them, most unusual first (up to 100). Caseworkers only.',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * (typeof args['first'] === 'number' ? args['first'] : DEFAULT_PAGE_SIZE),
  })
  staleCases(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('formType', { nullable: true }) formType?: string,
    @Args('office', { nullable: true }) office?: string,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_PAGE_SIZE }) first = DEFAULT_PAGE_SIZE,
  ): Promise<StaleCaseView[]> {
    checkIntegerInRange(first, 1, this.settings.maxPageSize, 'first');
    return this.queries.staleCases(this.cohortOf(caseworker, formType, office), first, this.settings.clock());
  }

  @Query(() => [ProcessingTimes], {
    nullable: true,
    description:
      'The published-style processing times of one form of the caseworker’s agency at each of its offices (or one), over the last 6 months of decisions; ask for `curve` and `decisionPace` beside them. Caseworkers only.',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * (typeof args['office'] === 'string' ? 1 : 12),
  })
  async cohortProcessingTimes(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('formType') formType: string,
    @Args('office', { nullable: true }) office?: string,
  ): Promise<ProcessingTimes[]> {
    const { agency } = caseworker;
    checkFormType(agency, formType);
    if (office != null) checkOffice(agency, office);
    const offices = office != null ? [office] : agency.offices.map(({ code }) => code);
    const asOf = this.settings.clock();
    return Promise.all(offices.map((code) => processingTimesOf(this.queries, asOf, agency, formType, code, PROCESSING_TIMES_WINDOW_MONTHS)));
  }

  @Query(() => [EstimateAccuracyMonth], {
    nullable: true,
    description: 'How often the dates served for one form of the caseworker’s agency came true, per month, newest first (at most 24): `estimateAccuracy` for the own agency. Caseworkers only.',
  })
  servedEstimateAccuracy(@CurrentCaseworker() caseworker: AgencyPrincipal, @Args('formType') formType: string): Promise<EstimateAccuracyMonth[]> {
    return estimateAccuracyOf(this.queries, caseworker.agency.code, formType);
  }

  /** The caseworker's own agency, with the form type and office checked against it. */
  private cohortOf(caseworker: AgencyPrincipal, formType: string | undefined | null, office: string | undefined | null): AgencyCohortFilter {
    const agency = caseworker.agency;
    if (formType != null) checkFormType(agency, formType);
    if (office != null) checkOffice(agency, office);
    return { agency: agency.code, ...(formType != null && { formType }), ...(office != null && { office }) };
  }

  @Query(() => CaseConnection, {
    nullable: true,
    description: 'The agency’s cases, oldest receipt first, a page at a time. Caseworkers only.',
    complexity: ({ args, childComplexity }) => 1 + childComplexity * (typeof args['first'] === 'number' ? args['first'] : DEFAULT_PAGE_SIZE),
  })
  cases(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('filter', { type: () => CaseFilter, nullable: true }) filter: CaseFilter | null,
    @Args('first', { type: () => Int, defaultValue: DEFAULT_PAGE_SIZE }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page.' }) after: string | null,
  ): Promise<CasePage> {
    const agency = ownAgency(caseworker, filter?.agency, 'filter.agency');
    if (filter?.formType != null) checkFormType(agency, filter.formType, 'filter.formType');
    if (filter?.office != null) checkOffice(agency, filter.office, 'filter.office');
    if (filter?.receivedFrom != null) checkDateOrDateTime(filter.receivedFrom, 'filter.receivedFrom');
    if (filter?.receivedTo != null) checkDateOrDateTime(filter.receivedTo, 'filter.receivedTo');
    checkIntegerInRange(first, 1, this.settings.maxPageSize, 'first');
    return this.queries.listCases(
      {
        agency: agency.code,
        ...(filter?.formType != null && { formType: filter.formType }),
        ...(filter?.office != null && { office: filter.office }),
        ...(filter?.statusCode != null && { statusCode: filter.statusCode }),
        ...(filter?.pending != null && { pending: filter.pending }),
        ...(filter?.receivedFrom != null && { receivedFrom: filter.receivedFrom }),
        ...(filter?.receivedTo != null && { receivedTo: filter.receivedTo }),
      },
      { first, ...(after != null && { after }) },
    );
  }
}
