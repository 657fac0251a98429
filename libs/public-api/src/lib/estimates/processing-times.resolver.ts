import { Inject } from '@nestjs/common';
import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import type { AgencyConfig } from '@case-status/case-domain';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { checkFormType, checkIntegerInRange, checkOffice, knownAgency, windowDaysOf } from '../shared/arguments';
import { STATUS_API_SETTINGS, type StatusApiSettings } from '../public-api.options';
import { ProcessingTimes } from './estimate.models';

const MAX_WINDOW_MONTHS = 36;

@Resolver(() => ProcessingTimes)
export class ProcessingTimesResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(STATUS_API_SETTINGS) private readonly settings: StatusApiSettings,
  ) {}

  @Query(() => ProcessingTimes, { nullable: true, description: 'How long cases of one form at one office took, over a trailing window of decision dates. Public.' })
  async processingTimes(
    @Args('agency') agencyCode: string,
    @Args('formType') formType: string,
    @Args('office') office: string,
    @Args('windowMonths', { type: () => Int, defaultValue: 6 }) windowMonths: number,
  ): Promise<ProcessingTimes> {
    const agency = knownAgency(agencyCode);
    checkFormType(agency, formType);
    checkOffice(agency, office);
    checkIntegerInRange(windowMonths, 1, MAX_WINDOW_MONTHS, 'windowMonths');
    return processingTimesOf(this.queries, this.settings.clock(), agency, formType, office, windowMonths);
  }
}

/** The published-style figures of one cohort of a known agency, its form type and office already checked. */
export async function processingTimesOf(queries: ReadModelQueries, asOf: Date, agency: AgencyConfig, formType: string, office: string, windowMonths: number): Promise<ProcessingTimes> {
  const view = await queries.processingTimes({ agency: agency.code, formType, office }, { asOf, ...windowDaysOf(asOf, windowMonths) });
  return {
    agency: agency.code,
    formType,
    office,
    windowMonths,
    windowStart: view.windowStart,
    windowEnd: view.windowEnd,
    completedCount: view.completedCount,
    pendingCount: view.pendingCount,
    medianDays: view.medianDays,
    p80Days: view.p80Days,
    p93Days: view.p93Days,
  };
}
