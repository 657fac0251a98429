/**
 * The shared case lifecycle taxonomy. Every agency maps its own adjudication events onto
 * these past-tense facts, so the public sees the same kinds of steps everywhere.
 *
 * Bump TAXONOMY_VERSION when an event type is added; a change to an existing event's shape
 * keeps the old type and adds an upcaster instead.
 */
export const TAXONOMY_VERSION = '1.2';

/** ISO 8601 calendar date, e.g. `2026-12-31`. */
export type IsoDate = string;
/** ISO 8601 timestamp with offset, e.g. `2026-11-24T15:04:05Z`. */
export type IsoDateTime = string;

export const APPOINTMENT_KINDS = ['biometrics', 'interview'] as const;
export type AppointmentKind = (typeof APPOINTMENT_KINDS)[number];

export const DECISION_OUTCOMES = ['approved', 'denied', 'withdrawn', 'administratively_closed'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export const DOCUMENT_KINDS = ['receipt_notice', 'appointment_notice', 'evidence_request_notice', 'decision_notice', 'card', 'certificate', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const REPRESENTATIVE_KINDS = ['attorney', 'accredited_representative'] as const;
export type RepresentativeKind = (typeof REPRESENTATIVE_KINDS)[number];

/**
 * How a representative of record is recognised when they sign in: the subject their identity
 * provider gives them, or an e-mail address the provider says it verified.
 */
export type RepresentativeIdentity = { issuer: string; subject: string } | { email: string };

export interface CaseReceived {
  type: 'CaseReceived';
  /** `accessCodeHash`: the receipt notice's online access code, hashed (access-code.ts); optional, and never shown to anyone. */
  data: { agency: string; receiptNumber: string; formType: string; office: string; accessCodeHash?: string };
}
export interface CaseReviewStarted {
  type: 'CaseReviewStarted';
  data: Record<string, never>;
}
export interface AppointmentScheduled {
  type: 'AppointmentScheduled';
  data: { appointmentId: string; kind: AppointmentKind; scheduledFor: IsoDateTime; office: string };
}
export interface AppointmentRescheduled {
  type: 'AppointmentRescheduled';
  data: { appointmentId: string; scheduledFor: IsoDateTime; previouslyScheduledFor: IsoDateTime; office: string };
}
export interface AppointmentAttended {
  type: 'AppointmentAttended';
  data: { appointmentId: string };
}
export interface AppointmentMissed {
  type: 'AppointmentMissed';
  data: { appointmentId: string };
}
export interface EvidenceRequested {
  type: 'EvidenceRequested';
  data: { requestId: string; dueDate: IsoDate; description: string };
}
export interface EvidenceReceived {
  type: 'EvidenceReceived';
  data: { requestId: string };
}
export interface CaseTransferred {
  type: 'CaseTransferred';
  data: { fromOffice: string; toOffice: string };
}
export interface DecisionIssued {
  type: 'DecisionIssued';
  data: { outcome: DecisionOutcome };
}
export interface CaseReopened {
  type: 'CaseReopened';
  data: { reason: string };
}
export interface DocumentProduced {
  type: 'DocumentProduced';
  data: { documentId: string; kind: DocumentKind };
}
export interface DocumentMailed {
  type: 'DocumentMailed';
  data: { documentId: string; trackingNumber?: string };
}
/** A new online access code for a case already on file, replacing any earlier one (which stops linking). */
export interface AccessCodeIssued {
  type: 'AccessCodeIssued';
  data: { accessCodeHash: string };
}
/**
 * A representative of record (an attorney or accredited representative, as on a G-28) for the
 * applicant, from `effectiveFrom`. It gives them the case's private view; it changes no public status.
 */
export interface RepresentativeAppointed {
  type: 'RepresentativeAppointed';
  data: { representativeId: string; name: string; kind: RepresentativeKind; identity: RepresentativeIdentity; effectiveFrom: IsoDate };
}
/** The representative is no longer of record: their access ends. */
export interface RepresentativeWithdrawn {
  type: 'RepresentativeWithdrawn';
  data: { representativeId: string };
}
export interface CaseClosed {
  type: 'CaseClosed';
  data: Record<string, never>;
}

export type CaseEventBody =
  | CaseReceived
  | CaseReviewStarted
  | AppointmentScheduled
  | AppointmentRescheduled
  | AppointmentAttended
  | AppointmentMissed
  | EvidenceRequested
  | EvidenceReceived
  | CaseTransferred
  | DecisionIssued
  | CaseReopened
  | DocumentProduced
  | DocumentMailed
  | CaseClosed
  | AccessCodeIssued
  | RepresentativeAppointed
  | RepresentativeWithdrawn;

export type CaseEventType = CaseEventBody['type'];

/**
 * A lifecycle event as the domain sees it: the fact, and when it happened in the agency's
 * world (business time, supplied by the agency, which may differ from when it was recorded).
 */
export type CaseEvent = CaseEventBody & { occurredAt: IsoDateTime };

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'CaseReceived',
  'CaseReviewStarted',
  'AppointmentScheduled',
  'AppointmentRescheduled',
  'AppointmentAttended',
  'AppointmentMissed',
  'EvidenceRequested',
  'EvidenceReceived',
  'CaseTransferred',
  'DecisionIssued',
  'CaseReopened',
  'DocumentProduced',
  'DocumentMailed',
  'CaseClosed',
  'AccessCodeIssued',
  'RepresentativeAppointed',
  'RepresentativeWithdrawn',
];
