import { decided, pending, slowdown, steadyDecided } from '../testing/cohorts';
import { estimateCase } from './estimate-case';
import type { CaseEstimate } from './estimate.types';
import { kaplanMeier } from './kaplan-meier';
import type { CaseObservation } from './observations';
import { DEFAULT_THRESHOLDS } from './thresholds';
import { reasonWording } from './wording';
import { reasonsToWithholdEveryDate, reasonToWithholdDate, type CaseFacts } from './withholding-rules';

const codes = (estimate: CaseEstimate) => estimate.reasons.map((r) => (r.probability === null ? r.code : `${r.code}@${r.probability}`));

describe('estimateCase: no reliable estimate, and why', () => {
  const asOf = 1000;

  it('TOO_FEW_DECIDED below 30 decided cases, with no dates at all', () => {
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 29), case: { receivedAt: asOf }, asOf });
    expect(codes(estimate)).toEqual(['TOO_FEW_DECIDED']);
    expect(estimate.reasons).toEqual([{ code: 'TOO_FEW_DECIDED', probability: null, observed: 29, threshold: 30 }]);
    expect(reasonWording(estimate.reasons[0], estimate, 'en')).toContain('Only 29 cases like yours have been decided so far');
    expect(estimate).toMatchObject({ method: 'none', likelyBy: null, eightyPercentBy: null });
  });

  it('not TOO_FEW_DECIDED at 30 decided cases', () => {
    // Durations 1..30: median at 15 (16 at risk); the 80 % age 24 rests on 7 cases only.
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 30), case: { receivedAt: asOf }, asOf });
    expect(codes(estimate)).toEqual(['TOO_FEW_AT_RISK@0.8']);
    expect(estimate.likelyBy).toMatchObject({ day: asOf + 15, atRisk: 16 });
    expect(estimate.method).toBe('conditional-kaplan-meier');
  });

  it('TOO_FEW_AT_RISK when fewer than 10 cases are at risk at the 80 % age (44 decided: age 36, 9 at risk)', () => {
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 44), case: { receivedAt: asOf }, asOf });
    expect(estimate.reasons).toEqual([expect.objectContaining({ code: 'TOO_FEW_AT_RISK', probability: 0.8, observed: 9, threshold: 10 })]);
    expect(estimate.eightyPercentBy).toBeNull();
    expect(estimate.likelyBy).not.toBeNull();
  });

  it('not TOO_FEW_AT_RISK at exactly 10 (45 decided: age 36, 10 at risk)', () => {
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 45), case: { receivedAt: asOf }, asOf });
    expect(estimate.reasons).toEqual([]);
    expect(estimate.eightyPercentBy).toMatchObject({ day: asOf + 36, atRisk: 10 });
  });

  describe('DECISIONS_STOPPED', () => {
    // 126 decisions in weeks 5–26 before asOf, plus `recent` in the last 4 weeks.
    const cohortWith = (recent: number): CaseObservation[] => [
      ...Array.from({ length: 126 }, (_, k) => decided(asOf - 28 - k, 30 + (k % 40))),
      ...Array.from({ length: recent }, (_, k) => decided(asOf - 2 * k, 30 + k)),
    ];

    it('not at exactly 20 % of the 26-week rate: 4 recent → 1 a week against 130/26 = 5 a week', () => {
      const estimate = estimateCase({ cohort: cohortWith(4), case: { receivedAt: asOf }, asOf });
      expect(estimate.decisionPace.ratio).toBe(0.2);
      expect(codes(estimate)).toEqual([]);
    });

    it('below it: 3 recent → 0.75 a week against 129/26 ≈ 4.96 a week', () => {
      const estimate = estimateCase({ cohort: cohortWith(3), case: { receivedAt: asOf }, asOf });
      expect(codes(estimate)).toEqual(['DECISIONS_STOPPED']);
      expect(estimate.reasons[0]).toMatchObject({ observed: expect.closeTo(0.151, 3), threshold: 0.2 });
      expect(estimate.decisionPace).toMatchObject({ recent: { weeks: 4, perWeek: 0.75 }, baseline: { weeks: 26, perWeek: expect.closeTo(4.96, 2) } });
      expect(reasonWording(estimate.reasons[0], estimate, 'en')).toContain('about 0.8 a week over the last 4 weeks, against 5 a week over the last 26');
      expect(estimate.likelyBy).toBeNull();
    });

    it('during a program pause, with the standstill visible in the queue', () => {
      const cohort = [...cohortWith(0), ...Array.from({ length: 50 }, (_, k) => pending(asOf - k))];
      const estimate = estimateCase({ cohort, case: { receivedAt: asOf - 20 }, asOf });
      expect(codes(estimate)).toContain('DECISIONS_STOPPED');
      expect(estimate.queue).toMatchObject({ openAhead: 29, last4Weeks: { decided: 0 }, standstill: true, weeksToClearAheadAtRecentPace: null });
    });
  });

  describe('MOST_PEERS_PENDING', () => {
    it('when most cases received with this one still wait although the curve expects them decided', () => {
      const estimate = estimateCase({ cohort: slowdown(), case: { receivedAt: 320 }, asOf: 400 });
      expect(estimate.peers).toMatchObject({ peers: 122, pending: 70 });
      expect(estimate.peers.expectedPendingShare).toBeLessThan(0.5);
      expect(codes(estimate)).toEqual(['MOST_PEERS_PENDING']);
      expect(estimate.reasons[0]).toMatchObject({ observed: expect.closeTo(70 / 122, 6), threshold: 0.5 });
      expect(reasonWording(estimate.reasons[0], estimate, 'en')).toContain('57% of the cases received within 30 days of yours are still waiting');
      expect(estimate.likelyBy).toBeNull();
    });

    it('not when the cohort keeps its pace', () => {
      const estimate = estimateCase({ cohort: slowdown(false), case: { receivedAt: 355 }, asOf: 400 });
      expect(estimate.peers.pendingShare).toBeCloseTo(estimate.peers.expectedPendingShare ?? 0, 1);
      expect(codes(estimate)).toEqual([]);
    });

    it('not for a young case whose peers the curve expects to be pending', () => {
      const estimate = estimateCase({ cohort: slowdown(false), case: { receivedAt: 395 }, asOf: 400 });
      expect(estimate.peers.pendingShare).toBeGreaterThan(0.5);
      expect(codes(estimate)).toEqual([]);
    });
  });

  it('OLDER_THAN_DECIDED_CASES when the case has waited longer than every decided case took', () => {
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 45), case: { receivedAt: asOf - 60 }, asOf });
    expect(codes(estimate)).toEqual(['OLDER_THAN_DECIDED_CASES']);
    expect(estimate).toMatchObject({ method: 'none', ageDays: 60, likelyBy: null, eightyPercentBy: null });
  });

  it('CURVE_DOES_NOT_REACH 80 % while too many cases are still pending, keeping the 50 % date', () => {
    // 45 decided at 1..45 days plus 30 pending at age 100: S ends at 30/75 = 0.4.
    const cohort = [...steadyDecided(asOf, 45), ...Array.from({ length: 30 }, () => pending(asOf - 100))];
    const estimate = estimateCase({ cohort, case: { receivedAt: asOf }, asOf });
    expect(codes(estimate)).toEqual(['CURVE_DOES_NOT_REACH@0.8']);
    // S(t) = (75 − t)/75 ≤ 0.5 first at t = 38.
    expect(estimate.likelyBy).toMatchObject({ day: asOf + 38, atRisk: 38 });
    expect(estimate.curve.p80.days).toBeNull();
  });

  it('CASE_DECIDED for a case decided by asOf; one decided later is still pending then', () => {
    const cohort = steadyDecided(asOf, 45);
    expect(codes(estimateCase({ cohort, case: { receivedAt: asOf - 5, decidedAt: asOf }, asOf }))).toEqual(['CASE_DECIDED']);
    expect(estimateCase({ cohort, case: { receivedAt: asOf - 5, decidedAt: asOf + 3 }, asOf }).likelyBy).not.toBeNull();
  });

  it('honours overridden thresholds', () => {
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 45), case: { receivedAt: asOf }, asOf, options: { thresholds: { minDecidedCases: 46 } } });
    expect(codes(estimate)).toEqual(['TOO_FEW_DECIDED']);
  });
});

