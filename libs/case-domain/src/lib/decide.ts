import { isKnownFormType, isKnownOffice, validateReceiptNumber, type AgencyConfig } from './agency';
import { entry, type CasePhase, type CaseState } from './case';
import { APPOINTMENT_KINDS, DECISION_OUTCOMES, DOCUMENT_KINDS, REPRESENTATIVE_KINDS, type CaseEvent, type DocumentMailed, type RepresentativeIdentity } from './case-events';
import { parseAccessCodeHash } from './access-code';
import { EVENT_FOR_COMMAND, type CaseCommand, type CaseCommandType } from './commands';
import { domainError, type DomainError, type DomainErrorCode } from './errors';
import { isIsoDate, isIsoDateTime, localDateOf, toEpochMillis } from './time';

export type DecideResult = { ok: true; events: CaseEvent[] } | { ok: false; error: DomainError };

/**
 * The lifecycle phases in which each command may be applied. Everything else about a
 * command (ids, offices, dates) is checked by the command's own rule below.
 */
const COMMAND_PHASES: Readonly<Record<CaseCommandType, readonly CasePhase[]>> = {
  ReceiveCase: ['not_received'],
  StartReview: ['pending'],
  ScheduleAppointment: ['pending'],
  RescheduleAppointment: ['pending'],
  RecordAppointmentAttended: ['pending'],
  RecordAppointmentMissed: ['pending'],
  RequestEvidence: ['pending'],
  RecordEvidenceReceived: ['pending'],
  TransferCase: ['pending'],
  IssueDecision: ['pending'],
  ReopenCase: ['decided', 'closed'],
  ProduceDocument: ['pending', 'decided'],
  MailDocument: ['pending', 'decided'],
  CloseCase: ['decided'],
  IssueAccessCode: ['pending', 'decided', 'closed'],
  // A representative may be appointed while the case can still change (a reopening first for a
  // closed one), and withdrawn at any time, which ends their access to a closed case too.
  AppointRepresentative: ['pending', 'decided'],
  WithdrawRepresentative: ['pending', 'decided', 'closed'],
};

/**
 * Decides which events a command produces for a case, or why it is refused. Pure: time and
 * the agency's configuration come in with the command. Checks run in a fixed order so an
 * agency always gets the same answer for the same input: occurredAt, agency, lifecycle
 * phase, chronological order, then the command's own data.
 */
export function decide(command: CaseCommand, state: CaseState): DecideResult {
  const refusal =
    checkOccurredAt(command) ?? checkAgency(command, state) ?? checkPhase(command.type, state);
  if (refusal) return refuse(refusal);
  return decideCommand(command, state);
}

function checkOccurredAt(command: CaseCommand): DomainError | null {
  if (!isIsoDateTime(command.occurredAt)) {
    return domainError(
      'INVALID_DATE',
      `occurredAt ${describe(command.occurredAt)} is not an ISO 8601 timestamp with seconds and an offset, such as 2026-03-01T14:00:00Z.`,
      '/occurredAt',
    );
  }
  return null;
}

function checkAgency(command: CaseCommand, state: CaseState): DomainError | null {
  if (state.agency !== null && state.agency !== command.agency.code) {
    return domainError('AGENCY_MISMATCH', `This case belongs to ${state.agency}; ${command.agency.code} cannot record events on it.`);
  }
  return null;
}

function checkPhase(type: CaseCommandType, state: CaseState): DomainError | null {
  if (!Object.hasOwn(COMMAND_PHASES, type)) return domainError('UNKNOWN_COMMAND', `"${String(type)}" is not a command this platform knows.`, '/type');
  if (COMMAND_PHASES[type].includes(state.phase)) return null;
  // Agencies submit events, not commands, so refusals speak of the event they sent.
  const event = EVENT_FOR_COMMAND[type];
  switch (state.phase) {
    case 'not_received':
      return domainError('CASE_NOT_RECEIVED', `The case has not been received yet, so ${event} cannot be recorded; record CaseReceived first.`);
    case 'closed':
      return domainError('CASE_CLOSED', `The case is closed, so ${event} cannot be recorded; a closed case can only be reopened (CaseReopened).`);
    case 'pending':
      return type === 'ReceiveCase'
        ? domainError('CASE_ALREADY_RECEIVED', 'The case has already been received; a receipt number is received once.')
        : domainError('CASE_NOT_DECIDED', `The case has no decision yet, so ${event} cannot be recorded; record DecisionIssued first.`);
    case 'decided':
      return type === 'ReceiveCase'
        ? domainError('CASE_ALREADY_RECEIVED', 'The case has already been received (and decided); a receipt number is received once.')
        : domainError('CASE_ALREADY_DECIDED', `The case has been decided, so ${event} cannot be recorded; reopen the case (CaseReopened) first.`);
  }
}

