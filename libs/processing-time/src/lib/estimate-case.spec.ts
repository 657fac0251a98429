import { decided, growingBacklog, pending, slowdown, steadyDecided } from '../testing/cohorts';
import { EstimationInputError } from './errors';
import { estimateCase, estimateCases, estimateCohort, type CaseEstimate } from './estimate-case';
import type { CaseObservation } from './observations';

const codes = (estimate: CaseEstimate) => estimate.reasons.map((r) => (r.probability === null ? r.code : `${r.code}@${r.probability}`));

describe('estimateCase on a growing backlog (the motivating example)', () => {
  const asOf = 364;
  const cohort = growingBacklog();

  it('counts pending cases as censored, so its figures are longer than the decided-only ones', () => {
    const { publishedStyle, curve } = estimateCohort({ cohort, asOf });
    // Decided in the last 182 days are mostly simple cases: the complex ones received in
    // that time are still pending and left out.
    expect(publishedStyle).toMatchObject({ decidedCount: 573, medianDays: 31, p80Days: 39 });
    // The curve keeps them (554 censored), and 40 % of cases being complex shows.
    expect(curve).toMatchObject({ cases: 1295, decided: 741, censored: 554 });
    expect(curve.median.days).toBe(37);
    expect(curve.p80).toMatchObject({ days: 244, lower: 234, upper: 254 });
    expect(curve.p80.days ?? 0).toBeGreaterThan((publishedStyle.p80Days ?? 0) * 5);
  });

  it('read as a per-case date, the published 80 % figure is already past for most pending cases', () => {
    const p80 = estimateCohort({ cohort, asOf }).publishedStyle.p80Days ?? 0;
    const waiting = cohort.filter((c) => c.decidedAt === null || c.decidedAt > asOf);
    const alreadyPast = waiting.filter((c) => c.receivedAt + p80 < asOf);
    expect(alreadyPast.length / waiting.length).toBeGreaterThan(0.6);
  });

  it('gives a pending case dates conditioned on its age', () => {
    const estimate = estimateCase({ cohort, case: { receivedAt: 300 }, asOf });
    expect(estimate).toMatchObject({
      asOf: { day: 364, date: '1970-12-31' },
      method: 'conditional-kaplan-meier',
      sampleSize: 1295,
      ageDays: 64,
      likelyBy: { day: 544, date: '1971-06-29', probability: 0.5, ageDays: 244, daysFromAsOf: 180 },
      eightyPercentBy: { day: 578, probability: 0.8, ageDays: 278, daysFromAsOf: 214 },
      reasons: [],
    });
    expect(estimate.queue.openAhead).toBeGreaterThan(0);
  });

  it('never gives a date that is already past, for any pending case at any asOf', () => {
    let dated = 0;
    for (const day of [150, 220, 290, 364]) {
      const waiting = cohort.filter((c, i) => i % 4 === 0 && c.receivedAt <= day && (c.decidedAt === null || c.decidedAt > day));
      for (const c of waiting) {
        const estimate = estimateCase({ cohort, case: { receivedAt: c.receivedAt }, asOf: day });
        for (const date of [estimate.likelyBy, estimate.eightyPercentBy]) {
          if (date === null) continue;
          dated++;
          expect(date.day).toBeGreaterThan(day);
          expect(date.daysFromAsOf).toBeGreaterThanOrEqual(1);
        }
        if (estimate.likelyBy && estimate.eightyPercentBy) expect(estimate.eightyPercentBy.day).toBeGreaterThanOrEqual(estimate.likelyBy.day);
        if (!estimate.likelyBy || !estimate.eightyPercentBy) expect(estimate.reasons.length).toBeGreaterThan(0);
      }
    }
    // Early on no complex case has been decided yet, so most dates are withheld with a reason.
    expect(dated).toBeGreaterThan(300);
  });
});

