import { decided, growingBacklog, slowdown } from '../testing/cohorts';
import { prepareCohort } from './cohort-preparation';
import { EstimationInputError } from './errors';
import { estimateCohort } from './estimate-case';

describe('the cohort prepared on one day', () => {
  it('counts pending cases as censored, so its figures are longer than the decided-only ones', () => {
    const { publishedStyle, curve } = estimateCohort({ cohort: growingBacklog(), asOf: 364 });
    // Decided in the last 182 days are mostly simple cases: the complex ones received in
    // that time are still pending and left out.
    expect(publishedStyle).toMatchObject({ decidedCount: 573, medianDays: 31, p80Days: 39 });
    // The curve keeps them (554 censored), and 40 % of cases being complex shows.
    expect(curve).toMatchObject({ cases: 1295, decided: 741, censored: 554 });
    expect(curve.median.days).toBe(37);
    expect(curve.p80).toMatchObject({ days: 244, lower: 234, upper: 254 });
    expect(curve.p80.days ?? 0).toBeGreaterThan((publishedStyle.p80Days ?? 0) * 5);
  });

  it('uses period analysis when asked', () => {
    const cohort = slowdown();
    const whole = estimateCohort({ cohort, asOf: 400 });
    const recent = estimateCohort({ cohort, asOf: 400, options: { periodDays: 60 } });
    expect(recent.curve.periodDays).toBe(60);
    expect(recent.curve.decided).toBeLessThan(whole.curve.decided);
    expect(recent.curve.median.days ?? Infinity).toBeGreaterThan(whole.curve.median.days ?? 0);
  });

  it('builds the queue clock only for per-case dates on it', () => {
    const cohort = growingBacklog();
    expect(prepareCohort(cohort, 364, {}).queue).toBeNull();
    expect(prepareCohort(cohort, 364, { timeScale: 'queue' }, false).queue).toBeNull();
    const onQueue = prepareCohort(cohort, 364, { timeScale: 'queue' });
    expect(onQueue.queue).toMatchObject({ paceWeeks: 4 });
    expect(onQueue.queue?.progressOf(300)).toBe(onQueue.queue?.clock.progress(300, 364));
  });

  it('refuses a malformed cohort or options, naming the field', () => {
    const bad = (cohort: Parameters<typeof prepareCohort>[0], options: Parameters<typeof prepareCohort>[2] = {}) => () => prepareCohort(cohort, 1000, options);
    expect(bad([decided(10, 1), { receivedAt: 5, decidedAt: 4 }])).toThrow('cohort[1].decidedAt: decided (day 4) before it was received (day 5)');
    expect(bad([{ receivedAt: 5, decidedAt: 8, observedFrom: 9 }])).toThrow('cohort[0].decidedAt: decided (day 8) before it came under observation (day 9)');
    expect(bad([{ receivedAt: 5, decidedAt: null, count: 0 }])).toThrow('cohort[0].count: expected a whole number of cases of at least 1, got 0');
    expect(bad([{ receivedAt: 5.5, decidedAt: null }])).toThrow('cohort[0].receivedAt: expected a whole day number');
    expect(bad([], { thresholds: { minPeers: -1 } })).toThrow('options.thresholds.minPeers: expected a number of at least 0, got -1');
    expect(bad([], { thresholds: { peerWindowDays: 0.5 } })).toThrow('options.thresholds.peerWindowDays: expected a whole number of at least 1, got 0.5');
    expect(bad([], { periodDays: 0 })).toThrow('options.periodDays: expected a whole number of days of at least 1, got 0');
    expect(bad([], { publishedWindowDays: -3 })).toThrow('options.publishedWindowDays');
    expect(bad([], { timeScale: 'lunar' as 'queue' })).toThrow('options.timeScale: expected one of calendar, queue, got lunar');
    expect(bad([], { paceWeeks: 0 })).toThrow('options.paceWeeks: expected a whole number of weeks of at least 1, got 0');
    expect(bad([], { confidenceLevel: 2 })).toThrow(EstimationInputError);
  });
});
