import { EstimationInputError } from './errors';
import { asHistogram, histogramOf, nearestRankPercentile, normalQuantile } from './statistics';

describe('nearestRankPercentile', () => {
  // Ten durations 1..10: rank ⌈0.5·10⌉ = 5 → 5; ⌈0.8·10⌉ = 8 → 8; ⌈0.93·10⌉ = 10 → 10.
  const histogram = histogramOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

  it('takes the value at rank ⌈p·n⌉', () => {
    expect(nearestRankPercentile(histogram, 0.5)).toBe(5);
    expect(nearestRankPercentile(histogram, 0.8)).toBe(8);
    expect(nearestRankPercentile(histogram, 0.93)).toBe(10);
    expect(nearestRankPercentile(histogram, 0.51)).toBe(6);
  });

  it('weighs histogram buckets by their counts and is null when empty', () => {
    expect(nearestRankPercentile([{ days: 3, count: 4 }, { days: 9, count: 1 }], 0.8)).toBe(3);
    expect(nearestRankPercentile([{ days: 3, count: 4 }, { days: 9, count: 1 }], 0.81)).toBe(9);
    expect(nearestRankPercentile([], 0.5)).toBeNull();
  });

  it('refuses a percentile outside (0, 1]', () => {
    expect(() => nearestRankPercentile(histogram, 0)).toThrow(EstimationInputError);
    expect(() => nearestRankPercentile(histogram, 1.2)).toThrow('percentile: expected a probability in (0, 1], got 1.2');
  });
});

describe('asHistogram', () => {
  it('accepts plain values or buckets, and refuses negative or fractional days', () => {
    expect(asHistogram([2, 2, 5], 'gaps')).toEqual([{ days: 2, count: 2 }, { days: 5, count: 1 }]);
    expect(asHistogram([{ days: 2, count: 2 }], 'gaps')).toEqual([{ days: 2, count: 2 }]);
    expect(() => asHistogram([2, -1], 'gaps')).toThrow('gaps[0]: expected a whole number of days');
    expect(() => asHistogram([{ days: 1.5, count: 1 }], 'gaps')).toThrow('gaps[0]:');
  });
});

describe('normalQuantile', () => {
  it('matches tabulated values of the standard normal distribution', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 6);
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.005)).toBeCloseTo(-2.575829, 6);
  });

  it('refuses 0 and 1', () => {
    expect(() => normalQuantile(1)).toThrow(EstimationInputError);
    expect(() => normalQuantile(0)).toThrow(EstimationInputError);
  });
});
