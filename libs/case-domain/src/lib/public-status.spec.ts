import { foldCase } from '../index';
import { caseClosed, caseReceived, decisionIssued, event, evidenceRequested, jan, reviewStarted } from '../testing/case-fixtures';
import type { CaseEvent } from './case-events';
import { isLanguage, LANGUAGES, PUBLIC_STATUS_CODES, formatDate, privateStatusText, publicStatus, type PublicStatusCode } from './public-status';

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

  it('says in public that evidence was asked for, but not when it is due', () => {
    const status = statusAfter(caseReceived, evidenceRequested);
    expect(status?.text).toEqual({
      en: 'We asked you for more evidence. The request we mailed you says what to send and by when.',
      es: 'Le pedimos más pruebas. La solicitud que le enviamos por correo indica qué debe mandar y para cuándo.',
    });
    expect(JSON.stringify(status)).not.toMatch(/2026|marzo|March/);
  });

  it('says in public which kind of appointment was scheduled, but not when or where', () => {
    const status = statusAfter(caseReceived, scheduled);
    expect(status?.text.en).toBe('We scheduled your biometrics appointment. The date, time and place are on the appointment notice we mailed you.');
    expect(JSON.stringify(status)).not.toMatch(/New York|February|febrero|13:00/);
    expect(status?.step).toBe('received');
  });

  describe('privateStatusText', () => {
    const details = {
      agency: 'USCIS',
      upcomingAppointments: [
        { kind: 'interview' as const, scheduledFor: '2026-03-02T10:00:00-05:00', office: 'NBC' },
        { kind: 'biometrics' as const, scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' },
      ],
      openEvidenceRequests: [{ dueDate: '2026-04-30' }, { dueDate: '2026-03-15' }],
    };
    const publicText = { en: 'public', es: 'público' };

    it('names the earliest appointment, its date and time and the office by name', () => {
      expect(privateStatusText('APPOINTMENT_SCHEDULED', publicText, details)).toEqual({
        en: 'We scheduled your biometrics appointment for February 10, 2026 at 13:00 at the New York City Field Office.',
        es: 'Programamos su cita de datos biométricos para el 10 de febrero de 2026 a las 13:00 en New York City Field Office.',
      });
    });

    it('names the due date of the earliest open evidence request, written out in each language', () => {
      expect(privateStatusText('EVIDENCE_REQUESTED', publicText, details)).toEqual({
        en: 'We asked you for more evidence. We must receive it by March 15, 2026.',
        es: 'Le pedimos más pruebas. Debemos recibirlas a más tardar el 15 de marzo de 2026.',
      });
    });

    it('is the public text for every other status, and when there is no detail to add', () => {
      expect(privateStatusText('CASE_IN_REVIEW', publicText, details)).toBe(publicText);
      expect(privateStatusText('EVIDENCE_REQUESTED', publicText, { ...details, openEvidenceRequests: [] })).toBe(publicText);
      expect(privateStatusText('APPOINTMENT_SCHEDULED', publicText, { ...details, upcomingAppointments: [] })).toBe(publicText);
    });
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
