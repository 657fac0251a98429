import { EstimationInputError } from './errors';
import { conditionalQuantile, curveQuantile, kaplanMeier, survivalAt } from './kaplan-meier';
import { knownAsOf, survivalRecords, type SurvivalRecord } from './observations';
import { histogramOf, nearestRankPercentile } from './statistics';

const event = (exit: number, entry = 0): SurvivalRecord => ({ entry, exit, decided: true, count: 1 });
const censored = (exit: number, entry = 0): SurvivalRecord => ({ entry, exit, decided: false, count: 1 });

/**
 * The 6-MP arm of Freireich et al. (1963), the textbook Kaplan–Meier example (Gehan 1965;
 * Kleinbaum & Klein, "Survival Analysis", ch. 2): 21 patients, 9 events, 12 censored (+).
 *   6 6 6 6+ 7 9+ 10 10+ 11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+
 */
const sixMp = [
  ...[6, 6, 6, 7, 10, 13, 16, 22, 23].map((t) => event(t)),
  ...[6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35].map((t) => censored(t)),
];

describe('kaplanMeier on the 6-MP textbook example', () => {
  const curve = kaplanMeier(sixMp);

  it('steps down at each event age by (1 − d/n), censored cases leaving the risk set after their age', () => {
    // t   n   d   S(t)
    // 6   21  3   18/21                = 0.8571   (the case censored at 6 is still at risk at 6)
    // 7   17  1   0.8571 · 16/17       = 0.8067
    // 10  15  1   0.8067 · 14/15       = 0.7529   (9+ has left; 10+ is still at risk at 10)
    // 13  12  1   0.7529 · 11/12       = 0.6902
    // 16  11  1   0.6902 · 10/11       = 0.6275
    // 22   7  1   0.6275 · 6/7         = 0.5378
    // 23   6  1   0.5378 · 5/6         = 0.4482
    expect(curve.points.map((p) => [p.days, p.atRisk, p.decided])).toEqual([
      [6, 21, 3], [7, 17, 1], [10, 15, 1], [13, 12, 1], [16, 11, 1], [22, 7, 1], [23, 6, 1],
    ]);
    const expected = [0.8571, 0.8067, 0.7529, 0.6902, 0.6275, 0.5378, 0.4482];
    curve.points.forEach((point, i) => expect(point.survival).toBeCloseTo(expected[i], 4));
    expect(curve).toMatchObject({ cases: 21, decided: 9, censored: 12, lateEntries: 0, maxObservedDays: 35 });
  });

  it('is a step function: 1 before the first event, constant between events', () => {
    expect(survivalAt(curve, 5)).toBe(1);
    expect(survivalAt(curve, 6)).toBeCloseTo(18 / 21, 12);
    expect(survivalAt(curve, 9)).toBeCloseTo((18 / 21) * (16 / 17), 12);
    expect(survivalAt(curve, 100)).toBeCloseTo(0.4482, 4);
  });

  it("has Greenwood standard errors S·√Σ d/(n(n−d))", () => {
    // t=6:  Σ = 3/(21·18) = 0.0079365;           SE = 0.857143 · √0.0079365 = 0.0764
    // t=7:  Σ += 1/(17·16) = 0.0036765 → 0.011613; SE = 0.806723 · √0.011613 = 0.0869
    // t=10: Σ += 1/(15·14) = 0.0047619 → 0.016375; SE = 0.752941 · √0.016375 = 0.0963
    expect(curve.points[0].standardError).toBeCloseTo(0.0764, 4);
    expect(curve.points[1].standardError).toBeCloseTo(0.0869, 4);
    expect(curve.points[2].standardError).toBeCloseTo(0.0963, 4);
    expect(curve.points[6].standardError).toBeCloseTo(0.1346, 4);
  });

  it('has log-log bands S^exp(±z·σ), σ = √Σ / |ln S|, inside [0, 1]', () => {
    // t=6: ln S = ln(6/7) = −0.154151; σ = 0.089087/0.154151 = 0.577920; z·σ = 1.132703
    //      lower = (6/7)^exp(1.132703) = (6/7)^3.10398 = 0.6197
    //      upper = (6/7)^exp(−1.132703) = (6/7)^0.322169 = 0.9516
    // These match R: survfit(Surv(time, status) ~ 1, conf.type = "log-log").
    expect(curve.points[0].lower).toBeCloseTo(0.6197, 4);
    expect(curve.points[0].upper).toBeCloseTo(0.9516, 4);
    expect(curve.points[6].lower).toBeCloseTo(0.1881, 4);
    expect(curve.points[6].upper).toBeCloseTo(0.6801, 4);
    for (const point of curve.points) {
      expect(point.lower).toBeGreaterThanOrEqual(0);
      expect(point.lower).toBeLessThan(point.survival);
      expect(point.upper).toBeGreaterThan(point.survival);
      expect(point.upper).toBeLessThanOrEqual(1);
    }
  });

  it('narrows the band at a lower confidence level', () => {
    const narrow = kaplanMeier(sixMp, 0.8);
    expect(narrow.points[0].lower).toBeGreaterThan(curve.points[0].lower);
    expect(narrow.points[0].upper).toBeLessThan(curve.points[0].upper);
  });

  it('reads quantiles and their intervals from the curve, null where it never falls that low', () => {
    // Median: first S ≤ 0.5 is at 23 (0.4482). Interval: the lower band first reaches 0.5 at
    // 13 (0.4316; at 10 it is 0.5032); the upper band never does (0.6801 at the end). R: 23, 13, NA.
    expect(curveQuantile(curve, 0.5)).toEqual({ probability: 0.5, days: 23, lower: 13, upper: null, atRisk: 6 });
    // 80 %: S never falls to 0.2, so no estimate; the lower band does at 23 (0.1881; 0.2678 at 22).
    expect(curveQuantile(curve, 0.8)).toEqual({ probability: 0.8, days: null, lower: 23, upper: null, atRisk: null });
  });
});