function decideCommand(command: CaseCommand, state: CaseState): DecideResult {
  const { occurredAt, agency } = command;

  switch (command.type) {
    case 'ReceiveCase': {
      const { receiptNumber, formType, office, accessCodeHash } = command.data;
      const receiptProblem = validateReceiptNumber(agency, receiptNumber);
      if (receiptProblem) return reject('INVALID_RECEIPT_NUMBER', receiptProblem, '/data/receiptNumber');
      if (!isKnownFormType(agency, formType)) {
        return reject('UNKNOWN_FORM_TYPE', `${describe(formType)} is not a form ${agency.code} adjudicates; known forms: ${codes(agency.formTypes)}.`, '/data/formType');
      }
      if (!isKnownOffice(agency, office)) return unknownOffice(agency, office, '/data/office');
      if (accessCodeHash === undefined) return accept({ type: 'CaseReceived', occurredAt, data: { agency: agency.code, receiptNumber, formType, office } });
      const hashProblem = checkAccessCodeHash(accessCodeHash);
      if (hashProblem) return refuse(hashProblem);
      return accept({ type: 'CaseReceived', occurredAt, data: { agency: agency.code, receiptNumber, formType, office, accessCodeHash } });
    }

    case 'StartReview':
      if (state.inReview) return reject('ALREADY_IN_REVIEW', 'The case is already in review; a review starts once per office and after each reopening.');
      return accept({ type: 'CaseReviewStarted', occurredAt, data: {} });

    case 'ScheduleAppointment': {
      const { appointmentId, kind, scheduledFor, office } = command.data;
      if (!isNonEmpty(appointmentId)) return emptyValue('appointmentId');
      if (entry(state.appointments, appointmentId)) {
        return reject('DUPLICATE_APPOINTMENT', `Appointment "${appointmentId}" already exists on this case; use AppointmentRescheduled to change it.`, '/data/appointmentId');
      }
      if (!isOneOf(APPOINTMENT_KINDS, kind)) return notOneOf('kind', kind, APPOINTMENT_KINDS);
      const timeProblem = checkAppointmentTime(scheduledFor, occurredAt);
      if (timeProblem) return refuse(timeProblem);
      if (!isKnownOffice(agency, office)) return unknownOffice(agency, office, '/data/office');
      return accept({ type: 'AppointmentScheduled', occurredAt, data: { appointmentId, kind, scheduledFor, office } });
    }

    case 'RescheduleAppointment': {
      const { appointmentId, scheduledFor } = command.data;
      const appointment = entry(state.appointments, appointmentId);
      if (!appointment) return unknownAppointment(appointmentId);
      if (appointment.status === 'attended') {
        return reject('APPOINTMENT_ALREADY_ATTENDED', `Appointment "${appointmentId}" was attended, so it cannot be rescheduled; schedule a new appointment instead.`, '/data/appointmentId');
      }
      const timeProblem = checkAppointmentTime(scheduledFor, occurredAt);
      if (timeProblem) return refuse(timeProblem);
      const office = command.data.office ?? appointment.office;
      if (!isKnownOffice(agency, office)) return unknownOffice(agency, office, '/data/office');
      if (appointment.status === 'scheduled' && toEpochMillis(scheduledFor) === toEpochMillis(appointment.scheduledFor) && office === appointment.office) {
        return reject('NOTHING_TO_CHANGE', `Appointment "${appointmentId}" is already scheduled for ${appointment.scheduledFor} at ${office}.`, '/data/scheduledFor');
      }
      return accept({
        type: 'AppointmentRescheduled',
        occurredAt,
        data: { appointmentId, scheduledFor, previouslyScheduledFor: appointment.scheduledFor, office },
      });
    }

    case 'RecordAppointmentAttended':
    case 'RecordAppointmentMissed': {
      const { appointmentId } = command.data;
      const appointment = entry(state.appointments, appointmentId);
      if (!appointment) return unknownAppointment(appointmentId);
      if (appointment.status === 'attended') {
        return reject('APPOINTMENT_ALREADY_ATTENDED', `Appointment "${appointmentId}" was already recorded as attended.`, '/data/appointmentId');
      }
      if (appointment.status === 'missed') {
        return reject('APPOINTMENT_NOT_SCHEDULED', `Appointment "${appointmentId}" was recorded as missed; reschedule it before recording its outcome again.`, '/data/appointmentId');
      }
      return command.type === 'RecordAppointmentAttended'
        ? accept({ type: 'AppointmentAttended', occurredAt, data: { appointmentId } })
        : accept({ type: 'AppointmentMissed', occurredAt, data: { appointmentId } });
    }

    case 'RequestEvidence': {
      const { requestId, dueDate, description } = command.data;
      if (!isNonEmpty(requestId)) return emptyValue('requestId');
      if (entry(state.evidenceRequests, requestId)) {
        return reject('DUPLICATE_EVIDENCE_REQUEST', `Evidence request "${requestId}" already exists on this case; each request needs its own id.`, '/data/requestId');
      }
      if (!isNonEmpty(description)) return emptyValue('description');
      if (!isIsoDate(dueDate)) return reject('INVALID_DATE', `dueDate ${describe(dueDate)} is not a calendar date such as 2026-12-31.`, '/data/dueDate');
      if (dueDate < localDateOf(occurredAt)) {
        return reject('DUE_DATE_IN_PAST', `dueDate ${dueDate} is before the day the evidence was requested (${localDateOf(occurredAt)}); nobody could meet it.`, '/data/dueDate');
      }
      return accept({ type: 'EvidenceRequested', occurredAt, data: { requestId, dueDate, description } });
    }

    case 'RecordEvidenceReceived': {
      const { requestId } = command.data;
      const request = entry(state.evidenceRequests, requestId);
      if (!request) {
        return reject('UNKNOWN_EVIDENCE_REQUEST', `There is no open evidence request "${requestId}" on this case (a decision closes any open requests).`, '/data/requestId');
      }
      if (request.status === 'received') {
        return reject('EVIDENCE_ALREADY_RECEIVED', `The evidence for request "${requestId}" was already recorded as received.`, '/data/requestId');
      }
      return accept({ type: 'EvidenceReceived', occurredAt, data: { requestId } });
    }

    case 'TransferCase': {
      const { toOffice } = command.data;
      if (!isKnownOffice(agency, toOffice)) return unknownOffice(agency, toOffice, '/data/toOffice');
      const fromOffice = state.office ?? '';
      if (toOffice === fromOffice) return reject('NOTHING_TO_CHANGE', `The case is already at ${toOffice}; a transfer must name a different office.`, '/data/toOffice');
      return accept({ type: 'CaseTransferred', occurredAt, data: { fromOffice, toOffice } });
    }

    case 'IssueDecision': {
      const { outcome } = command.data;
      if (!isOneOf(DECISION_OUTCOMES, outcome)) return notOneOf('outcome', outcome, DECISION_OUTCOMES);
      return accept({ type: 'DecisionIssued', occurredAt, data: { outcome } });
    }

    case 'ReopenCase': {
      const { reason } = command.data;
      if (!isNonEmpty(reason)) return emptyValue('reason');
      return accept({ type: 'CaseReopened', occurredAt, data: { reason } });
    }

    case 'ProduceDocument': {
      const { documentId, kind } = command.data;
      if (!isNonEmpty(documentId)) return emptyValue('documentId');
      if (entry(state.documents, documentId)) {
        return reject('DUPLICATE_DOCUMENT', `Document "${documentId}" was already produced for this case; each document needs its own id.`, '/data/documentId');
      }
      if (!isOneOf(DOCUMENT_KINDS, kind)) return notOneOf('kind', kind, DOCUMENT_KINDS);
      return accept({ type: 'DocumentProduced', occurredAt, data: { documentId, kind } });
    }

    case 'MailDocument': {
      const { documentId, trackingNumber } = command.data;
      const document = entry(state.documents, documentId);
      if (!document) return reject('UNKNOWN_DOCUMENT', `There is no document "${documentId}" on this case; record DocumentProduced first.`, '/data/documentId');
      if (document.mailed) return reject('DOCUMENT_ALREADY_MAILED', `Document "${documentId}" was already mailed.`, '/data/documentId');
      if (trackingNumber !== undefined && !isNonEmpty(trackingNumber)) return emptyValue('trackingNumber');
      const data: DocumentMailed['data'] = trackingNumber === undefined ? { documentId } : { documentId, trackingNumber };
      return accept({ type: 'DocumentMailed', occurredAt, data });
    }

    case 'CloseCase':
      return accept({ type: 'CaseClosed', occurredAt, data: {} });

    case 'IssueAccessCode': {
      const { accessCodeHash } = command.data;
      const hashProblem = checkAccessCodeHash(accessCodeHash);
      if (hashProblem) return refuse(hashProblem);
      return accept({ type: 'AccessCodeIssued', occurredAt, data: { accessCodeHash } });
    }

    case 'AppointRepresentative': {
      const { representativeId, name, kind, identity, effectiveFrom } = command.data;
      if (!isNonEmpty(representativeId)) return emptyValue('representativeId');
      if (entry(state.representatives, representativeId)) {
        return reject('DUPLICATE_REPRESENTATIVE', `Representative "${representativeId}" is already of record on this case; withdraw them first to appoint them again.`, '/data/representativeId');
      }
      if (!isNonEmpty(name)) return emptyValue('name');
      if (!isOneOf(REPRESENTATIVE_KINDS, kind)) return notOneOf('kind', kind, REPRESENTATIVE_KINDS);
      const identityProblem = checkRepresentativeIdentity(identity);
      if (identityProblem) return refuse(identityProblem);
      if (!isIsoDate(effectiveFrom)) return reject('INVALID_DATE', `effectiveFrom ${describe(effectiveFrom)} is not a calendar date such as 2026-03-01.`, '/data/effectiveFrom');
      return accept({ type: 'RepresentativeAppointed', occurredAt, data: { representativeId, name: name.trim(), kind, identity: normalizedIdentity(identity), effectiveFrom } });
    }

    case 'WithdrawRepresentative': {
      const { representativeId } = command.data;
      if (!entry(state.representatives, representativeId)) {
        return reject('UNKNOWN_REPRESENTATIVE', `There is no representative "${representativeId}" of record on this case; record RepresentativeAppointed first.`, '/data/representativeId');
      }
      return accept({ type: 'RepresentativeWithdrawn', occurredAt, data: { representativeId } });
    }

    default:
      return rejectUnknownCommand(command);
  }
}

