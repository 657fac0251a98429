import { Inject, UseGuards } from '@nestjs/common';
import { Args, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { personStreamId, type AssertedPerson, type CaseLinker, type PostgresCaseLinks } from '@case-status/identity';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { ACCESS_AUDIT, type AccessAuditLog } from '../access-audit/access-audit.options';
import { CaseAccess, AccessGrantKind } from '../access-audit/access-audit.models';
import { privateDetailsOf } from '../lookup/case-private-details.resolver';
import { agencyOfReceipt } from '../shared/arguments';
import { StatusApiError } from '../shared/status-errors';
import { LinkedCase } from './my-cases.models';
import { CASE_LINKER, CASE_LINKS } from './my-cases.options';
import { CurrentPerson, ProofedPersonGuard } from './person.guard';
import { auditPersonReads } from './person-reads';
import { projected } from './projected';

/**
 * "My cases": the person links a case by its online access code and reads every case linked
 * to them, with the private details. Which cases those are is decided here, from the links
 * projection, for the person the website's assertion names; the website never picks a case.
 */
@Resolver(() => LinkedCase)
@UseGuards(ProofedPersonGuard)
export class MyCasesResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(CASE_LINKS) private readonly links: Pick<PostgresCaseLinks, 'linkedCases'>,
    @Inject(CASE_LINKER) private readonly linker: Pick<CaseLinker, 'link' | 'unlink'>,
    @Inject(ACCESS_AUDIT) private readonly audit: AccessAuditLog | null,
  ) {}

  @Query(() => [LinkedCase], { description: 'The cases linked to the signed-in person, with their private details. People signed in at IAL2 only.' })
  async myCases(@CurrentPerson() person: AssertedPerson, @Info() info: GraphQLResolveInfo): Promise<LinkedCase[]> {
    const linked = await this.links.linkedCases(personStreamId(person));
    const cases = await Promise.all(linked.map(async ({ agency, receiptNumber, linkedAt }) => this.linkedCase(agency, receiptNumber, linkedAt)));
    return this.audited(person, info, cases);
  }

  @ResolveField(() => [CaseAccess], { description: 'Who read this case’s private details lately, newest first (at most 20): the access audit, without what was read.' })
  async accessLog(@Parent() linked: LinkedCase, @CurrentPerson() person: AssertedPerson): Promise<CaseAccess[]> {
    if (!this.audit) throw new StatusApiError('AUDIT_UNAVAILABLE', 'This server keeps no access audit.');
    const entries = await this.audit.ofCase(linked.agency, linked.receiptNumber, 20, { issuer: person.issuer, subject: person.subject });
    return entries.map((entry) => ({
      at: entry.at.toISOString(),
      grant: entry.grant as AccessGrantKind,
      byYou: 'issuer' in entry.reader && entry.reader.issuer === person.issuer && entry.reader.subject === person.subject,
      representativeName: entry.grant === 'representative' ? (entry.readerName ?? null) : null,
      caseworkerAgency: 'agency' in entry.reader ? entry.reader.agency : null,
      helperEmailHint: entry.grant === 'helper' ? (entry.readerName ?? null) : null,
      invitationId: entry.grantId ?? null,
      fields: [...entry.fields],
    }));
  }

  @Mutation(() => LinkedCase, {
    description:
      'Links a case to the signed-in person with the online access code of its receipt notice. ' +
      'A wrong code and an unknown receipt number are refused alike (ACCESS_CODE_NOT_ACCEPTED); wrong codes are limited per account and per case (TOO_MANY_ATTEMPTS). ' +
      'A code links one account: the right code already used by another account is ACCESS_CODE_ALREADY_USED until the agency issues a new one. Linking a linked case again answers it again.',
  })
  async linkCase(
    @CurrentPerson() person: AssertedPerson,
    @Args('receiptNumber') receiptNumber: string,
    @Args('accessCode') accessCode: string,
    @Info() info: GraphQLResolveInfo,
  ): Promise<LinkedCase> {
    agencyOfReceipt(receiptNumber);
    if (accessCode.length > 64) throw new StatusApiError('BAD_USER_INPUT', 'accessCode: an online access code has 12 characters (for example K7QM-4TXR-9HPA).', { argument: 'accessCode' });
    const outcome = await this.linker.link(person, receiptNumber, accessCode);
    if (!outcome.ok) {
      if (outcome.reason === 'TOO_MANY_ATTEMPTS') {
        throw new StatusApiError('TOO_MANY_ATTEMPTS', 'Too many codes that did not match: try again later.', { retryAfterSeconds: outcome.retryAfterSeconds }, 429);
      }
      if (outcome.reason === 'CODE_ALREADY_USED') {
        throw new StatusApiError('ACCESS_CODE_ALREADY_USED', 'This access code has already linked the case to another account. If that was not you, ask the agency for a new code.');
      }
      throw new StatusApiError('ACCESS_CODE_NOT_ACCEPTED', 'That receipt number and access code do not match a case we can link. Check both against your receipt notice.');
    }
    const personStream = personStreamId(person);
    // The link once the links projection holds it (else the page says the case will show).
    const linked = await projected(async () => (await this.links.linkedCases(personStream)).find((link) => link.agency === outcome.agency && link.receiptNumber === outcome.receiptNumber));
    const [shown] = await this.audited(person, info, [await this.linkedCase(outcome.agency, outcome.receiptNumber, linked?.linkedAt ?? new Date())]);
    return shown;
  }

  @Mutation(() => Boolean, {
    description:
      'Takes a case off the signed-in person’s My cases (CaseUnlinked in their stream); linking it again needs its access code again. ' +
      'True once the case is off the list; false when it was not linked to them.',
  })
  async unlinkCase(@CurrentPerson() person: AssertedPerson, @Args('receiptNumber') receiptNumber: string): Promise<boolean> {
    agencyOfReceipt(receiptNumber);
    if (!(await this.linker.unlink(person, receiptNumber))) return false;
    // Off the list once the links projection shows it (else the next page may still list it for a moment).
    const personStream = personStreamId(person);
    await projected(async () => ((await this.links.linkedCases(personStream)).some((link) => link.receiptNumber === receiptNumber) ? undefined : true));
    return true;
  }

  /** Records, before they are served, the private details the answer carries: one entry per case. */
  private audited(person: AssertedPerson, info: GraphQLResolveInfo, cases: LinkedCase[]): Promise<LinkedCase[]> {
    return auditPersonReads(this.audit, info, person, cases, () => ({ grant: 'link' }));
  }

  private async linkedCase(agency: string, receiptNumber: string, linkedAt: Date): Promise<LinkedCase> {
    const view = await this.queries.caseStatus(receiptNumber);
    return { agency, receiptNumber, linkedAt: linkedAt.toISOString(), status: view ?? null, privateDetails: view ? privateDetailsOf(view) : null };
  }
}
