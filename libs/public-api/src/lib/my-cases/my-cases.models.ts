import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CasePrivateDetails, CaseStatus } from '../lookup/case-status.models';

/** A case as a signed-in person is shown it with its private view (My cases, My clients, Shared with me). */
@ObjectType({ isAbstract: true })
abstract class PrivateCaseView {
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field(() => CaseStatus, { nullable: true, description: 'Its public view; null while the case is not shown yet.' }) status!: CaseStatus | null;
  @Field(() => CasePrivateDetails, { nullable: true, description: 'Its private details; null while the case is not shown yet.' }) privateDetails!: CasePrivateDetails | null;
}

@ObjectType({ description: 'A case the signed-in person linked to their account with its online access code.' })
export class LinkedCase extends PrivateCaseView {
  @Field({ description: 'When the person linked it (ISO 8601).' }) linkedAt!: string;
}

export enum RepresentativeKind {
  ATTORNEY = 'attorney',
  ACCREDITED_REPRESENTATIVE = 'accredited_representative',
}
registerEnumType(RepresentativeKind, { name: 'RepresentativeKind', description: 'How a representative of record is qualified (as on a G-28).' });

@ObjectType({ description: 'A case the signed-in person is a representative of record on, as the agency sent it.' })
export class ClientCase extends PrivateCaseView {
  @Field(() => RepresentativeKind, { description: 'As what the agency has them of record.' }) representativeKind!: RepresentativeKind;
  @Field({ description: 'The first day they are of record (ISO 8601 date).' }) ofRecordSince!: string;
}

export enum HelperGrantState {
  INVITED = 'invited',
  INVITATION_EXPIRED = 'invitation_expired',
  ACTIVE = 'active',
  ENDED = 'ended',
  REVOKED = 'revoked',
}
registerEnumType(HelperGrantState, {
  name: 'HelperGrantState',
  description: 'Where a grant to a helper stands now: invited (not accepted yet), the invitation expired unaccepted, active, ended (its time is up) or revoked.',
});

@ObjectType({ description: 'Read access to one case that its applicant gave a helper by e-mail invitation.' })
export class HelperGrant {
  @Field(() => ID) invitationId!: string;
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field({ description: 'The invited address, partly hidden (first character and domain): the address itself is not kept.' }) emailHint!: string;
  @Field({ description: 'When the invitation was sent (ISO 8601).' }) invitedAt!: string;
  @Field({ description: 'Until when the invitation can be accepted (ISO 8601).' }) invitationExpiresAt!: string;
  @Field({ description: 'When the helper’s access ends (ISO 8601).' }) accessUntil!: string;
  @Field(() => String, { nullable: true, description: 'When the helper accepted (ISO 8601).' }) acceptedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'When the applicant revoked it (ISO 8601).' }) revokedAt!: string | null;
  @Field(() => HelperGrantState) state!: HelperGrantState;
}

@ObjectType({ description: 'A case someone shared with the signed-in person as their helper, while the grant lasts.' })
export class SharedCase extends PrivateCaseView {
  @Field(() => ID, { description: 'The grant (invitation) it is shared under.' }) invitationId!: string;
  @Field({ description: 'When the access ends (ISO 8601).' }) accessUntil!: string;
}

@ObjectType({ description: 'An invitation the signed-in person accepted: the case is in sharedWithMe from now until accessUntil.' })
export class AcceptedInvitation {
  @Field(() => ID) invitationId!: string;
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field({ description: 'When the access ends (ISO 8601).' }) accessUntil!: string;
}
