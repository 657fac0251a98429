import {
  biometricsScheduled,
  caseReceived,
  CLOSED,
  command,
  DECIDED,
  event,
  evidenceRequested,
  IN_REVIEW,
  jan,
  NOW,
  PENDING,
  RECEIPT,
  VBA,
} from '../testing/case-fixtures';
import { given } from '../testing/specification';
import { decide } from './decide';
import { initialState } from './case';
import type { CaseCommand } from './commands';

// Rules that hold whatever the case's state; the per-state rules follow, one describe each.
describe('any command', () => {
  it.each([
    ['a date without a time', '2026-02-01'],
    ['a timestamp without an offset', '2026-02-01T10:00:00'],
    ['a timestamp without seconds', '2026-02-01T10:00Z'],
    ['an impossible calendar date', '2026-02-30T10:00:00Z'],
    ['an hour past 23', '2026-02-01T24:00:00Z'],
    ['free text', 'yesterday'],
  ])('is refused with INVALID_DATE on /occurredAt when occurredAt is %s', (_, occurredAt) => {
    given(...PENDING).when(command('StartReview', {}, { occurredAt })).thenRejects('INVALID_DATE', '/occurredAt');
  });

  it('checks occurredAt before anything else, even on a case that does not exist yet', () => {
    given().when(command('CloseCase', {}, { occurredAt: 'not a date' })).thenRejects('INVALID_DATE', '/occurredAt');
  });

  it('accepts occurredAt with a numeric offset and fractional seconds', () => {
    const occurredAt = '2026-02-01T05:00:00.250-05:00';
    given(...PENDING).when(command('StartReview', {}, { occurredAt })).then(event('CaseReviewStarted', {}, occurredAt));
  });

  it('is refused with AGENCY_MISMATCH when another agency sends it', () => {
    given(...PENDING).when(command('StartReview', {}, { agency: VBA })).thenRejects('AGENCY_MISMATCH');
  });

  it('is accepted when it happened before the case\'s latest event: agencies may report a fact late', () => {
    given(...PENDING).when(command('StartReview', {}, { occurredAt: jan(6) })).then(event('CaseReviewStarted', {}, jan(6)));
  });

  it('is accepted when it happened at the same instant as the latest event, written in another offset', () => {
    const sameInstant = '2026-01-08T04:00:00-05:00'; // jan(8) is the latest fixture event
    given(...PENDING).when(command('StartReview', {}, { occurredAt: sameInstant })).then(event('CaseReviewStarted', {}, sameInstant));
  });

  it('is refused with UNKNOWN_COMMAND when its type is not one of ours', () => {
    const unknown = { ...command('StartReview', {}), type: 'toString' } as unknown as CaseCommand;
    expect(decide(unknown, initialState())).toEqual({ ok: false, error: { code: 'UNKNOWN_COMMAND', message: expect.any(String), field: '/type' } });
  });
});