describe('kaplanMeier edge cases', () => {
  it('with ties and no censoring gives the empirical curve, whose quantiles are the nearest-rank percentiles', () => {
    const durations = [3, 3, 3, 5, 8, 8, 13, 21, 21, 21, 34];
    const curve = kaplanMeier(durations.map((t) => event(t)));
    // S(3) = 8/11, S(5) = 7/11, S(8) = 5/11, S(13) = 4/11, S(21) = 1/11, S(34) = 0
    expect(curve.points.map((p) => p.survival)).toEqual([8 / 11, (8 / 11) * (7 / 8), expect.closeTo(5 / 11, 12), expect.closeTo(4 / 11, 12), expect.closeTo(1 / 11, 12), 0]);
    for (const p of [0.1, 0.5, 0.8, 0.93, 1]) {
      expect(curveQuantile(curve, p).days).toBe(nearestRankPercentile(histogramOf(durations), p));
    }
  });

  it('collapses the band onto 0 when every case at risk is decided', () => {
    const last = kaplanMeier([event(1), event(2)]).points[1];
    expect(last).toEqual({ days: 2, atRisk: 1, decided: 1, survival: 0, standardError: 0, lower: 0, upper: 0 });
  });

  it('with every case censored stays at 1 and has no quantiles', () => {
    const curve = kaplanMeier([censored(4), censored(9), censored(9)]);
    expect(curve.points).toEqual([]);
    expect(curve).toMatchObject({ cases: 3, decided: 0, censored: 3, maxObservedDays: 9 });
    expect(survivalAt(curve, 1000)).toBe(1);
    expect(curveQuantile(curve, 0.5)).toEqual({ probability: 0.5, days: null, lower: null, upper: null, atRisk: null });
  });

  it('is empty without cases', () => {
    expect(kaplanMeier([])).toMatchObject({ points: [], cases: 0, maxObservedDays: null });
  });

  it('counts a late-entering case in the risk set only from its entry age', () => {
    // A: 0→2 decided, B: 0→5 decided, C: entered at 3 → 4 decided, D: 0→6 censored.
    //   t=2: at risk A B D (C not yet)  n=3 d=1  S = 2/3
    //   t=4: at risk B C D              n=3 d=1  S = 2/3 · 2/3 = 4/9
    //   t=5: at risk B D                n=2 d=1  S = 4/9 · 1/2 = 2/9
    // Had C been counted from age 0, S(2) would be 3/4 and S(5) = 1/4.
    const late = kaplanMeier([event(2), event(5), event(4, 3), censored(6)]);
    expect(late.points.map((p) => [p.days, p.atRisk])).toEqual([[2, 3], [4, 3], [5, 2]]);
    expect(late.points.map((p) => p.survival)).toEqual([2 / 3, 4 / 9, 2 / 9].map((s) => expect.closeTo(s, 12)));
    expect(late.lateEntries).toBe(1);
    const fromZero = kaplanMeier([event(2), event(5), event(4), censored(6)]);
    expect(fromZero.points.map((p) => p.survival)).toEqual([3 / 4, 1 / 2, 1 / 4].map((s) => expect.closeTo(s, 12)));
  });

  it('counts a case decided on the day it came under observation', () => {
    // Observed from age 4 and decided that day: it had not been decided before 4, so it is at risk at 4.
    const curve = kaplanMeier([event(4, 4), censored(10), censored(10)]);
    expect(curve.points).toMatchObject([{ days: 4, atRisk: 3, decided: 1 }]);
  });

  it('weighs aggregated rows by their count exactly as repeated rows', () => {
    const rows = kaplanMeier([{ entry: 0, exit: 6, decided: true, count: 3 }, { entry: 0, exit: 9, decided: false, count: 2 }, event(12)]);
    const repeated = kaplanMeier([event(6), event(6), event(6), censored(9), censored(9), event(12)]);
    expect(rows).toEqual(repeated);
  });

  it('refuses impossible records and confidence levels', () => {
    expect(() => kaplanMeier([event(3, 5)])).toThrow(EstimationInputError);
    expect(() => kaplanMeier([event(3, 5)])).toThrow('records[0]: expected whole ages with 0 ≤ entry ≤ exit, got entry 5, exit 3');
    expect(() => kaplanMeier([event(2.5)])).toThrow('records[0]');
    expect(() => kaplanMeier([event(2)], 1)).toThrow('confidenceLevel: expected a level strictly between 0 and 1, got 1');
  });
});

