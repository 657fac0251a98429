import {
  AGENCIES,
  COMMAND_FOR_EVENT,
  decide,
  evolve,
  initialState,
  type CaseCommand,
  type CaseState,
  type DecisionOutcome,
} from '@case-status/case-domain';
import { MAX_EVIDENCE_REQUESTS, simulate, SimulationConfigError, type SimulatedEvent, type SimulationConfig } from './simulate';

const BASE: SimulationConfig = { seed: 1, casesPerDay: 4, start: '2026-01-01T00:00:00Z', end: '2026-07-01T00:00:00Z', initialBacklogDays: 30 };

/**
 * Runs every event through the real decider, in the order given; throws on the first
 * refusal. `onEvent` sees the states after each event.
 */
function replay(events: readonly SimulatedEvent[], onEvent?: (event: SimulatedEvent, states: Map<string, CaseState>) => void): Map<string, CaseState> {
  const states = new Map<string, CaseState>();
  for (const event of events) {
    const key = `${event.agency}/${event.receiptNumber}`;
    const state = states.get(key) ?? initialState();
    const data = event.type === 'CaseReceived' ? { ...event.data, receiptNumber: event.receiptNumber } : event.data;
    const command = { type: COMMAND_FOR_EVENT[event.type], data, occurredAt: event.occurredAt, agency: AGENCIES[event.agency] } as CaseCommand;
    const result = decide(command, state);
    if (!result.ok) {
      throw new Error(`${key} ${event.type} at ${event.occurredAt} ${JSON.stringify(event.data)} refused: ${result.error.code} ${result.error.message}`);
    }
    states.set(key, result.events.reduce(evolve, state));
    onEvent?.(event, states);
  }
  return states;
}

/** How many cases are pending at each checkpoint (ascending ISO instants). */
function pendingAt(events: readonly SimulatedEvent[], checkpoints: readonly string[]): number[] {
  const counts: number[] = [];
  let pending = 0;
  const before = new Map<string, boolean>();
  replay(events, (event, states) => {
    while (counts.length < checkpoints.length && event.occurredAt > checkpoints[counts.length]) counts.push(pending);
    const key = `${event.agency}/${event.receiptNumber}`;
    const now = states.get(key)?.phase === 'pending';
    pending += Number(now) - Number(before.get(key) ?? false);
    before.set(key, now);
  });
  while (counts.length < checkpoints.length) counts.push(pending);
  return counts;
}

