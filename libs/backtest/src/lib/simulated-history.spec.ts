import type { SimulatedEvent } from '@case-status/agency-simulator';
import { dayFromIso } from '@case-status/processing-time';
import { cohortOn } from './history';
import { historyFromSimulation } from './simulated-history';

const event = (receiptNumber: string, type: SimulatedEvent['type'], occurredAt: string, data: Record<string, unknown> = {}): SimulatedEvent => ({
  receiptNumber,
  agency: 'USCIS',
  eventId: `${receiptNumber}-${type}-${occurredAt}`,
  type,
  occurredAt,
  data,
});
const day = (iso: string) => dayFromIso(iso);

describe('historyFromSimulation', () => {
  const events = [
    event('IOE1', 'CaseReceived', '2026-01-05T10:00:00.000Z', { formType: 'I-485', office: 'NBC' }),
    event('IOE2', 'CaseReceived', '2026-01-06T10:00:00.000Z', { formType: 'I-765', office: 'PSC' }),
    event('IOE1', 'CaseTransferred', '2026-02-01T10:00:00.000Z', { toOffice: 'NYC' }),
    event('IOE1', 'DecisionIssued', '2026-03-02T10:00:00.000Z', { outcome: 'denied' }),
    event('IOE1', 'CaseReopened', '2026-04-01T10:00:00.000Z', { reason: 'Motion to reopen granted' }),
    event('IOE1', 'DecisionIssued', '2026-05-01T10:00:00.000Z', { outcome: 'approved' }),
    // On the end day itself: not a complete day of the history, so unknown.
    event('IOE2', 'DecisionIssued', '2026-06-01T00:00:00.000Z', { outcome: 'approved' }),
    event('IOE3', 'CaseReceived', '2026-06-01T00:00:00.000Z', { formType: 'I-90', office: 'NBC' }),
  ];
  const history = historyFromSimulation(events, '2026-06-01T00:00:00Z');

  it('ends the day before the run ends, leaving what happened later unknown', () => {
    expect(history.endDay).toBe(day('2026-05-31'));
    expect(history.cases.map((item) => item.caseId)).toEqual(['USCIS/IOE1', 'USCIS/IOE2']);
    expect(history.cases[1]).toMatchObject({ receivedAt: day('2026-01-06'), decidedAt: null });
  });

  it('dates a case by its first decision and moves it to the office it was transferred to', () => {
    const [moved] = history.cases;
    expect(moved).toEqual({
      caseId: 'USCIS/IOE1',
      receivedAt: day('2026-01-05'),
      decidedAt: day('2026-03-02'),
      cohorts: [
        { from: day('2026-01-05'), cohort: 'USCIS I-485 NBC', pool: '["USCIS","I-485"]' },
        { from: day('2026-02-01'), cohort: 'USCIS I-485 NYC', pool: '["USCIS","I-485"]' },
      ],
    });
    expect(cohortOn(moved, day('2026-01-31'))).toBe('USCIS I-485 NBC');
    expect(cohortOn(moved, day('2026-02-01'))).toBe('USCIS I-485 NYC');
  });
});
