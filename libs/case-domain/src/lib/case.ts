import type { AppointmentKind, CaseEvent, DecisionOutcome, DocumentKind, IsoDate, IsoDateTime, RepresentativeKind } from './case-events';
import { toEpochMillis } from './time';

export type CasePhase = 'not_received' | 'pending' | 'decided' | 'closed';

export type AppointmentStatus = 'scheduled' | 'attended' | 'missed';

export interface Appointment {
  kind: AppointmentKind;
  status: AppointmentStatus;
  scheduledFor: IsoDateTime;
  office: string;
}

export interface EvidenceRequest {
  dueDate: IsoDate;
  description: string;
  status: 'open' | 'received';
}

export interface CaseDocument {
  kind: DocumentKind;
  mailed: boolean;
}

/**
 * What `decide` needs to know about a case, folded from its events. It is not a read model:
 * the public status page has its own projection.
 */
export interface CaseState {
  phase: CasePhase;
  agency: string | null;
  receiptNumber: string | null;
  formType: string | null;
  /** The office that currently has jurisdiction. */
  office: string | null;
  receivedAt: IsoDateTime | null;
  inReview: boolean;
  appointments: Readonly<Record<string, Appointment>>;
  /** Open and answered requests; a decision drops the open ones (they are moot). */
  evidenceRequests: Readonly<Record<string, EvidenceRequest>>;
  decision: { outcome: DecisionOutcome; decidedAt: IsoDateTime } | null;
  documents: Readonly<Record<string, CaseDocument>>;
  /** Representatives of record now, by the agency's id (who they are is the representatives projection's). */
  representatives: Readonly<Record<string, RepresentativeKind>>;
  lastEventAt: IsoDateTime | null;
}

export function initialState(): CaseState {
  return {
    phase: 'not_received',
    agency: null,
    receiptNumber: null,
    formType: null,
    office: null,
    receivedAt: null,
    inReview: false,
    appointments: {},
    evidenceRequests: {},
    decision: null,
    documents: {},
    representatives: {},
    lastEventAt: null,
  };
}

/** The evidence requests still waiting for an answer. */
export function openEvidenceRequests(state: CaseState): Readonly<Record<string, EvidenceRequest>> {
  return Object.fromEntries(Object.entries(state.evidenceRequests).filter(([, request]) => request.status === 'open'));
}

/**
 * Looks up an id in one of the state's records. Ids come from agencies, and a plain index
 * would find `toString` or `__proto__` on every record.
 */
export function entry<T>(entries: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(entries, id) ? entries[id] : undefined;
}

/**
 * Applies one stored event. Stored events were accepted by `decide`, so evolve trusts them;
 * an event that refers to something the state does not know is ignored rather than thrown
 * on, so that one bad historic event cannot make a case unreadable.
 */
export function evolve(state: CaseState, event: CaseEvent): CaseState {
  const next = applyEvent(state, event);
  return { ...next, lastEventAt: later(state.lastEventAt, event.occurredAt) };
}

function applyEvent(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'CaseReceived':
      return {
        ...state,
        phase: 'pending',
        agency: event.data.agency,
        receiptNumber: event.data.receiptNumber,
        formType: event.data.formType,
        office: event.data.office,
        receivedAt: event.occurredAt,
      };
    case 'CaseReviewStarted':
      return { ...state, inReview: true };
    case 'AppointmentScheduled': {
      const { appointmentId, kind, scheduledFor, office } = event.data;
      return { ...state, appointments: { ...state.appointments, [appointmentId]: { kind, status: 'scheduled', scheduledFor, office } } };
    }
    case 'AppointmentRescheduled': {
      const { appointmentId, scheduledFor, office } = event.data;
      return updateAppointment(state, appointmentId, { status: 'scheduled', scheduledFor, office });
    }
    case 'AppointmentAttended':
      return updateAppointment(state, event.data.appointmentId, { status: 'attended' });
    case 'AppointmentMissed':
      return updateAppointment(state, event.data.appointmentId, { status: 'missed' });
    case 'EvidenceRequested': {
      const { requestId, dueDate, description } = event.data;
      return { ...state, evidenceRequests: { ...state.evidenceRequests, [requestId]: { dueDate, description, status: 'open' } } };
    }
    case 'EvidenceReceived': {
      const request = entry(state.evidenceRequests, event.data.requestId);
      if (!request) return state;
      return { ...state, evidenceRequests: { ...state.evidenceRequests, [event.data.requestId]: { ...request, status: 'received' } } };
    }
    case 'CaseTransferred':
      // The new office starts its own review.
      return { ...state, office: event.data.toOffice, inReview: false };
    case 'DecisionIssued':
      return {
        ...state,
        phase: 'decided',
        inReview: false,
        decision: { outcome: event.data.outcome, decidedAt: event.occurredAt },
        appointments: withoutEntries(state.appointments, (appointment) => appointment.status === 'scheduled'),
        evidenceRequests: withoutEntries(state.evidenceRequests, (request) => request.status === 'open'),
      };
    case 'CaseReopened':
      return { ...state, phase: 'pending', decision: null };
    case 'DocumentProduced': {
      const { documentId, kind } = event.data;
      return { ...state, documents: { ...state.documents, [documentId]: { kind, mailed: false } } };
    }
    case 'DocumentMailed': {
      const document = entry(state.documents, event.data.documentId);
      if (!document) return state;
      return { ...state, documents: { ...state.documents, [event.data.documentId]: { ...document, mailed: true } } };
    }
    case 'CaseClosed':
      return { ...state, phase: 'closed' };
    case 'AccessCodeIssued':
      // The code is for linking (access-code.ts), not a step of the lifecycle; the state, which
      // read models keep, never holds its hash.
      return state;
    case 'RepresentativeAppointed':
      return { ...state, representatives: { ...state.representatives, [event.data.representativeId]: event.data.kind } };
    case 'RepresentativeWithdrawn':
      return { ...state, representatives: withoutEntries(state.representatives, (_kind, id) => id === event.data.representativeId) };
    default:
      // Compile-time exhaustiveness check; at run time an event type from a newer taxonomy is ignored.
      event satisfies never;
      return state;
  }
}

function updateAppointment(state: CaseState, appointmentId: string, changes: Partial<Appointment>): CaseState {
  const appointment = entry(state.appointments, appointmentId);
  if (!appointment) return state;
  return { ...state, appointments: { ...state.appointments, [appointmentId]: { ...appointment, ...changes } } };
}

function withoutEntries<T>(entries: Readonly<Record<string, T>>, isDropped: (entry: T, id: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).filter(([id, entry]) => !isDropped(entry, id)));
}

function later(current: IsoDateTime | null, candidate: IsoDateTime): IsoDateTime | null {
  const candidateMillis = toEpochMillis(candidate);
  if (candidateMillis === null) return current;
  if (current === null) return candidate;
  const currentMillis = toEpochMillis(current);
  return currentMillis === null || candidateMillis > currentMillis ? candidate : current;
}
