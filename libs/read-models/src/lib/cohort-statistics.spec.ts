import { addDays, agingBucketOf, percentileOfHistogram } from './cohort-statistics';

describe('percentileOfHistogram (nearest rank)', () => {
  const histogram = [
    { days: 30, cases: 2 },
    { days: 10, cases: 5 },
    { days: 90, cases: 3 },
  ]; // 10 cases: 10,10,10,10,10,30,30,90,90,90

  it('returns the smallest duration covering the share of cases', () => {
    expect(percentileOfHistogram(histogram, 0.5)).toBe(10);
    expect(percentileOfHistogram(histogram, 0.6)).toBe(30);
    expect(percentileOfHistogram(histogram, 0.8)).toBe(90);
    expect(percentileOfHistogram(histogram, 1)).toBe(90);
  });

  it('is null without cases and ignores empty buckets', () => {
    expect(percentileOfHistogram([], 0.5)).toBeNull();
    expect(percentileOfHistogram([{ days: 4, cases: 0 }], 0.5)).toBeNull();
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => percentileOfHistogram(histogram, 0)).toThrow('percentile must be in (0, 1], got 0');
    expect(() => percentileOfHistogram(histogram, 80)).toThrow(RangeError);
  });
});

describe('aging buckets', () => {
  it.each([
    [0, 'upTo30'],
    [30, 'upTo30'],
    [31, 'upTo90'],
    [180, 'upTo180'],
    [365, 'upTo365'],
    [366, 'over365'],
  ] as const)('puts a case %i days old in %s', (age, bucket) => {
    expect(agingBucketOf(age)).toBe(bucket);
  });

  it('counts days across month and leap-year ends', () => {
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