describe('the withholding rules on their own', () => {
  // 40 cases decided at 1..40 days: a curve that ends at age 40.
  const curve = kaplanMeier(Array.from({ length: 40 }, (_, k) => ({ entry: 0, exit: k + 1, decided: true, count: 1 })));
  const facts: CaseFacts = {
    decided: false,
    ageDays: 10,
    position: 10,
    curve,
    peers: { windowDays: 30, peers: 0, pending: 0, pendingShare: null, expectedPendingShare: null },
    decisionPace: { recent: { weeks: 4, decided: 8, perWeek: 2 }, baseline: { weeks: 26, decided: 52, perWeek: 2 }, ratio: 1 },
    openTotal: 5,
    pacePerDay: null,
  };

  it('give reasons as codes and facts, never words', () => {
    const reasons = [
      ...reasonsToWithholdEveryDate({ ...facts, decided: true, curve: kaplanMeier([]), pacePerDay: 0 }, DEFAULT_THRESHOLDS),
      reasonToWithholdDate(0.8, null, DEFAULT_THRESHOLDS),
      reasonToWithholdDate(0.5, { atRisk: 3 }, DEFAULT_THRESHOLDS),
    ];
    expect(reasons.map((r) => r?.code)).toEqual(['CASE_DECIDED', 'TOO_FEW_DECIDED', 'DECISIONS_STOPPED', 'CURVE_DOES_NOT_REACH', 'TOO_FEW_AT_RISK']);
    for (const reason of reasons) expect(Object.keys(reason ?? {}).sort()).toEqual(['code', 'observed', 'probability', 'threshold']);
  });

  it('withhold nothing from a case the curve covers', () => {
    expect(reasonsToWithholdEveryDate(facts, DEFAULT_THRESHOLDS)).toEqual([]);
    expect(reasonToWithholdDate(0.5, { atRisk: 10 }, DEFAULT_THRESHOLDS)).toBeNull();
  });

  it('say a case is older than the decided ones only when nothing else withholds its dates', () => {
    expect(reasonsToWithholdEveryDate({ ...facts, ageDays: 41, position: 41 }, DEFAULT_THRESHOLDS)).toEqual([{ code: 'OLDER_THAN_DECIDED_CASES', probability: null, observed: 41, threshold: null }]);
    expect(reasonsToWithholdEveryDate({ ...facts, ageDays: 41, position: 41, decided: true }, DEFAULT_THRESHOLDS).map((r) => r.code)).toEqual(['CASE_DECIDED']);
  });

  it('withhold every date on the queue clock when no decision sets its pace', () => {
    expect(reasonsToWithholdEveryDate({ ...facts, pacePerDay: 0 }, DEFAULT_THRESHOLDS)).toEqual([{ code: 'DECISIONS_STOPPED', probability: null, observed: 1, threshold: 0.2 }]);
  });
});
