import { Inject, UseGuards } from '@nestjs/common';
import { Args, ID, Info, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { personStreamId, type AssertedPerson, type HelperGrant as Grant, type HelperInvitations, type HelperRefusal, type PostgresHelperGrants } from '@case-status/identity';
import { normalizeEmailAddress } from '@case-status/notifications';
import { READ_MODEL_QUERIES, type ReadModelQueries } from '@case-status/read-models';
import { ACCESS_AUDIT, type AccessAuditLog } from '../access-audit/access-audit.options';
import { privateDetailsOf } from '../lookup/case-private-details.resolver';
import { calling } from '../notifications/notification-errors';
import { agencyOfReceipt } from '../shared/arguments';
import { LanguageEnum } from '../shared/shared.models';
import { StatusApiError } from '../shared/status-errors';
import { AcceptedInvitation, HelperGrant, HelperGrantState, LinkedCase, SharedCase } from './my-cases.models';
import { HELPER_GRANTS, HELPER_INVITATIONS } from './my-cases.options';
import { projected } from './projected';
import { CurrentPerson, ProofedPersonGuard } from './person.guard';
import { auditPersonReads } from './person-reads';

type Invitations = Pick<HelperInvitations, 'invite' | 'accept' | 'revoke'>;
type Grants = Pick<PostgresHelperGrants, 'grantsOf' | 'grantOf' | 'sharedWith'>;

const REFUSALS: Record<HelperRefusal, [StatusApiError['code'], string, Record<string, unknown>?]> = {
  CASE_NOT_LINKED: ['FORBIDDEN', 'Only the person who linked this case with its access code can share it.', { argument: 'receiptNumber' }],
  ACCESS_UNTIL_NOT_ALLOWED: ['BAD_USER_INPUT', 'accessUntil: access must end in the future and within a year.', { argument: 'accessUntil' }],
  TOO_MANY_HELPERS: ['HELPER_LIMIT_REACHED', 'This case already has 10 helpers invited or with access: revoke one first.'],
  INVITATION_NOT_FOUND: ['NOT_FOUND', 'There is no such invitation. Check that the whole link from the e-mail was used.'],
  INVITATION_REVOKED: ['INVITATION_NOT_ACCEPTED', 'This invitation was taken back by the person who sent it.', { reason: 'REVOKED' }],
  INVITATION_ALREADY_ACCEPTED: ['INVITATION_NOT_ACCEPTED', 'This invitation was already accepted; an invitation can be accepted once.', { reason: 'ALREADY_ACCEPTED' }],
  INVITATION_EXPIRED: ['INVITATION_NOT_ACCEPTED', 'This invitation has expired. Ask the person who sent it for a new one.', { reason: 'EXPIRED' }],
  OWN_INVITATION: ['INVITATION_NOT_ACCEPTED', 'This is an invitation you sent: it is for the person you invited to accept.', { reason: 'OWN_INVITATION' }],
  EMAIL_NOT_VERIFIED: ['INVITATION_NOT_ACCEPTED', 'Your sign-in did not come with a verified e-mail address, so we cannot tell the invitation is yours.', { reason: 'EMAIL_NOT_VERIFIED' }],
  EMAIL_DOES_NOT_MATCH: ['INVITATION_NOT_ACCEPTED', 'This invitation was sent to another e-mail address: sign in with the account of the address it was sent to.', { reason: 'EMAIL_DOES_NOT_MATCH' }],
};

function refused(refusal: HelperRefusal): StatusApiError {
  const [code, message, details] = REFUSALS[refusal];
  return new StatusApiError(code, message, details);
}

function required<T>(value: T | null): T {
  if (value === null) throw new StatusApiError('LINKING_UNAVAILABLE', 'Sharing cases with helpers is not available on this server.');
  return value;
}

const grantView = (grant: Grant): HelperGrant => ({
  invitationId: grant.invitationId,
  receiptNumber: grant.receiptNumber,
  agency: grant.agency,
  emailHint: grant.emailHint,
  invitedAt: grant.invitedAt.toISOString(),
  invitationExpiresAt: grant.invitationExpiresAt.toISOString(),
  accessUntil: grant.accessUntil.toISOString(),
  acceptedAt: grant.acceptedAt?.toISOString() ?? null,
  revokedAt: grant.revokedAt?.toISOString() ?? null,
  state: grant.state as HelperGrantState,
});

/**
 * The applicant's side: the helpers of each linked case, inviting one by e-mail and taking a
 * grant back. Only the person who linked the case can invite (their own stream says so).
 */
@Resolver(() => LinkedCase)
@UseGuards(ProofedPersonGuard)
export class HelpersResolver {
  constructor(
    @Inject(HELPER_INVITATIONS) private readonly invitations: Invitations | null,
    @Inject(HELPER_GRANTS) private readonly grants: Grants | null,
  ) {}

  @ResolveField(() => [HelperGrant], { description: 'The people the signed-in applicant invited to read this case, with where each grant stands; the latest first.' })
  async helpers(@Parent() linked: LinkedCase, @CurrentPerson() person: AssertedPerson): Promise<HelperGrant[]> {
    return (await required(this.grants).grantsOf(personStreamId(person), linked.agency, linked.receiptNumber)).map(grantView);
  }

  @Mutation(() => HelperGrant, {
    description:
      'Invites a helper by e-mail to read one of the signed-in person’s linked cases (with its private details) until accessUntil (at most a year). ' +
      'The e-mail carries a single-use link valid for 7 days; the helper must sign in at IAL2 with that verified address to accept. ' +
      'Only the person who linked the case can invite (FORBIDDEN); at most 10 open grants per case (HELPER_LIMIT_REACHED).',
  })
  async inviteHelper(
    @CurrentPerson() person: AssertedPerson,
    @Args('receiptNumber') receiptNumber: string,
    @Args('email') email: string,
    @Args('accessUntil', { description: 'When the access ends (ISO 8601 date-time with offset, or a date meaning the end of that day in UTC).' }) accessUntil: string,
    @Args('language', { type: () => LanguageEnum, nullable: true, description: 'The language of the invitation e-mail; default EN.' }) language: 'en' | 'es' | null,
  ): Promise<HelperGrant> {
    agencyOfReceipt(receiptNumber);
    const address = await calling(async () => normalizeEmailAddress(email));
    const until = parseAccessUntil(accessUntil);
    const outcome = await required(this.invitations).invite(person, { receiptNumber, email: address, accessUntil: until, language: language ?? 'en' });
    if (!outcome.ok) throw refused(outcome.refusal);
    const grant = await projected(() => required(this.grants).grantOf(personStreamId(person), outcome.value.invitationId));
    if (!grant) throw new StatusApiError('SERVICE_UNAVAILABLE', 'The invitation was sent; it will be listed in a moment.');
    return grantView(grant);
  }

  @Mutation(() => HelperGrant, { description: 'Takes back a grant the signed-in person gave (invited or active): the helper’s access ends at once. Revoking again changes nothing.' })
  async revokeHelper(@CurrentPerson() person: AssertedPerson, @Args('invitationId', { type: () => ID }) invitationId: string): Promise<HelperGrant> {
    if (!/^[0-9a-f-]{36}$/.test(invitationId)) throw refused('INVITATION_NOT_FOUND');
    const outcome = await required(this.invitations).revoke(person, invitationId);
    if (!outcome.ok) throw refused(outcome.refusal);
    const grant = await projected(() => required(this.grants).grantOf(personStreamId(person), invitationId), (shown) => shown.revokedAt !== null);
    if (!grant) throw new StatusApiError('SERVICE_UNAVAILABLE', 'The access was revoked; it will be listed so in a moment.');
    return grantView(grant);
  }
}

/** "Shared with me": the helper's side, accepting an invitation and reading the cases shared with them while their grants last. */
@Resolver(() => SharedCase)
@UseGuards(ProofedPersonGuard)
export class SharedWithMeResolver {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries,
    @Inject(HELPER_INVITATIONS) private readonly invitations: Invitations | null,
    @Inject(HELPER_GRANTS) private readonly grants: Grants | null,
    @Inject(ACCESS_AUDIT) private readonly audit: AccessAuditLog | null,
  ) {}

  @Mutation(() => AcceptedInvitation, {
    description:
      'Accepts, for the signed-in person, the invitation whose e-mail link carried `token`. Refused (INVITATION_NOT_ACCEPTED, with a reason) when it was revoked, already accepted, ' +
      'expired, sent by this same person, or sent to another address than the one the person’s provider verified; NOT_FOUND for a token no invitation has.',
  })
  async acceptHelperInvitation(@CurrentPerson() person: AssertedPerson, @Args('token') token: string): Promise<AcceptedInvitation> {
    const outcome = await required(this.invitations).accept(person, token);
    if (!outcome.ok) throw refused(outcome.refusal);
    const grant = await projected(() => required(this.grants).grantOf(outcome.value.applicantStream, outcome.value.invitationId), (shown) => shown.acceptedAt !== null);
    if (!grant) throw new StatusApiError('SERVICE_UNAVAILABLE', 'The invitation was accepted; the case will be shared with you in a moment.');
    return { invitationId: grant.invitationId, receiptNumber: grant.receiptNumber, agency: grant.agency, accessUntil: grant.accessUntil.toISOString() };
  }

  @Query(() => [SharedCase], { description: 'The cases shared with the signed-in person as a helper, while each grant lasts, with their private details (each read is audited under its grant). People signed in at IAL2 only.' })
  async sharedWithMe(@CurrentPerson() person: AssertedPerson, @Info() info: GraphQLResolveInfo): Promise<SharedCase[]> {
    const grants = await required(this.grants).sharedWith(personStreamId(person));
    const shown = await Promise.all(
      grants.map(async (grant) => {
        const view = await this.queries.caseStatus(grant.receiptNumber);
        const ofAgency = view && view.agency === grant.agency ? view : null;
        return { receiptNumber: grant.receiptNumber, agency: grant.agency, invitationId: grant.invitationId, accessUntil: grant.accessUntil.toISOString(), status: ofAgency, privateDetails: ofAgency ? privateDetailsOf(ofAgency) : null };
      }),
    );
    // Each entry names the grant (the invitation) and how the applicant knows the helper.
    return auditPersonReads(this.audit, info, person, shown, (_shown, index) => ({ grant: 'helper', grantId: grants[index].invitationId, readerName: grants[index].emailHint }));
  }
}

/** An ISO 8601 date-time with offset, or a date (the end of that day, UTC). */
function parseAccessUntil(value: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T23:59:59.999Z`) : /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new StatusApiError('BAD_USER_INPUT', 'accessUntil: give a date (2026-12-31) or a date-time with offset (2026-12-31T17:00:00-05:00).', { argument: 'accessUntil' });
  return date;
}