describe('delayed entry from observations (a history that starts mid-stream)', () => {
  it('enters a case at its age when observation began, and ignores what came after asOf', () => {
    const asOf = 200;
    const records = survivalRecords(
      knownAsOf(
        [
          { receivedAt: 50, decidedAt: 130, observedFrom: 100 }, // already 50 days old when the history starts
          { receivedAt: 120, decidedAt: 150 },
          { receivedAt: 150, decidedAt: 260 }, // decided after asOf: pending then, censored at 50
          { receivedAt: 20, decidedAt: null, observedFrom: 100 },
          { receivedAt: 210, decidedAt: null }, // received after asOf: unknown then
        ],
        asOf,
      ),
      asOf,
    );
    expect(records).toEqual([
      { entry: 50, exit: 80, decided: true, count: 1 },
      { entry: 0, exit: 30, decided: true, count: 1 },
      { entry: 0, exit: 50, decided: false, count: 1 },
      { entry: 80, exit: 180, decided: false, count: 1 },
    ]);
  });

  it('with a period window keeps only the recent experience', () => {
    // Decided at 30 days for receipts before day 200, at 60 after; asOf 299.
    const cohort = Array.from({ length: 300 }, (_, received) => {
      const days = received < 200 ? 30 : 60;
      return { receivedAt: received, decidedAt: received + days <= 299 ? received + days : null };
    });
    const known = knownAsOf(cohort, 299);
    expect(curveQuantile(kaplanMeier(survivalRecords(known, 299)), 0.5).days).toBe(30);
    // Last 60 days (240–299): the fast cases were all decided by day 229 and drop out.
    const recent = kaplanMeier(survivalRecords(known, 299, 60));
    expect(curveQuantile(recent, 0.5).days).toBe(60);
    expect(recent.lateEntries).toBeGreaterThan(0);
  });
});

