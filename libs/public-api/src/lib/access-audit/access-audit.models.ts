import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum AccessGrantKind {
  LINK = 'link',
  REPRESENTATIVE = 'representative',
  CASEWORKER = 'caseworker',
  HELPER = 'helper',
}
registerEnumType(AccessGrantKind, {
  name: 'AccessGrant',
  description: 'What admitted a read of private details: a link by access code (My cases), a representative of record (My clients), a caseworker of the agency, or a helper the applicant named (Shared with me).',
});

@ObjectType({ description: 'A read of the case’s private details, as the applicant sees it on My cases: when, by whom, under which grant, which fields (never what they held).' })
export class CaseAccess {
  @Field({ description: 'When (ISO 8601).' }) at!: string;
  @Field(() => AccessGrantKind) grant!: AccessGrantKind;
  @Field({ description: 'Whether the person asking made this read themselves.' }) byYou!: boolean;
  @Field(() => String, { nullable: true, description: 'REPRESENTATIVE: the representative’s name as the agency recorded it.' }) representativeName!: string | null;
  @Field(() => String, { nullable: true, description: 'CASEWORKER: the caseworker’s agency.' }) caseworkerAgency!: string | null;
  @Field(() => String, { nullable: true, description: 'HELPER: the address the helper was invited at, partly hidden (m…@example.org).' }) helperEmailHint!: string | null;
  @Field(() => String, { nullable: true, description: 'HELPER: the invitation (grant) the read was made under.' }) invitationId!: string | null;
  @Field(() => [String], { description: 'Names of the private fields read, e.g. upcomingAppointments.' }) fields!: string[];
}

@ObjectType({ description: 'One read of a case’s private details, for the caseworkers of its agency. Holds no private value.' })
export class AccessAuditEntry {
  @Field(() => ID, { description: 'Pass as `before` for the next (older) page.' }) id!: string;
  @Field({ description: 'When (ISO 8601).' }) at!: string;
  @Field() receiptNumber!: string;
  @Field(() => AccessGrantKind) grant!: AccessGrantKind;
  @Field(() => String, { nullable: true, description: 'A signed-in person: their identity provider.' }) readerIssuer!: string | null;
  @Field(() => String, { nullable: true, description: 'A caseworker: their agency.' }) readerAgency!: string | null;
  @Field({ description: 'The reader’s subject at their identity provider (or agency provider).' }) readerSubject!: string;
  @Field(() => String, { nullable: true, description: 'A representative: their name as the agency recorded it.' }) representativeName!: string | null;
  @Field(() => String, { nullable: true, description: 'A helper: the applicant’s invitation (grant) the read was made under.' }) invitationId!: string | null;
  @Field(() => [String]) fields!: string[];
}

export const MAX_AUDIT_PAGE = 200;
export const AUDIT_PAGE_ARGUMENT = { type: () => Int, nullable: true, description: `Entries per page, 1 to ${MAX_AUDIT_PAGE}; default 50.` } as const;
