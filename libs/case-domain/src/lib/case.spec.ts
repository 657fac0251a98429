import { caseDecider, foldCase } from '../index';
import { CLOSED, command, DECIDED, event, IN_REVIEW, jan, PENDING, RECEIPT } from '../testing/case-fixtures';
import { evolve, initialState, openEvidenceRequests } from './case';
import type { CaseEvent } from './case-events';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('initialState', () => {
  it('is a case not yet received, with nothing on it', () => {
    expect(initialState()).toEqual({
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
    });
  });
});

describe('evolve', () => {
  it('makes a received case pending, with its identity, form and office', () => {
    expect(foldCase(PENDING.slice(0, 1))).toMatchObject({ phase: 'pending', agency: 'USCIS', receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC', receivedAt: jan(5) });
  });

  it('tracks appointments, evidence requests and documents by id', () => {
    const state = foldCase(PENDING);
    expect(state.appointments).toEqual({ 'bio-1': { kind: 'biometrics', status: 'scheduled', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' } });
    expect(state.evidenceRequests).toEqual({ 'rfe-1': { dueDate: '2026-03-15', description: 'Birth certificate', status: 'open' } });
    expect(state.documents).toEqual({ 'doc-1': { kind: 'receipt_notice', mailed: false } });
  });

  it('moves a rescheduled appointment and makes it scheduled again', () => {
    const state = foldCase([
      ...PENDING,
      event('AppointmentMissed', { appointmentId: 'bio-1' }, '2026-02-10T19:00:00Z'),
      event('AppointmentRescheduled', { appointmentId: 'bio-1', scheduledFor: '2026-03-01T09:00:00Z', previouslyScheduledFor: '2026-02-10T13:00:00-05:00', office: 'CHI' }, '2026-02-11T09:00:00Z'),
    ]);
    expect(state.appointments['bio-1']).toEqual({ kind: 'biometrics', status: 'scheduled', scheduledFor: '2026-03-01T09:00:00Z', office: 'CHI' });
  });

  it('marks evidence received and mail sent', () => {
    const state = foldCase([...PENDING, event('EvidenceReceived', { requestId: 'rfe-1' }, jan(20)), event('DocumentMailed', { documentId: 'doc-1' }, jan(21))]);
    expect(state.evidenceRequests['rfe-1'].status).toBe('received');
    expect(openEvidenceRequests(state)).toEqual({});
    expect(state.documents['doc-1'].mailed).toBe(true);
  });

  it('ends the review on transfer, since the new office reviews afresh', () => {
    const state = foldCase([...IN_REVIEW, event('CaseTransferred', { fromOffice: 'NBC', toOffice: 'NYC' }, jan(20))]);
    expect(state).toMatchObject({ office: 'NYC', inReview: false });
  });

  it('records the decision and drops the scheduled appointments and open requests it made moot', () => {
    const attended = event('AppointmentScheduled', { appointmentId: 'int-1', kind: 'interview', scheduledFor: jan(9), office: 'NYC' }, jan(8));
    const state = foldCase([
      ...PENDING,
      attended,
      event('AppointmentAttended', { appointmentId: 'int-1' }, jan(9)),
      event('EvidenceRequested', { requestId: 'rfe-2', dueDate: '2026-02-01', description: 'Tax transcript' }, jan(9)),
      event('EvidenceReceived', { requestId: 'rfe-2' }, jan(9)),
      event('DecisionIssued', { outcome: 'approved' }, jan(10)),
    ]);
    expect(state).toMatchObject({ phase: 'decided', inReview: false, decision: { outcome: 'approved', decidedAt: jan(10) } });
    expect(Object.keys(state.appointments)).toEqual(['int-1']);
    expect(Object.keys(state.evidenceRequests)).toEqual(['rfe-2']);
    expect(state.documents).toHaveProperty('doc-1');
  });

  it('makes a reopened case pending again without its decision', () => {
    const state = foldCase([...CLOSED, event('CaseReopened', { reason: 'Appeal sustained' }, jan(20))]);
    expect(state).toMatchObject({ phase: 'pending', decision: null, inReview: false });
  });

  it('closes a decided case', () => {
    expect(foldCase(CLOSED).phase).toBe('closed');
    expect(foldCase(DECIDED).phase).toBe('decided');
  });

  it('ignores events about ids it does not know instead of throwing', () => {
    const before = foldCase(PENDING);
    const strays: CaseEvent[] = [
      event('AppointmentAttended', { appointmentId: 'nope' }, jan(20)),
      event('EvidenceReceived', { requestId: 'toString' }, jan(20)),
      event('DocumentMailed', { documentId: '__proto__' }, jan(20)),
    ];
    const after = strays.reduce(evolve, before);
    expect(after).toEqual({ ...before, lastEventAt: jan(20) });
  });

  it('ignores an event type from a newer taxonomy', () => {
    const before = foldCase(PENDING);
    const future = { type: 'CaseEscalated', data: {}, occurredAt: jan(20) } as unknown as CaseEvent;
    expect(evolve(before, future)).toEqual({ ...before, lastEventAt: jan(20) });
  });

  it('keeps lastEventAt at the latest instant and ignores unreadable times', () => {
    const state = foldCase(PENDING);
    expect(evolve(state, event('CaseReviewStarted', {}, '2026-01-01T00:00:00Z')).lastEventAt).toBe(jan(8));
    expect(evolve(state, event('CaseReviewStarted', {}, 'garbage')).lastEventAt).toBe(jan(8));
  });

  it('never changes the state it is given', () => {
    const history = [...CLOSED, event('CaseReopened', { reason: 'Appeal sustained' }, jan(20))];
    let state = initialState();
    for (const next of history) {
      const copy = structuredClone(state);
      const after = evolve(deepFreeze(state), next); // a write to frozen state throws in strict mode
      expect(state).toEqual(copy);
      state = after;
    }
    expect(state.phase).toBe('pending');
  });
});

describe('caseDecider', () => {
  it('bundles decide, evolve and initialState for generic command handlers', () => {
    const state = PENDING.reduce(caseDecider.evolve, caseDecider.initialState());
    expect(state).toEqual(foldCase(PENDING));
    expect(caseDecider.decide(command('StartReview', {}, { occurredAt: jan(20) }), state)).toEqual({ ok: true, events: [event('CaseReviewStarted', {}, jan(20))] });
  });
});
