import { Inject, UseGuards } from '@nestjs/common';
import { Args, Query, Resolver } from '@nestjs/graphql';
import type { AgencyPrincipal } from '@case-status/agency-auth';
import type { AccessEntry } from '@case-status/identity';
import { CaseworkerGuard, CurrentCaseworker } from '../caseworker/caseworker.guard';
import { agencyOfReceipt } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';
import { ACCESS_AUDIT, type AccessAuditLog } from './access-audit.options';
import { AccessAuditEntry, AccessGrantKind, AUDIT_PAGE_ARGUMENT, MAX_AUDIT_PAGE } from './access-audit.models';

/** The access audit of the caseworker's own agency: who read which case's private details. */
@Resolver(() => AccessAuditEntry)
@UseGuards(CaseworkerGuard)
export class AccessAuditResolver {
  constructor(@Inject(ACCESS_AUDIT) private readonly audit: AccessAuditLog | null) {}

  @Query(() => [AccessAuditEntry], { description: 'Reads of private case details at the caseworker’s agency, newest first; optionally of one case. Caseworkers only.' })
  async accessAudit(
    @CurrentCaseworker() caseworker: AgencyPrincipal,
    @Args('receiptNumber', { type: () => String, nullable: true }) receiptNumber: string | null,
    @Args('first', AUDIT_PAGE_ARGUMENT) first: number | null,
    @Args('before', { type: () => String, nullable: true, description: 'An entry id: the page of older entries.' }) before: string | null,
  ): Promise<AccessAuditEntry[]> {
    const agency = caseworker.agency.code;
    if (receiptNumber != null && agencyOfReceipt(receiptNumber).code !== agency) {
      throw new StatusApiError('FORBIDDEN', `A ${agency} caseworker may only read the audit of ${agency} cases.`, { argument: 'receiptNumber' });
    }
    const size = first ?? 50;
    if (!Number.isInteger(size) || size < 1 || size > MAX_AUDIT_PAGE) throw new StatusApiError('BAD_USER_INPUT', `first: between 1 and ${MAX_AUDIT_PAGE}.`, { argument: 'first' });
    if (before != null && !/^\d{1,18}$/.test(before)) throw new StatusApiError('BAD_USER_INPUT', 'before: the id of an entry of a previous page.', { argument: 'before' });
    if (!this.audit) throw new StatusApiError('AUDIT_UNAVAILABLE', 'This server keeps no access audit.');
    const entries = await this.audit.ofAgency(agency, { first: size, ...(receiptNumber != null && { receiptNumber }), ...(before != null && { before }) });
    return entries.map(shownToCaseworkers);
  }
}

function shownToCaseworkers(entry: AccessEntry): AccessAuditEntry {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    receiptNumber: entry.receiptNumber,
    grant: entry.grant as AccessGrantKind,
    readerIssuer: 'issuer' in entry.reader ? entry.reader.issuer : null,
    readerAgency: 'agency' in entry.reader ? entry.reader.agency : null,
    readerSubject: entry.reader.subject,
    representativeName: entry.grant === 'representative' ? (entry.readerName ?? null) : null,
    invitationId: entry.grantId ?? null,
    fields: [...entry.fields],
  };
}