describe('estimateCase: no reliable estimate, and why', () => {
  const asOf = 1000;

  it('TOO_FEW_DECIDED below 30 decided cases, with no dates at all', () => {
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 29), case: { receivedAt: asOf }, asOf });
    expect(codes(estimate)).toEqual(['TOO_FEW_DECIDED']);
    expect(estimate.reasons[0]).toMatchObject({ observed: 29, threshold: 30, message: expect.stringContaining('Only 29 cases') });
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
      expect(estimate.reasons[0].message).toContain('0.8 a week over the last 4 weeks, against 5 a week over the last 26');
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
      expect(estimate.reasons[0].message).toContain('57 % of the cases received within 30 days of this one are still waiting');
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

describe('estimateCases', () => {
  it('gives every case exactly what estimateCase gives it, on either clock', () => {
    const cohort = growingBacklog();
    const cases = [{ receivedAt: 300 }, { receivedAt: 120 }, { receivedAt: 364 }, { receivedAt: 10, decidedAt: 40 }];
    for (const options of [{}, { timeScale: 'queue' as const, periodDays: 182 }]) {
      expect(estimateCases({ cohort, cases, asOf: 364, options })).toEqual(cases.map((target) => estimateCase({ cohort, case: target, asOf: 364, options })));
    }
  });

  it('names the case it refuses by its place in the list', () => {
    expect(() => estimateCases({ cohort: [], cases: [{ receivedAt: 1 }, { receivedAt: 20 }], asOf: 10 })).toThrow('cases[1].receivedAt: the case was received (day 20) after asOf (day 10)');
  });
});

describe('estimateCase results', () => {
  const asOf = 1000;

  it('includes staleness at the case\u2019s step when given', () => {
    const gaps = Array.from({ length: 20 }, (_, k) => k + 1);
    const estimate = estimateCase({ cohort: steadyDecided(asOf, 45), case: { receivedAt: asOf - 30, lastStep: { step: 'evidence_requested', since: asOf - 25, usualGaps: gaps } }, asOf });
    expect(estimate.staleness).toMatchObject({ step: 'evidence_requested', daysSinceLastStep: 25, usualGap: { p90Days: 18 }, stale: true });
    expect(estimateCase({ cohort: [], case: { receivedAt: asOf }, asOf }).staleness).toBeNull();
  });

  it('is plain data that survives JSON unchanged', () => {
    const estimate = estimateCase({ cohort: growingBacklog(), case: { receivedAt: 300 }, asOf: 364 });
    expect(JSON.parse(JSON.stringify(estimate))).toEqual(estimate);
  });

  it('uses period analysis when asked', () => {
    const cohort = slowdown();
    const whole = estimateCohort({ cohort, asOf: 400 });
    const recent = estimateCohort({ cohort, asOf: 400, options: { periodDays: 60 } });
    expect(recent.curve.periodDays).toBe(60);
    expect(recent.curve.decided).toBeLessThan(whole.curve.decided);
    expect(recent.curve.median.days ?? Infinity).toBeGreaterThan(whole.curve.median.days ?? 0);
  });

  it('refuses malformed input, naming the field', () => {
    const bad = (input: Parameters<typeof estimateCase>[0]) => () => estimateCase(input);
    expect(bad({ cohort: [decided(10, 1), { receivedAt: 5, decidedAt: 4 }], case: { receivedAt: 1 }, asOf })).toThrow('cohort[1].decidedAt: decided (day 4) before it was received (day 5)');
    expect(bad({ cohort: [{ receivedAt: 5, decidedAt: 8, observedFrom: 9 }], case: { receivedAt: 1 }, asOf })).toThrow('cohort[0].decidedAt: decided (day 8) before it came under observation (day 9)');
    expect(bad({ cohort: [{ receivedAt: 5, decidedAt: null, count: 0 }], case: { receivedAt: 1 }, asOf })).toThrow('cohort[0].count: expected a whole number of cases of at least 1, got 0');
    expect(bad({ cohort: [{ receivedAt: 5.5, decidedAt: null }], case: { receivedAt: 1 }, asOf })).toThrow('cohort[0].receivedAt: expected a whole day number');
    expect(bad({ cohort: [], case: { receivedAt: asOf + 1 }, asOf })).toThrow('case.receivedAt: the case was received (day 1001) after asOf (day 1000)');
    expect(bad({ cohort: [], case: { receivedAt: 10, decidedAt: 9 }, asOf })).toThrow('case.decidedAt: decided (day 9) before it was received (day 10)');
    expect(bad({ cohort: [], case: { receivedAt: 1 }, asOf: Number.NaN })).toThrow('asOf: expected a whole day number');
    expect(bad({ cohort: [], case: { receivedAt: 1 }, asOf, options: { thresholds: { minPeers: -1 } } })).toThrow('options.thresholds.minPeers: expected a number of at least 0, got -1');
    expect(bad({ cohort: [], case: { receivedAt: 1 }, asOf, options: { periodDays: 0 } })).toThrow('options.periodDays: expected a whole number of days of at least 1, got 0');
    expect(bad({ cohort: [], case: { receivedAt: 1 }, asOf, options: { confidenceLevel: 2 } })).toThrow(EstimationInputError);
  });
});
