import { Inject, UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import { privateStatusText } from '@case-status/case-domain';
import { READ_MODEL_QUERIES, type CaseStatusView, type ReadModelQueries } from '@case-status/read-models';
import { CaseworkerGuard, CurrentCaseworker } from '../caseworker/caseworker.guard';
import { agencyOfReceipt } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';
import { CasePrivateDetails } from './case-status.models';
import { findCase } from './case-status.resolver';

/**
 * The private details of a case, for the people who may read them: here the caseworkers of
 * the case's agency; the applicant reads them through `myCases` (the cases linked to their
 * account); their representatives and the helpers they named come with the grants that admit them.
 * Anyone else is refused before the case is looked up, so a refusal says nothing about
 * whether the case exists.
 */
@Resolver(() => CasePrivateDetails)
@UseGuards(CaseworkerGuard)
export class CasePrivateDetailsResolver {
  constructor(@Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries) {}

  @Query(() => CasePrivateDetails, { nullable: true, description: 'The private details of a case. Authorised readers only (today: caseworkers of its agency).' })
  async casePrivateDetails(@CurrentCaseworker() reader: AgencyPrincipal, @Args('receiptNumber') receiptNumber: string): Promise<CasePrivateDetails> {
    const agency = agencyOfReceipt(receiptNumber);
    if (agency.code !== reader.agency.code) {
      throw new StatusApiError('FORBIDDEN', `A ${reader.agency.code} caseworker may only read ${reader.agency.code} cases.`, { argument: 'receiptNumber' });
    }
    return privateDetailsOf(await findCase(this.queries, receiptNumber));
  }
}

/** A case's private details, from its read model; only for a reader already admitted to the case. */
export function privateDetailsOf(view: CaseStatusView): CasePrivateDetails {
  return {
    receiptNumber: view.receiptNumber,
    agency: view.agency,
    statusText: privateStatusText(view.statusCode, view.statusText, view),
    openEvidenceRequests: view.openEvidenceRequests,
    upcomingAppointments: view.upcomingAppointments,
  };
}
