import { foldCase } from '../index';
import { command, event, jan, CLOSED, DECIDED, IN_REVIEW, PENDING, RECEIPT } from '../testing/case-fixtures';
import type { CaseEvent } from './case-events';
import { EVENT_FOR_COMMAND, type CaseCommand, type CaseCommandType } from './commands';
import { decide } from './decide';
import type { DomainErrorCode } from './errors';

// Every command against a case in every lifecycle state. The expectations are written out
// by hand rather than derived from COMMAND_PHASES, so a change to the rules shows up here.

/** Each history with representative g28-1 appointed just after receipt, so a withdrawal has someone to withdraw. */
const represented = (history: CaseEvent[]): CaseEvent[] => [history[0], event('RepresentativeAppointed', { representativeId: 'g28-1', name: 'Ray Lawyer', kind: 'attorney', identity: { issuer: 'https://idp.example', subject: 'ray' }, effectiveFrom: '2026-01-05' }, jan(5)), ...history.slice(1)];

const HISTORIES = {
  'not received': [] as CaseEvent[],
  pending: represented(PENDING),
  'pending in-review': represented(IN_REVIEW),
  decided: represented(DECIDED),
  closed: represented(CLOSED),
};
type State = keyof typeof HISTORIES;

/** A command that is valid in every state that allows its type. */
const COMMANDS: Record<CaseCommandType, CaseCommand> = {
  ReceiveCase: command('ReceiveCase', { receiptNumber: RECEIPT, formType: 'I-485', office: 'NBC' }),
  StartReview: command('StartReview', {}),
  ScheduleAppointment: command('ScheduleAppointment', { appointmentId: 'interview-1', kind: 'interview', scheduledFor: '2026-03-02T10:00:00-05:00', office: 'NYC' }),
  RescheduleAppointment: command('RescheduleAppointment', { appointmentId: 'bio-1', scheduledFor: '2026-02-20T13:00:00-05:00' }),
  RecordAppointmentAttended: command('RecordAppointmentAttended', { appointmentId: 'bio-1' }),
  RecordAppointmentMissed: command('RecordAppointmentMissed', { appointmentId: 'bio-1' }),
  RequestEvidence: command('RequestEvidence', { requestId: 'rfe-2', dueDate: '2026-04-01', description: 'Medical examination (I-693)' }),
  RecordEvidenceReceived: command('RecordEvidenceReceived', { requestId: 'rfe-1' }),
  TransferCase: command('TransferCase', { toOffice: 'NYC' }),
  IssueDecision: command('IssueDecision', { outcome: 'approved' }),
  ReopenCase: command('ReopenCase', { reason: 'Motion to reopen granted' }),
  ProduceDocument: command('ProduceDocument', { documentId: 'doc-2', kind: 'decision_notice' }),
  MailDocument: command('MailDocument', { documentId: 'doc-1' }),
  CloseCase: command('CloseCase', {}),
  IssueAccessCode: command('IssueAccessCode', { accessCodeHash: `scrypt$16384$8$1$${'s'.repeat(22)}$${'h'.repeat(43)}` }),
  AppointRepresentative: command('AppointRepresentative', { representativeId: 'g28-2', name: 'Rita Representative', kind: 'attorney', identity: { email: 'rita@example.org' }, effectiveFrom: '2026-03-01' }),
  WithdrawRepresentative: command('WithdrawRepresentative', { representativeId: 'g28-1' }),
};

type Outcome = 'accepted' | DomainErrorCode;
const NR = 'CASE_NOT_RECEIVED';
const CLOSED_ = 'CASE_CLOSED';
const DECIDED_ = 'CASE_ALREADY_DECIDED';
const NOT_DECIDED = 'CASE_NOT_DECIDED';

// Columns: not received, pending, pending in review, decided, closed.
const EXPECTED: Record<CaseCommandType, [Outcome, Outcome, Outcome, Outcome, Outcome]> = {
  ReceiveCase: ['accepted', 'CASE_ALREADY_RECEIVED', 'CASE_ALREADY_RECEIVED', 'CASE_ALREADY_RECEIVED', CLOSED_],
  StartReview: [NR, 'accepted', 'ALREADY_IN_REVIEW', DECIDED_, CLOSED_],
  ScheduleAppointment: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  RescheduleAppointment: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  RecordAppointmentAttended: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  RecordAppointmentMissed: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  RequestEvidence: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  RecordEvidenceReceived: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  TransferCase: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  IssueDecision: [NR, 'accepted', 'accepted', DECIDED_, CLOSED_],
  ReopenCase: [NR, NOT_DECIDED, NOT_DECIDED, 'accepted', 'accepted'],
  ProduceDocument: [NR, 'accepted', 'accepted', 'accepted', CLOSED_],
  MailDocument: [NR, 'accepted', 'accepted', 'accepted', CLOSED_],
  CloseCase: [NR, NOT_DECIDED, NOT_DECIDED, 'accepted', CLOSED_],
  // A new code may be needed whenever a person wants to follow the case, closed ones too.
  IssueAccessCode: [NR, 'accepted', 'accepted', 'accepted', 'accepted'],
  // Appointed while the case can change; withdrawn at any time, closed cases too.
  AppointRepresentative: [NR, 'accepted', 'accepted', 'accepted', CLOSED_],
  WithdrawRepresentative: [NR, 'accepted', 'accepted', 'accepted', 'accepted'],
};

const STATES = Object.keys(HISTORIES) as State[];
const TRANSITIONS = (Object.keys(EXPECTED) as CaseCommandType[]).flatMap((type) =>
  STATES.map((state, column) => ({ type, state, outcome: EXPECTED[type][column] })),
);

/** The phase each accepted command leaves the case in. */
const PHASE_AFTER: Partial<Record<CaseCommandType, string>> = {
  ReceiveCase: 'pending',
  IssueDecision: 'decided',
  ReopenCase: 'pending',
  CloseCase: 'closed',
};

describe('every command in every lifecycle state', () => {
  it('covers all 17 commands in all 5 states', () => {
    expect(TRANSITIONS).toHaveLength(17 * 5);
    expect(new Set(TRANSITIONS.map(({ type }) => type))).toEqual(new Set(Object.keys(EVENT_FOR_COMMAND)));
  });

  it.each(TRANSITIONS.filter(({ outcome }) => outcome === 'accepted'))('$type on a $state case records its event', ({ type, state }) => {
    const history = HISTORIES[state];
    const result = decide(COMMANDS[type], foldCase(history));

    expect(result).toEqual({ ok: true, events: [expect.objectContaining({ type: EVENT_FOR_COMMAND[type], occurredAt: COMMANDS[type].occurredAt })] });
    if (!result.ok) return;
    const before = foldCase(history);
    const after = foldCase([...history, ...result.events]);
    expect(after.phase).toBe(PHASE_AFTER[type] ?? before.phase);
    expect(after.lastEventAt).toBe(COMMANDS[type].occurredAt);
  });

  it.each(TRANSITIONS.filter(({ outcome }) => outcome !== 'accepted'))('$type on a $state case is refused with $outcome', ({ type, state, outcome }) => {
    const result = decide(COMMANDS[type], foldCase(HISTORIES[state]));

    expect(result).toEqual({ ok: false, error: { code: outcome, message: expect.stringMatching(/\w+ \w+/) } });
  });
});
