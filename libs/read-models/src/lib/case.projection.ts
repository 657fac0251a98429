import {
  evolve,
  initialState,
  isPublicStep,
  openEvidenceRequests,
  publicStatus,
  type CaseEvent,
  type CaseState,
  type IsoDate,
  type IsoDateTime,
} from '@case-status/case-domain';
import type { CaseStatusView, CohortKey, OpenEvidenceRequestView, UpcomingAppointmentView } from './read-model.queries';

/**
 * What the projector keeps per case between batches (stored as jsonb in `case_status.fold`):
 * the domain state, folded with the domain's own `evolve`, and the few facts the public view
 * needs that the domain state does not keep.
 */
export interface CaseFold {
  state: CaseState;
  /** Type of the latest event by revision: `publicStatus` tells transient steps apart by it. */
  lastEventType: string | null;
  /** Code and texts of the public status, to notice when it changes. */
  statusKey: string | null;
  /** Business time of the event that last changed the public status. */
  lastChangedAt: IsoDateTime | null;
  /** When each evidence request was made, by request id. */
  evidenceRequestedAt: Record<string, IsoDateTime>;
  /** Business time the current public status code began: when the case reached its step. */
  stepSince?: IsoDateTime | null;
  /** Business time the case was transferred to its current office; null while at the office that received it. */
  officeSince?: IsoDateTime | null;
}

export function initialFold(): CaseFold {
  return { state: initialState(), lastEventType: null, statusKey: null, lastChangedAt: null, evidenceRequestedAt: {}, stepSince: null, officeSince: null };
}

/** The public status code in a fold's `statusKey`, or null before the case is received. */
export function statusCodeOf(fold: CaseFold): string | null {
  return fold.statusKey === null ? null : fold.statusKey.slice(0, fold.statusKey.indexOf('\n'));
}

/** Applies one event, in revision order; business times may run backwards and that is fine here. */
export function foldEvent(fold: CaseFold, event: CaseEvent): CaseFold {
  const state = evolve(fold.state, event);
  const evidenceRequestedAt =
    event.type === 'EvidenceRequested' ? { ...fold.evidenceRequestedAt, [event.data.requestId]: event.occurredAt } : fold.evidenceRequestedAt;
  const lastEventType = isPublicStep(event.type) ? event.type : fold.lastEventType;
  const status = publicStatus(state, { type: (lastEventType ?? event.type) as CaseEvent['type'] });
  const statusKey = status ? `${status.code}\n${status.text.en}\n${status.nextStep.en}` : null;
  const next: CaseFold = {
    state,
    lastEventType,
    statusKey,
    lastChangedAt: statusKey !== fold.statusKey ? event.occurredAt : fold.lastChangedAt,
    evidenceRequestedAt,
    stepSince: fold.stepSince ?? null,
    officeSince: event.type === 'CaseTransferred' ? event.occurredAt : (fold.officeSince ?? null),
  };
  if (statusCodeOf(next) !== statusCodeOf(fold)) next.stepSince = status ? event.occurredAt : null;
  return next;
}

/** A case's public view, or undefined before it is received. */
export function caseView(fold: CaseFold, revision: bigint): CaseStatusView | undefined {
  const { state } = fold;
  const status = publicStatus(state, { type: (fold.lastEventType ?? 'CaseReceived') as CaseEvent['type'] });
  if (!status || !state.agency || !state.receiptNumber || !state.formType || !state.office || !state.receivedAt) return undefined;
  const openRequests: OpenEvidenceRequestView[] = Object.entries(openEvidenceRequests(state))
    .map(([requestId, request]) => ({
      requestId,
      dueDate: request.dueDate,
      requestedAt: Object.hasOwn(fold.evidenceRequestedAt, requestId) ? fold.evidenceRequestedAt[requestId] : state.receivedAt ?? '',
    }))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.requestId.localeCompare(b.requestId));
  const appointments: UpcomingAppointmentView[] = Object.values(state.appointments)
    .filter((appointment) => appointment.status === 'scheduled')
    .map(({ kind, scheduledFor, office }) => ({ kind, scheduledFor, office }))
    .sort((a, b) => Date.parse(a.scheduledFor) - Date.parse(b.scheduledFor));
  return {
    agency: state.agency,
    receiptNumber: state.receiptNumber,
    formType: state.formType,
    office: state.office,
    step: status.step,
    statusCode: status.code,
    statusText: status.text,
    nextStep: status.nextStep,
    receivedAt: state.receivedAt,
    lastChangedAt: fold.lastChangedAt ?? state.receivedAt,
    decision: state.decision,
    openEvidenceRequests: openRequests,
    upcomingAppointments: appointments,
    revision: revision.toString(),
  };
}

/** The one count a case adds to the cohort statistics, or null (not received, or closed undecided). */
export type CohortContribution =
  | { kind: 'pending'; cohort: CohortKey; receivedOn: IsoDate }
  | { kind: 'completed'; cohort: CohortKey; decidedOn: IsoDate; durationDays: number }
  | null;

export function contributionOf(state: CaseState): CohortContribution {
  if (!state.agency || !state.formType || !state.office || !state.receivedAt) return null;
  const cohort = { agency: state.agency, formType: state.formType, office: state.office };
  if (state.decision) {
    return { kind: 'completed', cohort, decidedOn: localDate(state.decision.decidedAt), durationDays: daysBetween(state.receivedAt, state.decision.decidedAt) };
  }
  if (state.phase === 'pending') return { kind: 'pending', cohort, receivedOn: localDate(state.receivedAt) };
  return null;
}

/** The agency's calendar date of a timestamp (in the offset it was sent with). */
export function localDate(dateTime: IsoDateTime): IsoDate {
  return dateTime.slice(0, 10);
}

/**
 * Whole calendar days from receipt to decision, by the agency's local dates. A decision
 * dated before its receipt (a data error upstream) counts as 0 rather than a negative wait.
 */
export function daysBetween(from: IsoDateTime, to: IsoDateTime): number {
  const days = (Date.parse(`${localDate(to)}T00:00:00Z`) - Date.parse(`${localDate(from)}T00:00:00Z`)) / 86_400_000;
  return Math.max(0, Math.round(days));
}

/** Net count changes per cohort row, summed over a batch so each row is written once. */
export class CohortDeltas {
  readonly completed = new Map<string, { cohort: CohortKey; decidedOn: IsoDate; durationDays: number; delta: number }>();
  readonly pending = new Map<string, { cohort: CohortKey; receivedOn: IsoDate; delta: number }>();

  /** Moves a case's count from its old contribution to its new one; equal contributions cancel out. */
  move(before: CohortContribution, after: CohortContribution): void {
    this.add(before, -1);
    this.add(after, 1);
  }

  private add(contribution: CohortContribution, sign: number): void {
    if (!contribution) return;
    const { agency, formType, office } = contribution.cohort;
    if (contribution.kind === 'completed') {
      const key = JSON.stringify([agency, formType, office, contribution.decidedOn, contribution.durationDays]);
      const row = this.completed.get(key) ?? { cohort: contribution.cohort, decidedOn: contribution.decidedOn, durationDays: contribution.durationDays, delta: 0 };
      row.delta += sign;
      this.completed.set(key, row);
    } else {
      const key = JSON.stringify([agency, formType, office, contribution.receivedOn]);
      const row = this.pending.get(key) ?? { cohort: contribution.cohort, receivedOn: contribution.receivedOn, delta: 0 };
      row.delta += sign;
      this.pending.set(key, row);
    }
  }
}
