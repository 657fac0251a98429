import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { APPOINTMENT_KINDS, DECISION_OUTCOMES, PUBLIC_STEPS, type PublicStatusCode } from '@case-status/case-domain';
import { BilingualText, CaseStatusCode, enumOf } from '../shared/shared.models';

/**
 * The GraphQL types of a case: its public view (`CaseStatus`, what anyone with the receipt
 * number reads) and its private details (`CasePrivateDetails`, for authorised readers only).
 * Every field reachable from the public view is listed as public in docs/api/graphql.md, and
 * a test walks the schema to keep it so (public-view.e2e-spec.ts).
 */

const CaseStep = enumOf(PUBLIC_STEPS);
const DecisionOutcome = enumOf(DECISION_OUTCOMES);
const AppointmentKind = enumOf(APPOINTMENT_KINDS);

registerEnumType(CaseStep, { name: 'CaseStep', description: 'Where the case is in the common lifecycle, as a step indicator shows it.' });
registerEnumType(DecisionOutcome, { name: 'DecisionOutcome' });
registerEnumType(AppointmentKind, { name: 'AppointmentKind' });

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

@ObjectType({
  description: 'Where a case stands: what anyone with the receipt number may read. No personal data, and nothing that says when or where the person is expected (see CasePrivateDetails).',
})
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
  @Field({ description: 'Increases with every event of the case’s public timeline (events only its applicant and representatives see leave it alone); lets a client ignore stale updates.' }) revision!: string;
}

@ObjectType({
  description:
    'What only the applicant, their representatives of record and helpers they named may read of a case: when and where they are expected, what evidence is due when. Never in the public view.',
})
export class CasePrivateDetails {
  @Field() receiptNumber!: string;
  @Field({ description: 'Agency code, e.g. USCIS.' }) agency!: string;
  @Field(() => BilingualText, { description: 'The status text with the appointment’s date, time and office, or the evidence due date.' }) statusText!: BilingualText;
  @Field(() => [EvidenceRequest]) openEvidenceRequests!: EvidenceRequest[];
  @Field(() => [Appointment]) upcomingAppointments!: Appointment[];
}
