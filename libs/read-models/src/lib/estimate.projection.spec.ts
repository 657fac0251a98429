import type { CaseEvent, CaseEventBody } from '@case-status/case-domain';
import { foldEvent, initialFold, type CaseFold } from './case.projection';
import { EstimateDeltas, estimateCountsOf, stepGapOf } from './estimate.projection';

const ev = (body: CaseEventBody, occurredAt: string) => ({ ...body, occurredAt }) as CaseEvent;
const received = ev({ type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber: 'IOE0912345678', formType: 'I-485', office: 'NBC' } }, '2026-01-05T09:00:00Z');
const fold = (events: CaseEvent[]): CaseFold => events.reduce(foldEvent, initialFold());

describe('estimate counts of a case', () => {
  it('keeps the step date and the last change when an appointment is only rescheduled: the public status does not name its time', () => {
    const scheduled = fold([
      received,
      ev({ type: 'AppointmentScheduled', data: { appointmentId: 'a', kind: 'biometrics', scheduledFor: '2026-02-01T09:00:00Z', office: 'NYC' } }, '2026-01-08T09:00:00Z'),
    ]);
    const rescheduled = foldEvent(scheduled, ev({ type: 'AppointmentRescheduled', data: { appointmentId: 'a', scheduledFor: '2026-02-09T09:00:00Z', previouslyScheduledFor: '2026-02-01T09:00:00Z', office: 'NYC' } }, '2026-01-20T09:00:00Z'));
    expect(rescheduled.lastChangedAt).toBe('2026-01-08T09:00:00Z');
    expect(rescheduled.stepSince).toBe('2026-01-08T09:00:00Z');
    expect(stepGapOf(scheduled, rescheduled)).toBeNull();
  });

  it('counts the gap to the cohort the case was in when it left the step', () => {
    const before = fold([received]);
    const after = foldEvent(before, ev({ type: 'CaseTransferred', data: { fromOffice: 'NBC', toOffice: 'CSC' } }, '2026-02-04T09:00:00Z'));
    expect(stepGapOf(before, after)).toEqual({ table: 'estimate_step_gaps', key: ['USCIS', 'I-485', 'NBC', 'CASE_RECEIVED', 30] });
    expect(estimateCountsOf(after)).toEqual([{ table: 'estimate_pending', key: ['USCIS', 'I-485', 'CSC', '2026-01-05', '2026-02-04'] }]);
  });

  it('never lets a case enter its office before its receipt or after its decision', () => {
    const early = fold([received, ev({ type: 'CaseTransferred', data: { fromOffice: 'NBC', toOffice: 'CSC' } }, '2025-12-20T09:00:00Z')]);
    expect(estimateCountsOf(early)[0].key[4]).toBe('2026-01-05');
    const decided = fold([
      received,
      ev({ type: 'CaseTransferred', data: { fromOffice: 'NBC', toOffice: 'CSC' } }, '2026-03-01T09:00:00Z'),
      ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, '2026-02-10T09:00:00Z'),
    ]);
    expect(estimateCountsOf(decided)).toEqual([
      { table: 'estimate_decided', key: ['USCIS', 'I-485', 'CSC', '2026-02-10', 36, 36] },
      { table: 'estimate_durations', key: ['USCIS', 'I-485', 'CSC', 36, 36] },
      { table: 'estimate_decided_received', key: ['USCIS', 'I-485', 'CSC', '2026-01-05'] },
    ]);
  });

  it('counts nothing for a case closed without a decision', () => {
    expect(estimateCountsOf(fold([received, ev({ type: 'CaseClosed', data: {} }, '2026-02-01T09:00:00Z')]))).toEqual([]);
    expect(estimateCountsOf(initialFold())).toEqual([]);
  });
});

describe('estimate deltas', () => {
  it('cancel a case whose counts did not change, and move the ones that did', () => {
    const pending = estimateCountsOf(fold([received]));
    const decided = estimateCountsOf(fold([received, ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, '2026-02-04T09:00:00Z')]));
    const deltas = new EstimateDeltas();
    deltas.move(pending, pending);
    expect(deltas.changes('estimate_pending')).toEqual([]);
    deltas.move(pending, decided);
    expect(deltas.changes('estimate_pending')).toEqual([{ key: pending[0].key, delta: -1 }]);
    expect(deltas.changes('estimate_durations')).toEqual([{ key: ['USCIS', 'I-485', 'NBC', 30, 0], delta: 1 }]);
  });
});
