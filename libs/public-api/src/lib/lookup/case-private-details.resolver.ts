import { Inject, UseGuards } from '@nestjs/common';
import { Args, Info, Query, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import { privateStatusText } from '@case-status/case-domain';
import { READ_MODEL_QUERIES, type CaseStatusView, type ReadModelQueries } from '@case-status/read-models';
import { ACCESS_AUDIT, type AccessAuditLog } from '../access-audit/access-audit.options';
import { audited, selectedFields } from '../access-audit/private-reads';
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
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(ACCESS_AUDIT) private readonly audit: AccessAuditLog | null,
  ) {}

  @Query(() => CasePrivateDetails, { nullable: true, description: 'The private details of a case. Authorised readers only (today: caseworkers of its agency).' })
  async casePrivateDetails(@CurrentCaseworker() reader: AgencyPrincipal, @Args('receiptNumber') receiptNumber: string, @Info() info: GraphQLResolveInfo): Promise<CasePrivateDetails> {
    const agency = agencyOfReceipt(receiptNumber);
    if (agency.code !== reader.agency.code) {
      throw new StatusApiError('FORBIDDEN', `A ${reader.agency.code} caseworker may only read ${reader.agency.code} cases.`, { argument: 'receiptNumber' });
    }
    const details = privateDetailsOf(await findCase(this.queries, receiptNumber));
    const fields = selectedFields(info).filter((field) => PRIVATE_FIELDS.has(field));
    await audited(this.audit, [{ agency: details.agency, receiptNumber: details.receiptNumber, reader: { agency: reader.agency.code, subject: reader.subject }, grant: 'caseworker', fields }]);
    return details;
  }
}

/** The fields of CasePrivateDetails that hold private data (the receipt number and agency do not). */
export const PRIVATE_FIELDS: ReadonlySet<string> = new Set(['statusText', 'openEvidenceRequests', 'upcomingAppointments']);

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
