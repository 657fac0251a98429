import { foldCase } from '../index';
import { caseClosed, caseReceived, decisionIssued, event, evidenceRequested, jan, reviewStarted } from '../testing/case-fixtures';
import type { CaseEvent } from './case-events';
import { isLanguage, LANGUAGES, PUBLIC_STATUS_CODES, formatDate, publicStatus, type PublicStatusCode } from './public-status';

const statusAfter = (...events: CaseEvent[]) => publicStatus(foldCase(events), events[events.length - 1]);

const scheduled = event('AppointmentScheduled', { appointmentId: 'bio-1', kind: 'biometrics', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' }, jan(6));
const histories: Record<PublicStatusCode, CaseEvent[]> = {
  CASE_RECEIVED: [caseReceived],
  APPOINTMENT_SCHEDULED: [caseReceived, scheduled],
  APPOINTMENT_MISSED: [caseReceived, scheduled, event('AppointmentMissed', { appointmentId: 'bio-1' }, jan(12))],
  APPOINTMENT_ATTENDED: [caseReceived, scheduled, event('AppointmentAttended', { appointmentId: 'bio-1' }, jan(12))],
  CASE_IN_REVIEW: [caseReceived, reviewStarted],
  CASE_TRANSFERRED: [caseReceived, event('CaseTransferred', { fromOffice: 'NBC', toOffice: 'CHI' }, jan(12))],
  EVIDENCE_REQUESTED: [caseReceived, evidenceRequested],
  EVIDENCE_RECEIVED: [caseReceived, evidenceRequested, event('EvidenceReceived', { requestId: 'rfe-1' }, jan(12))],
  CASE_REOPENED: [caseReceived, decisionIssued, event('CaseReopened', { reason: 'Motion granted' }, jan(12))],
  CASE_APPROVED: [caseReceived, decisionIssued],
  CASE_DENIED: [caseReceived, event('DecisionIssued', { outcome: 'denied' }, jan(10))],
  CASE_WITHDRAWN: [caseReceived, event('DecisionIssued', { outcome: 'withdrawn' }, jan(10))],
  CASE_ADMINISTRATIVELY_CLOSED: [caseReceived, event('DecisionIssued', { outcome: 'administratively_closed' }, jan(10))],
  DOCUMENT_PRODUCED: [caseReceived, decisionIssued, event('DocumentProduced', { documentId: 'n-1', kind: 'decision_notice' }, jan(12))],
  DOCUMENT_MAILED: [
    caseReceived,
    decisionIssued,
    event('DocumentProduced', { documentId: 'n-1', kind: 'decision_notice' }, jan(12)),
    event('DocumentMailed', { documentId: 'n-1' }, jan(13)),
  ],
  CASE_CLOSED: [caseReceived, decisionIssued, caseClosed],
};

describe('public status', () => {
  it('is undefined for a case not yet received', () => {
    expect(publicStatus(foldCase([]), { type: 'CaseReviewStarted' })).toBeUndefined();
  });

  it.each(PUBLIC_STATUS_CODES.map((code) => [code]))('reaches %s from its history, with both languages filled in', (code) => {
    const status = statusAfter(...histories[code]);
    expect(status?.code).toBe(code);
    for (const text of [status?.text, status?.nextStep]) {
      expect(text?.en).toMatch(/\w/);
      expect(text?.es).toMatch(/\w/);
      expect(`${text?.en} ${text?.es}`).not.toMatch(/undefined|null|NaN/);
    }
  });

  it('names the due date of the earliest open evidence request, written out in each language', () => {
    const later = event('EvidenceRequested', { requestId: 'rfe-2', dueDate: '2026-04-30', description: 'Tax returns' }, jan(8));
    const status = statusAfter(caseReceived, later, evidenceRequested);
    expect(status?.text.en).toContain('March 15, 2026');
    expect(status?.text.es).toContain('15 de marzo de 2026');
  });

  it('names the appointment, its date and the office by name', () => {
    const status = statusAfter(caseReceived, scheduled);
    expect(status?.text.en).toBe('We scheduled your biometrics appointment for February 10, 2026 at 13:00 at the New York City Field Office.');
    expect(status?.step).toBe('received');
  });

  it('puts a decided case on the decided step, and a mailed notice on the documents step', () => {
    expect(statusAfter(...histories.CASE_DENIED)?.step).toBe('decided');
    expect(statusAfter(...histories.DOCUMENT_MAILED)?.step).toBe('documents');
  });

  it('keeps a decision as the status when only an earlier notice was produced before it', () => {
    const rfeNotice = event('DocumentProduced', { documentId: 'n-0', kind: 'evidence_request_notice' }, jan(7));
    expect(statusAfter(caseReceived, rfeNotice, decisionIssued)?.code).toBe('CASE_APPROVED');
  });

  it('formats calendar dates without shifting them by a time zone', () => {
    expect(formatDate('2026-12-31')).toEqual({ en: 'December 31, 2026', es: '31 de diciembre de 2026' });
  });
});

describe('language codes', () => {
  it.each(LANGUAGES)('accepts %s', (language) => {
    expect(isLanguage(language)).toBe(true);
  });

  it.each(['EN', 'fr', '', ' en', 'toString', null, undefined, 1])('refuses %j', (value) => {
    expect(isLanguage(value)).toBe(false);
  });
});
