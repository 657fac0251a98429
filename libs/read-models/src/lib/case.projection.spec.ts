import type { CaseEvent, CaseEventBody } from '@case-status/case-domain';
import { caseView, CohortDeltas, contributionOf, daysBetween, foldEvent, initialFold, type CaseFold } from './case.projection';

const at = (day: number) => `2026-01-${String(day).padStart(2, '0')}T09:00:00Z`;
const ev = (body: CaseEventBody, occurredAt: string) => ({ ...body, occurredAt }) as CaseEvent;
const received = ev({ type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber: 'IOE0912345678', formType: 'I-485', office: 'NBC' } }, at(5));
const fold = (events: CaseEvent[]): CaseFold => events.reduce(foldEvent, initialFold());

describe('case projection', () => {
  it('shows nothing before the case is received', () => {
    expect(caseView(initialFold(), -1n)).toBeUndefined();
    expect(contributionOf(initialFold().state)).toBeNull();
  });

  it('lists open evidence requests with when they were requested, and scheduled appointments', () => {
    const view = caseView(
      fold([
        received,
        ev({ type: 'AppointmentScheduled', data: { appointmentId: 'a1', kind: 'biometrics', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' } }, at(6)),
        ev({ type: 'EvidenceRequested', data: { requestId: 'r2', dueDate: '2026-04-01', description: 'x' } }, at(7)),
        ev({ type: 'EvidenceRequested', data: { requestId: 'r1', dueDate: '2026-03-01', description: 'y' } }, at(8)),
        ev({ type: 'EvidenceReceived', data: { requestId: 'r2' } }, at(9)),
      ]),
      4n,
    );
    expect(view?.statusCode).toBe('EVIDENCE_REQUESTED');
    // The due date is a private detail: kept in the view for authorised readers, never in the public text.
    expect(view?.statusText.en).toBe('We asked you for more evidence. The request we mailed you says what to send and by when.');
    expect(view?.openEvidenceRequests).toEqual([{ requestId: 'r1', dueDate: '2026-03-01', requestedAt: at(8) }]);
    expect(view?.upcomingAppointments).toEqual([{ kind: 'biometrics', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' }]);
    expect(view?.revision).toBe('4');
  });

  it('moves lastChangedAt only when the public status changes', () => {
    const reviewed = fold([received, ev({ type: 'CaseReviewStarted', data: {} }, at(9))]);
    expect(caseView(reviewed, 1n)?.lastChangedAt).toBe(at(9));
    const produced = foldEvent(
      foldEvent(foldEvent(reviewed, ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, at(20))), ev({ type: 'DocumentProduced', data: { documentId: 'd1', kind: 'card' } }, at(21))),
      ev({ type: 'DocumentProduced', data: { documentId: 'd2', kind: 'other' } }, at(22)),
    );
    expect(caseView(produced, 4n)).toMatchObject({ statusCode: 'DOCUMENT_PRODUCED', lastChangedAt: at(21) });
  });

  it('keeps the status, its date and the fold free of the hash when an access code is issued', () => {
    const hash = `scrypt$16384$8$1$${'s'.repeat(22)}$${'h'.repeat(43)}`;
    const missed = fold([
      ev({ ...received, data: { ...received.data, accessCodeHash: hash } } as CaseEventBody, at(5)),
      ev({ type: 'AppointmentScheduled', data: { appointmentId: 'a1', kind: 'biometrics', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' } }, at(6)),
      ev({ type: 'AppointmentMissed', data: { appointmentId: 'a1' } }, at(7)),
    ]);
    const issued = foldEvent(missed, ev({ type: 'AccessCodeIssued', data: { accessCodeHash: hash } }, at(8)));
    expect(caseView(issued, 3n)).toMatchObject({ statusCode: 'APPOINTMENT_MISSED', lastChangedAt: at(7) });
    expect(JSON.stringify(issued)).not.toContain('scrypt');
  });

  it('counts a pending case by its receipt date and a decided one by decision date and duration', () => {
    const pending = fold([received]);
    expect(contributionOf(pending.state)).toEqual({ kind: 'pending', cohort: { agency: 'USCIS', formType: 'I-485', office: 'NBC' }, receivedOn: '2026-01-05' });
    const decided = foldEvent(pending, ev({ type: 'DecisionIssued', data: { outcome: 'denied' } }, '2026-03-06T23:30:00-05:00'));
    expect(contributionOf(decided.state)).toEqual({
      kind: 'completed',
      cohort: { agency: 'USCIS', formType: 'I-485', office: 'NBC' },
      decidedOn: '2026-03-06',
      durationDays: 60,
    });
    const reopened = foldEvent(decided, ev({ type: 'CaseReopened', data: { reason: 'motion' } }, at(30)));
    expect(contributionOf(reopened.state)).toMatchObject({ kind: 'pending', receivedOn: '2026-01-05' });
  });

  it('counts a decision dated before its receipt as zero days, not negative', () => {
    expect(daysBetween('2026-01-10T09:00:00Z', '2026-01-08T09:00:00Z')).toBe(0);
  });
});

describe('cohort deltas', () => {
  const cohort = { agency: 'USCIS', formType: 'I-485', office: 'NBC' };

  it('cancels a move to the same contribution', () => {
    const deltas = new CohortDeltas();
    deltas.move({ kind: 'pending', cohort, receivedOn: '2026-01-05' }, { kind: 'pending', cohort, receivedOn: '2026-01-05' });
    expect([...deltas.pending.values()].map((row) => row.delta)).toEqual([0]);
  });

  it('takes a count from the old row and gives it to the new one', () => {
    const deltas = new CohortDeltas();
    deltas.move({ kind: 'pending', cohort, receivedOn: '2026-01-05' }, { kind: 'completed', cohort, decidedOn: '2026-02-01', durationDays: 27 });
    deltas.move(null, { kind: 'completed', cohort, decidedOn: '2026-02-01', durationDays: 27 });
    expect([...deltas.pending.values()]).toEqual([{ cohort, receivedOn: '2026-01-05', delta: -1 }]);
    expect([...deltas.completed.values()]).toEqual([{ cohort, decidedOn: '2026-02-01', durationDays: 27, delta: 2 }]);
  });
});
