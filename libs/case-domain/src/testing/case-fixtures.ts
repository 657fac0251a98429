import { AGENCIES, type AgencyConfig } from '../lib/agency';
import type { CaseEvent, CaseEventBody, CaseEventType, IsoDateTime } from '../lib/case-events';
import type { CaseCommand, CaseCommandBody, CaseCommandType } from '../lib/commands';

const USCIS = AGENCIES.USCIS;
export const VBA = AGENCIES.VBA;
export const RECEIPT = 'IOE0912345678';

/** 09:00 UTC on the given day of January 2026; histories use one day per event. */
export const jan = (day: number): IsoDateTime => `2026-01-${String(day).padStart(2, '0')}T09:00:00Z`;
/** When commands arrive unless a test says otherwise: after every fixture event. */
export const NOW = '2026-02-01T10:00:00Z';

type EventData<K extends CaseEventType> = Extract<CaseEventBody, { type: K }>['data'];
type CommandData<K extends CaseCommandType> = Extract<CaseCommandBody, { type: K }>['data'];

export function event<K extends CaseEventType>(type: K, data: EventData<K>, occurredAt: IsoDateTime): CaseEvent {
  return { type, data, occurredAt } as CaseEvent;
}

export function command<K extends CaseCommandType>(
  type: K,
  data: CommandData<K>,
  options: { occurredAt?: IsoDateTime; agency?: AgencyConfig } = {},
): CaseCommand {
  return { type, data, occurredAt: options.occurredAt ?? NOW, agency: options.agency ?? USCIS } as CaseCommand;
}

export const caseReceived = event('CaseReceived', { agency: 'USCIS', receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' }, jan(5));
export const biometricsScheduled = event(
  'AppointmentScheduled',
  { appointmentId: 'bio-1', kind: 'biometrics', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' },
  jan(6),
);
export const evidenceRequested = event('EvidenceRequested', { requestId: 'rfe-1', dueDate: '2026-03-15', description: 'Birth certificate' }, jan(7));
const receiptNoticeProduced = event('DocumentProduced', { documentId: 'doc-1', kind: 'receipt_notice' }, jan(8));
export const reviewStarted = event('CaseReviewStarted', {}, jan(9));
export const decisionIssued = event('DecisionIssued', { outcome: 'approved' }, jan(10));
export const caseClosed = event('CaseClosed', {}, jan(11));

/** A received case with one scheduled appointment, one open evidence request and one unmailed document. */
export const PENDING: CaseEvent[] = [caseReceived, biometricsScheduled, evidenceRequested, receiptNoticeProduced];
export const IN_REVIEW: CaseEvent[] = [...PENDING, reviewStarted];
export const DECIDED: CaseEvent[] = [...IN_REVIEW, decisionIssued];
export const CLOSED: CaseEvent[] = [...DECIDED, caseClosed];