function checkAppointmentTime(scheduledFor: string, occurredAt: string): DomainError | null {
  const when = isIsoDateTime(scheduledFor) ? toEpochMillis(scheduledFor) : null;
  if (when === null) {
    return domainError('INVALID_DATE', `scheduledFor ${describe(scheduledFor)} is not an ISO 8601 timestamp with seconds and an offset, such as 2026-03-01T14:00:00Z.`, '/data/scheduledFor');
  }
  if (when < (toEpochMillis(occurredAt) ?? when)) {
    return domainError('APPOINTMENT_IN_PAST', `scheduledFor ${scheduledFor} is before the moment it was scheduled (${occurredAt}); an appointment must be in the future.`, '/data/scheduledFor');
  }
  return null;
}

/** A provider's subject with its issuer, or an e-mail address: what the representative signs in as. */
function checkRepresentativeIdentity(identity: unknown): DomainError | null {
  const value = (typeof identity === 'object' && identity !== null ? identity : {}) as Record<string, unknown>;
  if ('email' in value) {
    return typeof value['email'] === 'string' && /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(value['email'].trim())
      ? null
      : domainError('INVALID_VALUE', 'identity.email is not an e-mail address (the value is not repeated: it may be one, mistyped).', '/data/identity/email');
  }
  if (!isNonEmpty(value['issuer'])) return domainError('INVALID_VALUE', 'identity needs an identity provider issuer and subject, or an e-mail address.', '/data/identity/issuer');
  if (!isNonEmpty(value['subject'])) return domainError('INVALID_VALUE', 'identity needs the subject the identity provider gives the representative.', '/data/identity/subject');
  return null;
}

