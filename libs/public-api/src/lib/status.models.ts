import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { APPOINTMENT_KINDS, DECISION_OUTCOMES, LANGUAGES, PUBLIC_STATUS_CODES, PUBLIC_STEPS, type PublicStatusCode } from '@case-status/case-domain';

/**
 * The GraphQL types of the status API. Resolvers return the read models' views as they are;
 * these classes only describe them to the schema, so there is no mapping layer to keep in step.
 * Timestamps are ISO 8601 strings with offset, calendar dates `YYYY-MM-DD`.
 */

/** GraphQL enum values are upper case by convention; the read models use the domain's spelling. */
export function enumOf<T extends string>(values: readonly T[]): Record<string, T> {
  return Object.fromEntries(values.map((value) => [value.toUpperCase(), value]));
}

/** The GraphQL `Language` enum (`EN`, `ES`) over the domain's language codes. */
export const LanguageEnum = enumOf(LANGUAGES);
const CaseStep = enumOf(PUBLIC_STEPS);
export const CaseStatusCode = enumOf(PUBLIC_STATUS_CODES);
const DecisionOutcome = enumOf(DECISION_OUTCOMES);
const AppointmentKind = enumOf(APPOINTMENT_KINDS);

// Nest identifies an enum by the object registered, so each is made once, here.
registerEnumType(LanguageEnum, { name: 'Language', description: 'Languages every public text is available in.' });
registerEnumType(CaseStep, { name: 'CaseStep', description: 'Where the case is in the common lifecycle, as a step indicator shows it.' });
registerEnumType(CaseStatusCode, { name: 'CaseStatusCode', description: 'The public status, the same set for every agency.' });
registerEnumType(DecisionOutcome, { name: 'DecisionOutcome' });
registerEnumType(AppointmentKind, { name: 'AppointmentKind' });

@ObjectType({ description: 'A text in English and Spanish.' })
export class BilingualText {
  @Field() en!: string;
  @Field() es!: string;
}

@ObjectType({ description: 'Evidence the agency asked for and has not received yet.' })
export class EvidenceRequest {
  @Field() requestId!: string;
  @Field({ description: 'Calendar date the evidence is due, YYYY-MM-DD.' }) dueDate!: string;
  @Field({ description: 'When the agency asked (ISO 8601).' }) requestedAt!: string;
}

@ObjectType({ description: 'An appointment that is scheduled and has not happened yet.' })
export class Appointment {
  @Field(() => AppointmentKind) kind!: string;
  @Field({ description: 'Local appointment time (ISO 8601 with offset).' }) scheduledFor!: string;
  @Field({ description: 'Office code where the appointment takes place.' }) office!: string;
}

@ObjectType()
export class Decision {
  @Field(() => DecisionOutcome) outcome!: string;
  @Field({ description: 'When the decision was issued (ISO 8601).' }) decidedAt!: string;
}

@ObjectType({ description: 'One step of the plain-language history of a case.' })
export class HistoryEntry {
  @Field({ description: 'Stable identifier of the recorded event.' }) eventId!: string;
  @Field({ description: 'The lifecycle event behind this entry, e.g. EvidenceRequested.' }) eventType!: string;
  @Field({ description: 'When it happened (ISO 8601).' }) occurredAt!: string;
  @Field(() => CaseStep) step!: string;
  @Field(() => BilingualText) title!: BilingualText;
}

@ObjectType({ description: 'Where a case stands. Contains no personal data.' })
export class CaseStatus {
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field() formType!: string;
  @Field({ description: 'Code of the office handling the case.' }) office!: string;
  @Field(() => CaseStep) step!: string;
  @Field(() => CaseStatusCode) statusCode!: PublicStatusCode;
  @Field(() => BilingualText, { description: 'What has happened, in plain words.' }) statusText!: BilingualText;
  @Field(() => BilingualText, { description: 'What usually happens next, and what the person can do.' }) nextStep!: BilingualText;
  @Field({ description: 'When the agency received the case (ISO 8601).' }) receivedAt!: string;
  @Field({ description: 'When the public status last changed (ISO 8601).' }) lastChangedAt!: string;
  @Field(() => Decision, { nullable: true }) decision!: Decision | null;
  @Field(() => [EvidenceRequest]) openEvidenceRequests!: EvidenceRequest[];
  @Field(() => [Appointment]) upcomingAppointments!: Appointment[];
  @Field({ description: 'Increases with every recorded event of the case; lets a client ignore stale updates.' }) revision!: string;
}

@ObjectType({ description: 'Received-to-decision times of the cases of one cohort decided in a trailing window.' })
export class ProcessingTimes {
  @Field() agency!: string;
  @Field() formType!: string;
  @Field() office!: string;
  @Field(() => Int) windowMonths!: number;
  @Field({ description: 'First day of the window of decision dates, YYYY-MM-DD (inclusive).' }) windowStart!: string;
  @Field({ description: 'Last day of the window, YYYY-MM-DD (inclusive).' }) windowEnd!: string;
  @Field(() => Int, { description: 'Cases decided in the window: how many the figures are based on.' }) completedCount!: number;
  @Field(() => Int, { description: 'Cases of the cohort still pending at the end of the window.' }) pendingCount!: number;
  @Field(() => Float, { nullable: true, description: 'Half of the cases were decided within this many days. Null without decided cases.' })
  medianDays!: number | null;
  @Field(() => Float, { nullable: true, description: '80% of the cases were decided within this many days.' }) p80Days!: number | null;
  @Field(() => Float, { nullable: true, description: '93% of the cases were decided within this many days.' }) p93Days!: number | null;
}

@ObjectType({ description: 'Pending cases by age since receipt.' })
export class BacklogAging {
  @Field(() => Int, { description: '0 to 30 days.' }) upTo30!: number;
  @Field(() => Int, { description: '31 to 90 days.' }) upTo90!: number;
  @Field(() => Int, { description: '91 to 180 days.' }) upTo180!: number;
  @Field(() => Int, { description: '181 to 365 days.' }) upTo365!: number;
  @Field(() => Int, { description: 'More than 365 days.' }) over365!: number;
}

@ObjectType({ description: 'Pending cases of one form type at one office (caseworkers only).' })
export class BacklogRow {
  @Field() agency!: string;
  @Field() formType!: string;
  @Field() office!: string;
  @Field(() => Int) pendingCount!: number;
  @Field(() => BacklogAging) aging!: BacklogAging;
  @Field(() => String, { nullable: true, description: 'Receipt time of the oldest pending case (ISO 8601).' }) oldestReceivedAt!: string | null;
}

@InputType({ description: 'Which cases to list. The agency defaults to, and must be, the caseworker’s own.' })
export class CaseFilter {
  @Field({ nullable: true }) agency?: string;
  @Field({ nullable: true }) formType?: string;
  @Field({ nullable: true }) office?: string;
  @Field(() => CaseStatusCode, { nullable: true }) statusCode?: PublicStatusCode;
  @Field({ nullable: true, description: 'Received at or after: YYYY-MM-DD or ISO 8601 timestamp.' }) receivedFrom?: string;
  @Field({ nullable: true, description: 'Received before: YYYY-MM-DD or ISO 8601 timestamp.' }) receivedTo?: string;
}

@ObjectType()
export class CaseEdge {
  @Field({ description: 'Opaque; pass it as `after` to continue after this case.' }) cursor!: string;
  @Field(() => CaseStatus) node!: CaseStatus;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType({ description: 'A page of cases, oldest receipt first (Relay connection).' })
export class CaseConnection {
  @Field(() => [CaseEdge]) edges!: CaseEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