describe('a case not yet received', () => {
  it('records CaseReceived with the agency code taken from the agency config', () => {
    given()
      .when(command('ReceiveCase', { receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' }))
      .then(event('CaseReceived', { agency: 'USCIS', receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' }, NOW));
  });

  it('receives a VBA claim in the VBA receipt format', () => {
    given()
      .when(command('ReceiveCase', { receiptNumber: 'VBA-2026-0001234', formType: '21-526EZ', office: 'RO317' }, { agency: VBA }))
      .then(event('CaseReceived', { agency: 'VBA', receiptNumber: 'VBA-2026-0001234', formType: '21-526EZ', office: 'RO317' }, NOW));
  });

  it.each([
    ['too short', 'IOE091234567'],
    ['lower case', 'ioe0912345678'],
    ['from an unknown receipt office', 'ABC0912345678'],
    ['empty', ''],
    ["in another agency's format", 'VBA-2026-0001234'],
  ])('refuses a receipt number that is %s with INVALID_RECEIPT_NUMBER', (_, receiptNumber) => {
    given().when(command('ReceiveCase', { receiptNumber, formType: 'I-485', office: 'NBC' })).thenRejects('INVALID_RECEIPT_NUMBER', '/data/receiptNumber');
  });

  it("refuses a form the agency does not adjudicate, even another agency's form", () => {
    given().when(command('ReceiveCase', { receiptNumber: RECEIPT, formType: '21-526EZ', office: 'NBC' })).thenRejects('UNKNOWN_FORM_TYPE', '/data/formType');
  });

  it('refuses a receiving office the agency does not have', () => {
    given().when(command('ReceiveCase', { receiptNumber: RECEIPT, formType: 'I-485', office: 'RO317' })).thenRejects('UNKNOWN_OFFICE', '/data/office');
  });

  it('explains a refusal in a sentence that names the problem', () => {
    const { result } = given().when(command('ReceiveCase', { receiptNumber: 'ABC0912345678', formType: 'I-485', office: 'NBC' }));
    expect(result.ok ? '' : result.error.message).toContain('ABC');
  });

  it('refuses anything else with CASE_NOT_RECEIVED', () => {
    given().when(command('IssueDecision', { outcome: 'approved' })).thenRejects('CASE_NOT_RECEIVED');
  });
});

describe('a pending case', () => {
  it('starts review', () => {
    given(...PENDING).when(command('StartReview', {})).then(event('CaseReviewStarted', {}, NOW));
  });

  describe('scheduling an appointment', () => {
    const interview = { appointmentId: 'interview-1', kind: 'interview' as const, scheduledFor: '2026-03-02T10:00:00-05:00', office: 'NYC' };

    it('records AppointmentScheduled', () => {
      given(...PENDING).when(command('ScheduleAppointment', interview)).then(event('AppointmentScheduled', interview, NOW));
    });

    it('refuses an id already used on the case with DUPLICATE_APPOINTMENT', () => {
      given(...PENDING).when(command('ScheduleAppointment', { ...interview, appointmentId: 'bio-1' })).thenRejects('DUPLICATE_APPOINTMENT', '/data/appointmentId');
    });

    it('treats an id that happens to be an Object.prototype name as new', () => {
      given(...PENDING)
        .when(command('ScheduleAppointment', { ...interview, appointmentId: 'constructor' }))
        .then(event('AppointmentScheduled', { ...interview, appointmentId: 'constructor' }, NOW));
    });

    it('refuses an unknown office with UNKNOWN_OFFICE', () => {
      given(...PENDING).when(command('ScheduleAppointment', { ...interview, office: 'XYZ' })).thenRejects('UNKNOWN_OFFICE', '/data/office');
    });

    it('refuses a time before the moment of scheduling with APPOINTMENT_IN_PAST', () => {
      given(...PENDING).when(command('ScheduleAppointment', { ...interview, scheduledFor: '2026-01-31T10:00:00Z' })).thenRejects('APPOINTMENT_IN_PAST', '/data/scheduledFor');
    });

    it('refuses a malformed time with INVALID_DATE', () => {
      given(...PENDING).when(command('ScheduleAppointment', { ...interview, scheduledFor: '2026-03-02 10:00' })).thenRejects('INVALID_DATE', '/data/scheduledFor');
    });

    it('refuses an empty id and a kind outside the taxonomy with INVALID_VALUE', () => {
      given(...PENDING).when(command('ScheduleAppointment', { ...interview, appointmentId: ' ' })).thenRejects('INVALID_VALUE', '/data/appointmentId');
      const oath = { ...interview, kind: 'oath' } as unknown as typeof interview;
      given(...PENDING).when(command('ScheduleAppointment', oath)).thenRejects('INVALID_VALUE', '/data/kind');
    });
  });

  describe('rescheduling an appointment', () => {
    const later = '2026-02-20T13:00:00-05:00';

    it('records AppointmentRescheduled with the previous time and, by default, the same office', () => {
      given(...PENDING)
        .when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: later }))
        .then(event('AppointmentRescheduled', { appointmentId: 'bio-1', scheduledFor: later, previouslyScheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' }, NOW));
    });

    it('may move the appointment to another office at the same time', () => {
      given(...PENDING)
        .when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'CHI' }))
        .then(
          event('AppointmentRescheduled', { appointmentId: 'bio-1', scheduledFor: '2026-02-10T13:00:00-05:00', previouslyScheduledFor: '2026-02-10T13:00:00-05:00', office: 'CHI' }, NOW),
        );
    });

    it('refuses the same instant at the same office with NOTHING_TO_CHANGE, whatever offset it is written in', () => {
      given(...PENDING).when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: '2026-02-10T18:00:00Z' })).thenRejects('NOTHING_TO_CHANGE', '/data/scheduledFor');
    });

    it('reschedules a missed appointment', () => {
      const missed = event('AppointmentMissed', { appointmentId: 'bio-1' }, '2026-02-10T19:00:00Z');
      given(...PENDING, missed)
        .when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: '2026-03-10T13:00:00-05:00' }, { occurredAt: '2026-02-11T09:00:00Z' }))
        .then(
          event(
            'AppointmentRescheduled',
            { appointmentId: 'bio-1', scheduledFor: '2026-03-10T13:00:00-05:00', previouslyScheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' },
            '2026-02-11T09:00:00Z',
          ),
        );
    });

    it('refuses an attended appointment with APPOINTMENT_ALREADY_ATTENDED', () => {
      const attended = event('AppointmentAttended', { appointmentId: 'bio-1' }, '2026-02-10T19:00:00Z');
      given(...PENDING, attended)
        .when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: '2026-03-10T13:00:00-05:00' }, { occurredAt: '2026-02-11T09:00:00Z' }))
        .thenRejects('APPOINTMENT_ALREADY_ATTENDED', '/data/appointmentId');
    });

    it('refuses an appointment the case does not have with UNKNOWN_APPOINTMENT', () => {
      given(...PENDING).when(command('RescheduleAppointment', { appointmentId: 'bio-9', scheduledFor: later })).thenRejects('UNKNOWN_APPOINTMENT', '/data/appointmentId');
    });

    it('refuses to move it to an office the agency does not have', () => {
      given(...PENDING).when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: later, office: 'RO317' })).thenRejects('UNKNOWN_OFFICE', '/data/office');
    });

    it('refuses a new time before the moment of rescheduling', () => {
      given(...PENDING).when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: '2026-01-31T13:00:00Z' })).thenRejects('APPOINTMENT_IN_PAST', '/data/scheduledFor');
    });
  });

  describe('recording how an appointment went', () => {
    it('records AppointmentAttended and AppointmentMissed for a scheduled appointment', () => {
      given(...PENDING).when(command('RecordAppointmentAttended', { appointmentId: 'bio-1' })).then(event('AppointmentAttended', { appointmentId: 'bio-1' }, NOW));
      given(...PENDING).when(command('RecordAppointmentMissed', { appointmentId: 'bio-1' })).then(event('AppointmentMissed', { appointmentId: 'bio-1' }, NOW));
    });

    it('refuses an appointment id that only exists on Object.prototype', () => {
      given(...PENDING).when(command('RecordAppointmentAttended', { appointmentId: 'toString' })).thenRejects('UNKNOWN_APPOINTMENT', '/data/appointmentId');
    });

    it('refuses a second outcome for an attended appointment', () => {
      const attended = event('AppointmentAttended', { appointmentId: 'bio-1' }, '2026-01-20T10:00:00Z');
      given(...PENDING, attended).when(command('RecordAppointmentMissed', { appointmentId: 'bio-1' })).thenRejects('APPOINTMENT_ALREADY_ATTENDED', '/data/appointmentId');
    });

    it('refuses an outcome for a missed appointment until it is rescheduled', () => {
      const missed = event('AppointmentMissed', { appointmentId: 'bio-1' }, '2026-01-20T10:00:00Z');
      given(...PENDING, missed).when(command('RecordAppointmentAttended', { appointmentId: 'bio-1' })).thenRejects('APPOINTMENT_NOT_SCHEDULED', '/data/appointmentId');
    });
  });

  describe('requesting evidence', () => {
    const request = { requestId: 'rfe-2', dueDate: '2026-04-01', description: 'Medical examination (I-693)' };

    it('records EvidenceRequested', () => {
      given(...PENDING).when(command('RequestEvidence', request)).then(event('EvidenceRequested', request, NOW));
    });

    it('refuses a request id already used, even for evidence already received', () => {
      const answered = event('EvidenceReceived', { requestId: 'rfe-1' }, jan(20));
      given(...PENDING, answered).when(command('RequestEvidence', { ...request, requestId: 'rfe-1' })).thenRejects('DUPLICATE_EVIDENCE_REQUEST', '/data/requestId');
    });

    it('refuses a due date before the day of the request with DUE_DATE_IN_PAST', () => {
      given(...PENDING).when(command('RequestEvidence', { ...request, dueDate: '2026-01-31' })).thenRejects('DUE_DATE_IN_PAST', '/data/dueDate');
    });

    it("accepts a due date on the day of the request in the agency's own offset", () => {
      const lateEvening = '2026-02-01T23:30:00-05:00'; // already 2 February in UTC
      given(...PENDING)
        .when(command('RequestEvidence', { ...request, dueDate: '2026-02-01' }, { occurredAt: lateEvening }))
        .then(event('EvidenceRequested', { ...request, dueDate: '2026-02-01' }, lateEvening));
    });

    it('refuses a due date that is not a calendar date with INVALID_DATE', () => {
      given(...PENDING).when(command('RequestEvidence', { ...request, dueDate: '2026-02-30' })).thenRejects('INVALID_DATE', '/data/dueDate');
    });

    it('refuses an empty description', () => {
      given(...PENDING).when(command('RequestEvidence', { ...request, description: '' })).thenRejects('INVALID_VALUE', '/data/description');
    });
  });

  describe('recording evidence received', () => {
    it('records EvidenceReceived for an open request', () => {
      given(...PENDING).when(command('RecordEvidenceReceived', { requestId: 'rfe-1' })).then(event('EvidenceReceived', { requestId: 'rfe-1' }, NOW));
    });

    it('refuses a request the case does not have', () => {
      given(...PENDING).when(command('RecordEvidenceReceived', { requestId: 'rfe-7' })).thenRejects('UNKNOWN_EVIDENCE_REQUEST', '/data/requestId');
    });

    it('refuses evidence already received', () => {
      const answered = event('EvidenceReceived', { requestId: 'rfe-1' }, jan(20));
      given(...PENDING, answered).when(command('RecordEvidenceReceived', { requestId: 'rfe-1' })).thenRejects('EVIDENCE_ALREADY_RECEIVED', '/data/requestId');
    });
  });

  describe('transferring', () => {
    it('records CaseTransferred with the current office as fromOffice', () => {
      given(...PENDING).when(command('TransferCase', { toOffice: 'NYC' })).then(event('CaseTransferred', { fromOffice: 'NBC', toOffice: 'NYC' }, NOW));
    });

    it('takes fromOffice from the latest transfer', () => {
      const moved = event('CaseTransferred', { fromOffice: 'NBC', toOffice: 'NYC' }, jan(20));
      given(...PENDING, moved).when(command('TransferCase', { toOffice: 'CHI' })).then(event('CaseTransferred', { fromOffice: 'NYC', toOffice: 'CHI' }, NOW));
    });

    it('refuses a transfer to the office that already has the case', () => {
      given(...PENDING).when(command('TransferCase', { toOffice: 'NBC' })).thenRejects('NOTHING_TO_CHANGE', '/data/toOffice');
    });

    it('refuses a transfer to an office the agency does not have', () => {
      given(...PENDING).when(command('TransferCase', { toOffice: 'RO317' })).thenRejects('UNKNOWN_OFFICE', '/data/toOffice');
    });
  });

  it.each(['approved', 'denied', 'withdrawn', 'administratively_closed'] as const)('issues a decision with outcome %s', (outcome) => {
    given(...PENDING).when(command('IssueDecision', { outcome })).then(event('DecisionIssued', { outcome }, NOW));
  });

  it('refuses a decision outcome outside the taxonomy', () => {
    const outcome = 'granted' as unknown as 'approved';
    given(...PENDING).when(command('IssueDecision', { outcome })).thenRejects('INVALID_VALUE', '/data/outcome');
  });

  describe('documents', () => {
    it('records DocumentProduced for a new document id', () => {
      given(...PENDING)
        .when(command('ProduceDocument', { documentId: 'doc-2', kind: 'appointment_notice' }))
        .then(event('DocumentProduced', { documentId: 'doc-2', kind: 'appointment_notice' }, NOW));
    });

    it('refuses a document id already produced', () => {
      given(...PENDING).when(command('ProduceDocument', { documentId: 'doc-1', kind: 'other' })).thenRejects('DUPLICATE_DOCUMENT', '/data/documentId');
    });

    it('refuses a document kind outside the taxonomy', () => {
      const kind = 'letter' as unknown as 'other';
      given(...PENDING).when(command('ProduceDocument', { documentId: 'doc-2', kind })).thenRejects('INVALID_VALUE', '/data/kind');
    });

    it('records DocumentMailed with a tracking number when one is given, and without the field otherwise', () => {
      given(...PENDING)
        .when(command('MailDocument', { documentId: 'doc-1', trackingNumber: '9400100000000000000000' }))
        .then(event('DocumentMailed', { documentId: 'doc-1', trackingNumber: '9400100000000000000000' }, NOW));
      const { result } = given(...PENDING).when(command('MailDocument', { documentId: 'doc-1' }));
      expect(result.ok && Object.keys(result.events[0].data)).toEqual(['documentId']);
    });

    it('refuses to mail a document that was never produced', () => {
      given(...PENDING).when(command('MailDocument', { documentId: 'doc-9' })).thenRejects('UNKNOWN_DOCUMENT', '/data/documentId');
    });

    it('refuses to mail a document twice', () => {
      const mailed = event('DocumentMailed', { documentId: 'doc-1' }, jan(20));
      given(...PENDING, mailed).when(command('MailDocument', { documentId: 'doc-1' })).thenRejects('DOCUMENT_ALREADY_MAILED', '/data/documentId');
    });

    it('refuses an empty tracking number', () => {
      given(...PENDING).when(command('MailDocument', { documentId: 'doc-1', trackingNumber: '' })).thenRejects('INVALID_VALUE', '/data/trackingNumber');
    });
  });

  describe('representatives of record', () => {
    const rita = { representativeId: 'g28-1', name: 'Rita Representative', kind: 'attorney' as const, identity: { issuer: 'https://idp.example', subject: 'rita' }, effectiveFrom: '2026-02-01' };
    const appointed = event('RepresentativeAppointed', rita, jan(20));

    it('records RepresentativeAppointed by provider subject, and by e-mail in lower case', () => {
      given(...PENDING).when(command('AppointRepresentative', rita)).then(event('RepresentativeAppointed', rita, NOW));
      const byEmail = { ...rita, kind: 'accredited_representative' as const, identity: { email: ' Rita.Rep@Example.ORG ' } };
      given(...PENDING).when(command('AppointRepresentative', byEmail)).then(event('RepresentativeAppointed', { ...byEmail, identity: { email: 'rita.rep@example.org' } }, NOW));
    });

    it('refuses a representative already of record, and appoints them again after a withdrawal', () => {
      given(...PENDING, appointed).when(command('AppointRepresentative', rita)).thenRejects('DUPLICATE_REPRESENTATIVE', '/data/representativeId');
      const withdrawn = event('RepresentativeWithdrawn', { representativeId: 'g28-1' }, jan(21));
      given(...PENDING, appointed, withdrawn).when(command('AppointRepresentative', rita)).then(event('RepresentativeAppointed', rita, NOW));
    });

    it.each([
      ['an empty id', { representativeId: ' ' }, 'INVALID_VALUE', '/data/representativeId'],
      ['an empty name', { name: '' }, 'INVALID_VALUE', '/data/name'],
      ['a kind outside the taxonomy', { kind: 'paralegal' }, 'INVALID_VALUE', '/data/kind'],
      ['an identity that is neither', { identity: {} }, 'INVALID_VALUE', '/data/identity/issuer'],
      ['an issuer without a subject', { identity: { issuer: 'https://idp.example', subject: '' } }, 'INVALID_VALUE', '/data/identity/subject'],
      ['an e-mail that is not one', { identity: { email: 'rita at example.org' } }, 'INVALID_VALUE', '/data/identity/email'],
      ['a date that is not one', { effectiveFrom: '2026-02-30' }, 'INVALID_DATE', '/data/effectiveFrom'],
    ])('refuses %s', (_, change, code, field) => {
      given(...PENDING).when(command('AppointRepresentative', { ...rita, ...(change as object) })).thenRejects(code as 'INVALID_VALUE', field);
    });

    it('records RepresentativeWithdrawn for one of record only', () => {
      given(...PENDING, appointed).when(command('WithdrawRepresentative', { representativeId: 'g28-1' })).then(event('RepresentativeWithdrawn', { representativeId: 'g28-1' }, NOW));
      given(...PENDING).when(command('WithdrawRepresentative', { representativeId: 'g28-1' })).thenRejects('UNKNOWN_REPRESENTATIVE', '/data/representativeId');
      given(...PENDING).when(command('WithdrawRepresentative', { representativeId: 'toString' })).thenRejects('UNKNOWN_REPRESENTATIVE', '/data/representativeId');
    });
  });

  it('cannot be closed or reopened before a decision', () => {
    given(...PENDING).when(command('CloseCase', {})).thenRejects('CASE_NOT_DECIDED');
    given(...PENDING).when(command('ReopenCase', { reason: 'Motion granted' })).thenRejects('CASE_NOT_DECIDED');
  });

  it('cannot be received a second time', () => {
    given(caseReceived).when(command('ReceiveCase', { receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' })).thenRejects('CASE_ALREADY_RECEIVED');
  });
});

describe('a pending case in review', () => {
  it('refuses to start review again with ALREADY_IN_REVIEW', () => {
    given(...IN_REVIEW).when(command('StartReview', {})).thenRejects('ALREADY_IN_REVIEW');
  });

  it('starts review again after a transfer, because the new office reviews afresh', () => {
    const moved = event('CaseTransferred', { fromOffice: 'NBC', toOffice: 'NYC' }, jan(20));
    given(...IN_REVIEW, moved).when(command('StartReview', {})).then(event('CaseReviewStarted', {}, NOW));
  });

  it('can be decided', () => {
    given(...IN_REVIEW).when(command('IssueDecision', { outcome: 'denied' })).then(event('DecisionIssued', { outcome: 'denied' }, NOW));
  });
});

describe('a decided case', () => {
  it('refuses a second decision with CASE_ALREADY_DECIDED', () => {
    given(...DECIDED).when(command('IssueDecision', { outcome: 'denied' })).thenRejects('CASE_ALREADY_DECIDED');
  });

  it('is reopened with a reason', () => {
    given(...DECIDED).when(command('ReopenCase', { reason: 'Motion to reopen granted' })).then(event('CaseReopened', { reason: 'Motion to reopen granted' }, NOW));
  });

  it('refuses a reopening without a reason', () => {
    given(...DECIDED).when(command('ReopenCase', { reason: '   ' })).thenRejects('INVALID_VALUE', '/data/reason');
  });

  it('is closed', () => {
    given(...DECIDED).when(command('CloseCase', {})).then(event('CaseClosed', {}, NOW));
  });

  it('still produces and mails documents, such as the decision notice', () => {
    given(...DECIDED)
      .when(command('ProduceDocument', { documentId: 'doc-2', kind: 'decision_notice' }))
      .then(event('DocumentProduced', { documentId: 'doc-2', kind: 'decision_notice' }, NOW));
    given(...DECIDED).when(command('MailDocument', { documentId: 'doc-1' })).then(event('DocumentMailed', { documentId: 'doc-1' }, NOW));
  });

  it('forgets appointments and evidence requests the decision made moot, once reopened', () => {
    const reopened = event('CaseReopened', { reason: 'Motion to reopen granted' }, jan(20));
    given(...DECIDED, reopened).when(command('RecordAppointmentAttended', { appointmentId: 'bio-1' })).thenRejects('UNKNOWN_APPOINTMENT', '/data/appointmentId');
    given(...DECIDED, reopened).when(command('RecordEvidenceReceived', { requestId: 'rfe-1' })).thenRejects('UNKNOWN_EVIDENCE_REQUEST', '/data/requestId');
  });

  it('keeps a missed appointment through the decision, so it can be rescheduled after reopening', () => {
    const missed = event('AppointmentMissed', { appointmentId: 'bio-1' }, '2026-02-10T19:00:00Z');
    const denied = event('DecisionIssued', { outcome: 'denied' }, '2026-03-01T12:00:00Z');
    const reopened = event('CaseReopened', { reason: 'Good cause for missing biometrics shown' }, '2026-03-05T12:00:00Z');
    given(caseReceived, biometricsScheduled, evidenceRequested, missed, denied, reopened)
      .when(command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: '2026-03-20T09:00:00-05:00' }, { occurredAt: '2026-03-06T12:00:00Z' }))
      .then(
        event(
          'AppointmentRescheduled',
          { appointmentId: 'bio-1', scheduledFor: '2026-03-20T09:00:00-05:00', previouslyScheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' },
          '2026-03-06T12:00:00Z',
        ),
      );
  });
});

describe('a reopened case', () => {
  const reopened = event('CaseReopened', { reason: 'Motion to reopen granted' }, jan(20));

  it('is pending and not in review, so review starts again', () => {
    given(...DECIDED, reopened).when(command('StartReview', {})).then(event('CaseReviewStarted', {}, NOW));
  });

  it('can be decided again', () => {
    given(...DECIDED, reopened).when(command('IssueDecision', { outcome: 'approved' })).then(event('DecisionIssued', { outcome: 'approved' }, NOW));
  });
});

describe('a closed case', () => {
  it('is reopened straight from closed', () => {
    given(...CLOSED).when(command('ReopenCase', { reason: 'Agency error corrected' })).then(event('CaseReopened', { reason: 'Agency error corrected' }, NOW));
  });

  it('refuses a document with CASE_CLOSED: mail notices before closing', () => {
    given(...CLOSED).when(command('MailDocument', { documentId: 'doc-1' })).thenRejects('CASE_CLOSED');
  });

  it('refuses a second receipt with CASE_CLOSED', () => {
    given(...CLOSED).when(command('ReceiveCase', { receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' })).thenRejects('CASE_CLOSED');
  });
});
