import type { AppointmentKind, CaseEventType, DecisionOutcome, DocumentKind, IsoDate, IsoDateTime, RepresentativeAppointed } from './case-events';
import type { AgencyConfig } from './agency';

/**
 * What an agency system asks the platform to record. Time and agency configuration come in
 * with the command so that `decide` stays pure.
 */
export type CaseCommandBody =
  | { type: 'ReceiveCase'; data: { receiptNumber: string; formType: string; office: string; accessCodeHash?: string } }
  | { type: 'StartReview'; data: Record<string, never> }
  | { type: 'ScheduleAppointment'; data: { appointmentId: string; kind: AppointmentKind; scheduledFor: IsoDateTime; office: string } }
  | { type: 'RescheduleAppointment'; data: { appointmentId: string; scheduledFor: IsoDateTime; office?: string } }
  | { type: 'RecordAppointmentAttended'; data: { appointmentId: string } }
  | { type: 'RecordAppointmentMissed'; data: { appointmentId: string } }
  | { type: 'RequestEvidence'; data: { requestId: string; dueDate: IsoDate; description: string } }
  | { type: 'RecordEvidenceReceived'; data: { requestId: string } }
  | { type: 'TransferCase'; data: { toOffice: string } }
  | { type: 'IssueDecision'; data: { outcome: DecisionOutcome } }
  | { type: 'ReopenCase'; data: { reason: string } }
  | { type: 'ProduceDocument'; data: { documentId: string; kind: DocumentKind } }
  | { type: 'MailDocument'; data: { documentId: string; trackingNumber?: string } }
  | { type: 'CloseCase'; data: Record<string, never> }
  | { type: 'IssueAccessCode'; data: { accessCodeHash: string } }
  | { type: 'AppointRepresentative'; data: RepresentativeAppointed['data'] }
  | { type: 'WithdrawRepresentative'; data: { representativeId: string } };

export type CaseCommandType = CaseCommandBody['type'];

export type CaseCommand = CaseCommandBody & {
  /** When the fact happened in the agency's world. */
  occurredAt: IsoDateTime;
  /** The configuration of the agency that owns the case. */
  agency: AgencyConfig;
};

/**
 * Which command each submitted event type becomes. Agencies submit facts in the taxonomy's
 * vocabulary; the platform decides whether to record them by running the matching command.
 */
export const COMMAND_FOR_EVENT: Readonly<Record<CaseEventType, CaseCommandType>> = {
  CaseReceived: 'ReceiveCase',
  CaseReviewStarted: 'StartReview',
  AppointmentScheduled: 'ScheduleAppointment',
  AppointmentRescheduled: 'RescheduleAppointment',
  AppointmentAttended: 'RecordAppointmentAttended',
  AppointmentMissed: 'RecordAppointmentMissed',
  EvidenceRequested: 'RequestEvidence',
  EvidenceReceived: 'RecordEvidenceReceived',
  CaseTransferred: 'TransferCase',
  DecisionIssued: 'IssueDecision',
  CaseReopened: 'ReopenCase',
  DocumentProduced: 'ProduceDocument',
  DocumentMailed: 'MailDocument',
  CaseClosed: 'CloseCase',
  AccessCodeIssued: 'IssueAccessCode',
  RepresentativeAppointed: 'AppointRepresentative',
  RepresentativeWithdrawn: 'WithdrawRepresentative',
};

/** The event a successful command records; the inverse of COMMAND_FOR_EVENT. */
export const EVENT_FOR_COMMAND: Readonly<Record<CaseCommandType, CaseEventType>> = {
  ReceiveCase: 'CaseReceived',
  StartReview: 'CaseReviewStarted',
  ScheduleAppointment: 'AppointmentScheduled',
  RescheduleAppointment: 'AppointmentRescheduled',
  RecordAppointmentAttended: 'AppointmentAttended',
  RecordAppointmentMissed: 'AppointmentMissed',
  RequestEvidence: 'EvidenceRequested',
  RecordEvidenceReceived: 'EvidenceReceived',
  TransferCase: 'CaseTransferred',
  IssueDecision: 'DecisionIssued',
  ReopenCase: 'CaseReopened',
  ProduceDocument: 'DocumentProduced',
  MailDocument: 'DocumentMailed',
  CloseCase: 'CaseClosed',
  IssueAccessCode: 'AccessCodeIssued',
  AppointRepresentative: 'RepresentativeAppointed',
  WithdrawRepresentative: 'RepresentativeWithdrawn',
};
