import { decided, pending } from '../testing/cohorts';
import { publishedStyleFigures } from './published-style';

describe('publishedStyleFigures', () => {
  const asOf = 1000;

  it('takes nearest-rank percentiles of the cases decided in the trailing window, both ends included', () => {
    const cohort = [
      ...[10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((days, k) => decided(asOf - k, days)),
      decided(asOf - 181, 5), // the window's first day: counted
      decided(asOf - 182, 500), // the day before: not counted
      pending(asOf - 900), // pending cases never count, however old
    ];
    // Eleven durations 5, 10 … 100: rank ⌈0.5·11⌉ = 6 → 50; ⌈0.8·11⌉ = 9 → 80; ⌈0.93·11⌉ = 11 → 100.
    expect(publishedStyleFigures(cohort, asOf)).toEqual({
      method: 'nearest-rank percentiles of decided cases',
      windowStart: { day: asOf - 181, date: '1972-03-30' },
      windowEnd: { day: asOf, date: '1972-09-27' },
      windowDays: 182,
      decidedCount: 11,
      medianDays: 50,
      p80Days: 80,
      p93Days: 100,
    });
  });

  it('sees only what was known at asOf: later decisions do not count', () => {
    const figures = publishedStyleFigures([decided(asOf + 1, 3), decided(asOf, 7)], asOf, 30);
    expect(figures).toMatchObject({ windowDays: 30, decidedCount: 1, medianDays: 7 });
  });

  it('is null, not zero, without decisions in the window', () => {
    expect(publishedStyleFigures([pending(asOf - 10)], asOf)).toMatchObject({ decidedCount: 0, medianDays: null, p80Days: null, p93Days: null });
  });

  it('refuses a window that is not a whole number of days and malformed cases', () => {
    expect(() => publishedStyleFigures([], asOf, 0)).toThrow('windowDays: expected a whole number of days of at least 1, got 0');
    expect(() => publishedStyleFigures([{ receivedAt: 5, decidedAt: 4 }], asOf)).toThrow('cohort[0].decidedAt: decided (day 4) before it was received (day 5)');
  });
});