describe('conditionalQuantile', () => {
  // Durations spread at the exact quantiles of an exponential distribution with mean 60
  // days: whatever a case's age, its remaining wait has median 60·ln 2 = 41.6 days and
  // 80th percentile 60·ln 5 = 96.6 days (memorylessness).
  const n = 20000;
  const exponential = kaplanMeier(Array.from({ length: n }, (_, i) => event(Math.round(-60 * Math.log(1 - (i + 0.5) / n)))));

  it.each([0, 30, 90, 180])('matches the closed form for an exponential at age %i', (age) => {
    const median = conditionalQuantile(exponential, age, 0.5);
    const p80 = conditionalQuantile(exponential, age, 0.8);
    if (!median.ok || !p80.ok) throw new Error('expected both quantiles');
    expect(Math.abs(median.days - age - 60 * Math.LN2)).toBeLessThanOrEqual(1.5);
    expect(Math.abs(p80.days - age - 60 * Math.log(5))).toBeLessThanOrEqual(1.5);
  });

  it('matches the closed form for evenly spread durations, where waiting does change what is left', () => {
    // Durations 1…100, one case each: S(t) = (100 − t)/100. Pending at 40 (S = 0.6), the
    // median is the first t with S(t) ≤ 0.3 → 70, the 80 % point the first with S(t) ≤ 0.12 → 88;
    // at age 0 they are 50 and 80.
    const uniform = kaplanMeier(Array.from({ length: 100 }, (_, i) => event(i + 1)));
    expect(conditionalQuantile(uniform, 40, 0.5)).toEqual({ ok: true, probability: 0.5, days: 70, atRisk: 31 });
    expect(conditionalQuantile(uniform, 40, 0.8)).toMatchObject({ ok: true, days: 88 });
    expect(conditionalQuantile(uniform, 0, 0.5)).toMatchObject({ days: 50 });
    expect(conditionalQuantile(uniform, 0, 0.8)).toMatchObject({ days: 80 });
  });

  it('is the plain quantile at age 0 and always later than the age it conditions on', () => {
    const curve = kaplanMeier(sixMp);
    expect(conditionalQuantile(curve, 0, 0.5)).toEqual({ ok: true, probability: 0.5, days: 23, atRisk: 6 });
    for (let age = 0; age <= 40; age++) {
      for (const p of [0.05, 0.5, 0.8]) {
        const q = conditionalQuantile(curve, age, p);
        if (q.ok) expect(q.days).toBeGreaterThan(age);
      }
    }
  });

  it('uses S(t)/S(a): on 6-MP at age 10 the median is the first t with S(t) ≤ 0.5·0.7529 = 0.3765', () => {
    // S(23) = 0.4482 > 0.3765 and there is no later event: not reachable.
    expect(conditionalQuantile(kaplanMeier(sixMp), 10, 0.5)).toEqual({ ok: false, probability: 0.5, reason: 'CURVE_DOES_NOT_REACH' });
    // At age 10, 25 %: S(t) ≤ 0.75·0.7529 = 0.5647 → t = 22 (0.5378).
    expect(conditionalQuantile(kaplanMeier(sixMp), 10, 0.25)).toMatchObject({ ok: true, days: 22 });
  });

  it('gives no quantile once the curve is at 0', () => {
    expect(conditionalQuantile(kaplanMeier([event(1), event(2)]), 2, 0.5)).toEqual({ ok: false, probability: 0.5, reason: 'CURVE_ALREADY_ZERO' });
  });

  it('refuses a negative or fractional age', () => {
    expect(() => conditionalQuantile(exponential, -1, 0.5)).toThrow('ageDays: expected a whole age of at least 0 days, got -1');
    expect(() => conditionalQuantile(exponential, 1, 0)).toThrow(EstimationInputError);
  });
});
