import { staleness } from './staleness';
import { histogramOf } from './statistics';

describe('staleness', () => {
  const asOf = 300;
  // 20 gaps of 1..20 days: median rank 10 → 10 days; 90th percentile rank 18 → 18 days.
  const gaps = Array.from({ length: 20 }, (_, k) => k + 1);

  it('is not stale up to the 90th percentile of the usual gaps', () => {
    expect(staleness({ step: 'evidence_requested', since: asOf - 18, usualGaps: gaps }, asOf)).toEqual({
      step: 'evidence_requested',
      since: { day: asOf - 18, date: '1970-10-10' },
      daysSinceLastStep: 18,
      usualGap: { medianDays: 10, p90Days: 18, sampleSize: 20 },
      stale: false,
    });
  });

  it('is stale one day past it', () => {
    expect(staleness({ step: 'evidence_requested', since: asOf - 19, usualGaps: gaps }, asOf).stale).toBe(true);
  });

  it('takes the usual gaps as a histogram as well', () => {
    expect(staleness({ step: 'interview_scheduled', since: asOf - 19, usualGaps: histogramOf(gaps) }, asOf)).toMatchObject({ usualGap: { p90Days: 18, sampleSize: 20 }, stale: true });
  });

  it('does not judge with fewer gaps than the minimum, but still reports them', () => {
    const result = staleness({ step: 'evidence_requested', since: 0, usualGaps: gaps.slice(0, 19) }, asOf);
    expect(result).toMatchObject({ usualGap: { sampleSize: 19 }, stale: null });
    expect(staleness({ step: 'evidence_requested', since: 0, usualGaps: [] }, asOf)).toMatchObject({ usualGap: null, stale: null });
  });

  it('refuses a step reached after asOf or without a name', () => {
    expect(() => staleness({ step: 'received', since: asOf + 1, usualGaps: gaps }, asOf)).toThrow('lastStep.since: the step was reached (day 301) after asOf (day 300)');
    expect(() => staleness({ step: '', since: 1, usualGaps: gaps }, asOf)).toThrow('lastStep.step: expected the name of a step');
  });
});
