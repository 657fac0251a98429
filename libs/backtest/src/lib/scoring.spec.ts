import { dayFromIso, median } from '@case-status/processing-time';
import type { ReplayHistory } from './history';
import type { Prediction } from './replay';
import { quarterOf, scorecard, scorecardsByPeriod } from './scoring';

/** Cases a…e: received on day 0 of a 100-day history; decided on the day given, or never. */
const history: ReplayHistory = {
  endDay: 100,
  cases: [
    ['a', 30],
    ['b', 50],
    ['c', 90],
    ['d', null],
    ['e', 99],
  ].map(([caseId, decidedAt]) => ({ caseId: caseId as string, receivedAt: 0, decidedAt: decidedAt as number | null, cohorts: [{ from: 0, cohort: 'x' }] })),
};

function prediction(method: string, caseId: string, asOf: number, likelyBy: number | null, eightyPercentBy: number | null, reasons: string[] = []): Prediction {
  return { method, caseId, cohort: 'x', asOf, receivedAt: 0, likelyBy, eightyPercentBy, reasons };
}

describe('scorecard', () => {
  const predictions = [
    // On day 20, the survival method: a covered (30 ≤ 40), b missed (50 > 45), c's date
    // is after the history (not scored), d never decided by its date 80: a miss.
    prediction('survival', 'a', 20, 25, 40),
    prediction('survival', 'b', 20, 40, 45),
    prediction('survival', 'c', 20, 60, 120),
    prediction('survival', 'd', 20, 50, 80),
    prediction('survival', 'e', 20, null, null, ['TOO_FEW_DECIDED']),
    // The published method on the same day: received + 15 and + 18, both already past for all.
    ...['a', 'b', 'c', 'd', 'e'].map((id) => prediction('published', id, 20, 15, 18)),
  ];
  const card = scorecard(predictions, history);

  it('counts 80 % dates by the end of the history, a case still undecided then as a miss', () => {
    expect(card.methods['survival']).toMatchObject({ predictions: 5, dated: 4, scored: 3, covered: 1, coverage: 1 / 3 });
    // Past dates are scored too, and always miss: the case was still pending on the as-of day.
    expect(card.methods['published']).toMatchObject({ dated: 5, scored: 5, covered: 0, coverage: 0 });
  });

  it('counts withheld dates with their reasons, and dates already past when given', () => {
    expect(card.methods['survival']).toMatchObject({ withheld: 1, withheldShare: 0.2, withheldReasons: { TOO_FEW_DECIDED: 1 }, pastDates: 0, pastShare: 0 });
    expect(card.methods['published']).toMatchObject({ withheld: 0, pastDates: 5, pastShare: 1, likelyPast: 5 });
  });

  it('takes the median absolute error of the likely-by date over cases that got decided', () => {
    // a |30−25| = 5, b |50−40| = 10, c |90−60| = 30; d never decided, e withheld.
    expect(card.methods['survival']).toMatchObject({ medianAbsoluteError: 10, errorCount: 3 });
    // a 15, b 35, c 75, e 84 → (35 + 75) / 2.
    expect(card.methods['published']).toMatchObject({ medianAbsoluteError: 55, errorCount: 4 });
    // On the cases both dated and that got decided (a, b, c), the published errors are 15, 35, 75.
    expect(card.paired['survival']).toEqual({ count: 3, survival: 10, published: 35 });
  });

  it('gives the median wait the 80 % dates promise, from the as-of day', () => {
    // 40, 45, 120, 80 → 20, 25, 100, 60 days away.
    expect(card.methods['survival'].medianHorizonDays).toBe(42.5);
  });

  it('has no shares where nothing was scored', () => {
    const empty = scorecard([prediction('survival', 'c', 20, null, 120)], history).methods['survival'];
    expect(empty).toMatchObject({ scored: 0, coverage: null, medianAbsoluteError: null, errorCount: 0 });
  });

  it('refuses predictions about a case the history does not have', () => {
    expect(() => scorecard([prediction('survival', 'zz', 20, 25, 40)], history)).toThrow('no outcome for case zz');
  });

  it('groups by quarter of the as-of day, in order', () => {
    const jan = dayFromIso('2026-01-15');
    const may = dayFromIso('2026-05-02');
    const quarterly = { ...history, cases: history.cases.map((item) => ({ ...item, receivedAt: jan - 100 })) };
    const periods = scorecardsByPeriod([prediction('survival', 'a', may, may + 1, may + 2), prediction('survival', 'b', jan, jan + 1, jan + 2)], quarterly);
    expect(periods.map((p) => [p.period, p.scorecard.methods['survival'].predictions])).toEqual([
      ['2026-Q1', 1],
      ['2026-Q2', 1],
    ]);
  });
});

describe('quarterOf and median', () => {
  it.each([
    ['2026-01-01', '2026-Q1'],
    ['2026-03-31', '2026-Q1'],
    ['2026-04-01', '2026-Q2'],
    ['2026-12-31', '2026-Q4'],
  ])('puts %s in %s', (iso, quarter) => expect(quarterOf(dayFromIso(iso))).toBe(quarter));

  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBeNull();
  });
});