describe('simulate', () => {
  it('produces histories the domain decider accepts in full, for many seeds and both agencies', () => {
    let total = 0;
    for (let seed = 0; seed < 30; seed++) {
      const events = simulate({ ...BASE, seed, casesPerDay: 2, backlogTrend: (['growing', 'steady', 'shrinking'] as const)[seed % 3] });
      expect(() => replay(events)).not.toThrow();
      total += events.length;
    }
    expect(total).toBeGreaterThan(8_000);
  });

  it('stays valid when time is sped up a thousandfold', () => {
    const events = simulate({ ...BASE, seed: 'fast', start: '2026-11-24T10:00:00Z', end: '2026-11-24T12:00:00Z', speedUp: 1440, casesPerDay: 3, initialBacklogDays: 0 });
    expect(events.length).toBeGreaterThan(100);
    expect(() => replay(events)).not.toThrow();
    expect(events.every((event) => event.occurredAt >= '2026-11-24T10:00:00' && event.occurredAt <= '2026-11-24T12:00:00.000Z')).toBe(true);
  });

  it('emits events in occurredAt order, in the intake shape, with ids, receipts, forms and offices of each agency', () => {
    const events = simulate(BASE);
    const times = events.map((event) => Date.parse(event.occurredAt));
    expect(times.every((time, i) => i === 0 || time >= times[i - 1])).toBe(true);
    expect(new Set(events.map((event) => event.eventId)).size).toBe(events.length);
    for (const event of events) {
      expect(event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(AGENCIES[event.agency].receiptNumber.pattern.test(event.receiptNumber)).toBe(true);
      expect(Object.keys(event).sort()).toEqual(['agency', 'data', 'eventId', 'occurredAt', 'receiptNumber', 'type']);
    }
    const received = events.filter((event) => event.type === 'CaseReceived');
    const forms = (agency: string) => new Set(received.filter((event) => event.agency === agency).map((event) => event.data['formType']));
    expect(forms('USCIS')).toEqual(new Set(['I-130', 'I-485', 'I-765', 'N-400', 'I-90']));
    expect(forms('VBA')).toEqual(new Set(['21-526EZ', '20-0995', '20-0996', '21-686c', '10-10EZ']));
    const types = new Set(events.map((event) => event.type));
    expect([...types].sort()).toEqual([
      'AppointmentAttended', 'AppointmentMissed', 'AppointmentRescheduled', 'AppointmentScheduled', 'CaseClosed', 'CaseReceived', 'CaseReopened',
      'CaseReviewStarted', 'CaseTransferred', 'DecisionIssued', 'DocumentMailed', 'DocumentProduced', 'EvidenceReceived', 'EvidenceRequested',
    ]);
    // Some evidence requests are never answered.
    const requested = events.filter((event) => event.type === 'EvidenceRequested').length;
    const answered = events.filter((event) => event.type === 'EvidenceReceived').length;
    expect(answered).toBeLessThan(requested);
  });

  it('stops new arrivals at arrivalsEnd and follows the cases already in to the end', () => {
    const events = simulate({ ...BASE, arrivalsEnd: '2026-03-01T00:00:00Z', initialBacklogDays: 0 });
    const received = events.filter((event) => event.type === 'CaseReceived');
    expect(received.length).toBeGreaterThan(300);
    expect(received.every((event) => event.occurredAt < '2026-03-01')).toBe(true);
    expect(events.some((event) => event.type === 'DecisionIssued' && event.occurredAt > '2026-05-01')).toBe(true);
    expect(() => replay(events)).not.toThrow();
  });

  it('is deterministic: the same seed gives the same events, another seed different ones', () => {
    expect(simulate(BASE)).toEqual(simulate(BASE));
    const other = simulate({ ...BASE, seed: 2 });
    expect(other.map((event) => event.eventId)).not.toEqual(simulate(BASE).map((event) => event.eventId));
  });

  it('mostly approves, denies some and withdraws or closes a few, with mixes that differ per form', () => {
    const events = simulate({ ...BASE, casesPerDay: 20 });
    const outcomes = events.filter((event) => event.type === 'DecisionIssued').map((event) => event.data['outcome'] as DecisionOutcome);
    const share = (outcome: DecisionOutcome) => outcomes.filter((o) => o === outcome).length / outcomes.length;
    expect(share('approved')).toBeGreaterThan(0.65);
    expect(share('approved')).toBeLessThan(0.92);
    expect(share('denied')).toBeGreaterThan(0.05);
    expect(share('withdrawn') + share('administratively_closed')).toBeGreaterThan(0.02);
    expect(share('withdrawn') + share('administratively_closed')).toBeLessThan(0.12);

    const formOf = new Map(events.filter((e) => e.type === 'CaseReceived').map((e) => [e.receiptNumber, e.data['formType']]));
    const approvalRate = (form: string) => {
      const decided = events.filter((e) => e.type === 'DecisionIssued' && formOf.get(e.receiptNumber) === form);
      return decided.filter((e) => e.data['outcome'] === 'approved').length / decided.length;
    };
    expect(approvalRate('I-90')).toBeGreaterThan(approvalRate('20-0996') + 0.2);
  });

  it('grows the backlog when capacity lags arrivals and works it down when capacity exceeds them', () => {
    const config = { ...BASE, agencies: ['USCIS'], casesPerDay: 10, start: '2026-01-01T00:00:00Z', end: '2026-12-31T00:00:00Z', initialBacklogDays: 240 };
    const growing = simulate({ ...config, backlogTrend: 'growing' });
    const steady = simulate({ ...config, backlogTrend: 'steady' });
    const shrinking = simulate({ ...config, backlogTrend: 'shrinking' });
    const checkpoints = ['2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z', '2026-09-01T00:00:00Z', '2026-12-30T00:00:00Z'];
    const grown = pendingAt(growing, checkpoints);
    const shrunk = pendingAt(shrinking, checkpoints);
    for (let i = 1; i < checkpoints.length; i++) {
      expect(grown[i]).toBeGreaterThan(grown[i - 1]);
      expect(shrunk[i]).toBeLessThan(shrunk[i - 1]);
    }
    const held = pendingAt(steady, checkpoints);
    expect(Math.max(...held) / Math.min(...held)).toBeLessThan(1.2);
    expect(grown[3] - grown[0]).toBeGreaterThan(500);
    expect(shrunk[0] - shrunk[3]).toBeGreaterThan(500);
  });

  it('gives cohorts (form and office) different received-to-decision durations', () => {
    const events = simulate({ ...BASE, casesPerDay: 20 });
    const received = new Map(events.filter((e) => e.type === 'CaseReceived').map((e) => [e.receiptNumber, e]));
    const days = new Map<string, number[]>();
    for (const decision of events.filter((e) => e.type === 'DecisionIssued')) {
      const receipt = received.get(decision.receiptNumber);
      if (!receipt) continue;
      const cohort = `${String(receipt.data['formType'])}/${String(receipt.data['office'])}`;
      days.set(cohort, [...(days.get(cohort) ?? []), (Date.parse(decision.occurredAt) - Date.parse(receipt.occurredAt)) / 86_400_000]);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const medians = [...days.values()].filter((values) => values.length >= 20).map(median);
    expect(medians.length).toBeGreaterThan(10);
    expect(Math.max(...medians)).toBeGreaterThan(1.5 * Math.min(...medians));
  });

  it('issues no decision during a pause and works the queue off after it', () => {
    const pause = { from: '2026-03-01T00:00:00Z', to: '2026-04-15T00:00:00Z' };
    const events = simulate({ ...BASE, casesPerDay: 6, decisionPauses: [pause] });
    const [from, to] = [Date.parse(pause.from), Date.parse(pause.to)];
    const decisions = events.filter((event) => event.type === 'DecisionIssued').map((event) => Date.parse(event.occurredAt));
    expect(decisions.filter((at) => at >= from && at < to)).toEqual([]);
    const perWeekAfter = decisions.filter((at) => at >= to && at < to + 14 * 86_400_000).length / 2;
    const perWeekBefore = decisions.filter((at) => at >= from - 28 * 86_400_000 && at < from).length / 4;
    // The queue built up in the pause keeps the office busy: no drop after it.
    expect(perWeekAfter).toBeGreaterThan(0.8 * perWeekBefore);
    expect(() => replay(events)).not.toThrow();
    // Without the pause, the same seed decides cases inside that window.
    const unpaused = simulate({ ...BASE, casesPerDay: 6 }).filter((event) => event.type === 'DecisionIssued' && Date.parse(event.occurredAt) >= from && Date.parse(event.occurredAt) < to);
    expect(unpaused.length).toBeGreaterThan(100);
  });

  it('loops evidence requests when asked, up to the maximum, in histories the decider accepts', () => {
    const requestsBeforeDecision = (events: readonly SimulatedEvent[]) => {
      const counts = new Map<string, number>();
      const decided = new Set<string>();
      for (const event of events) {
        if (event.type === 'DecisionIssued') decided.add(event.receiptNumber);
        if (event.type === 'EvidenceRequested' && !decided.has(event.receiptNumber)) counts.set(event.receiptNumber, (counts.get(event.receiptNumber) ?? 0) + 1);
      }
      return [...counts.values()];
    };
    const looped = simulate({ ...BASE, evidenceLoopChance: 0.6 });
    const counts = requestsBeforeDecision(looped);
    expect(counts.filter((count) => count >= 2).length).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBe(MAX_EVIDENCE_REQUESTS);
    expect(requestsBeforeDecision(simulate(BASE)).every((count) => count === 1)).toBe(true);
    expect(() => replay(looped)).not.toThrow();
  });

  it('transfers the share of cases asked for', () => {
    // Among decided cases, whose planned steps are all in the history.
    const share = (events: readonly SimulatedEvent[]) => {
      const decided = new Set(events.filter((event) => event.type === 'DecisionIssued').map((event) => event.receiptNumber));
      const moved = new Set(events.filter((event) => event.type === 'CaseTransferred' && decided.has(event.receiptNumber)).map((event) => event.receiptNumber));
      return moved.size / decided.size;
    };
    const moved = simulate({ ...BASE, transferChance: 0.4 });
    // Cases that never reach review (biometrics missed for good) are not transferred.
    expect(share(moved)).toBeGreaterThan(0.33);
    expect(share(moved)).toBeLessThan(0.42);
    expect(share(simulate(BASE))).toBeLessThan(0.12);
    expect(() => replay(moved)).not.toThrow();
  });

  it.each([
    [{ decisionPauses: [{ from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }] }, 'decisionPauses[0].to: must be after from'],
    [{ decisionPauses: [{ from: 'March', to: '2026-03-01T00:00:00Z' }] }, 'decisionPauses[0].from: "March" is not an ISO 8601 timestamp'],
    [{ evidenceLoopChance: 1.5 }, 'evidenceLoopChance: must be between 0 and 1'],
    [{ transferChance: -0.1 }, 'transferChance: must be between 0 and 1'],
    [{ agencies: ['FBI'] }, 'agencies: "FBI" is not a known agency'],
    [{ agencies: [] }, 'agencies: name at least one agency'],
    [{ casesPerDay: 0 }, 'casesPerDay: must be a positive number'],
    [{ start: '2026-01-01' }, 'start: "2026-01-01" is not an ISO 8601 timestamp'],
    [{ end: '2025-01-01T00:00:00Z' }, 'end: must be after start'],
    [{ speedUp: 0.5 }, 'speedUp: must be between 1 and 100000'],
    [{ backlogTrend: 'exploding' }, 'backlogTrend: must be one of growing, steady, shrinking'],
    [{ arrivalsEnd: '2026-08-01T00:00:00Z' }, 'arrivalsEnd: must be after start and not after end'],
    [{ initialBacklogDays: -1 }, 'initialBacklogDays: must be 0 or more'],
    [{ casesPerDay: 100_000 }, 'casesPerDay: about'],
  ])('refuses a bad config %j, naming the field', (override, message) => {
    const config = { ...BASE, ...override } as SimulationConfig;
    expect(() => simulate(config)).toThrow(SimulationConfigError);
    expect(() => simulate(config)).toThrow(message);
  });
});