/** E-mail addresses compare without case, as the providers' verified addresses are matched. */
function normalizedIdentity(identity: RepresentativeIdentity): RepresentativeIdentity {
  return 'email' in identity ? { email: identity.email.trim().toLowerCase() } : { issuer: identity.issuer, subject: identity.subject };
}

function checkAccessCodeHash(value: unknown): DomainError | null {
  const parsed = parseAccessCodeHash(value);
  return parsed.ok ? null : domainError('INVALID_VALUE', parsed.problem, '/data/accessCodeHash');
}

// Compile-time exhaustiveness check; at run time an unknown command type is refused.
function rejectUnknownCommand(command: never): DecideResult {
  const type = (command as { type?: unknown }).type;
  return reject('UNKNOWN_COMMAND', `"${String(type)}" is not a command this platform knows.`, '/type');
}

function accept(event: CaseEvent): DecideResult {
  return { ok: true, events: [event] };
}

function refuse(error: DomainError): DecideResult {
  return { ok: false, error };
}

function reject(code: DomainErrorCode, message: string, field?: string): DecideResult {
  return refuse(domainError(code, message, field));
}

function unknownOffice(agency: AgencyConfig, office: unknown, field: string): DecideResult {
  return reject('UNKNOWN_OFFICE', `${describe(office)} is not a ${agency.code} office; known offices: ${codes(agency.offices)}.`, field);
}

function unknownAppointment(appointmentId: string): DecideResult {
  return reject('UNKNOWN_APPOINTMENT', `There is no appointment "${appointmentId}" on this case (a decision cancels any still-scheduled appointments).`, '/data/appointmentId');
}

function emptyValue(name: string): DecideResult {
  return reject('INVALID_VALUE', `${name} is required and must be a non-empty string.`, `/data/${name}`);
}

function notOneOf(name: string, value: unknown, allowed: readonly string[]): DecideResult {
  return reject('INVALID_VALUE', `${name} ${describe(value)} is not one of: ${allowed.join(', ')}.`, `/data/${name}`);
}

function isNonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

function isOneOf<T extends string>(allowed: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}

function codes(entries: readonly { code: string }[]): string {
  return entries.map((known) => known.code).join(', ');
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
