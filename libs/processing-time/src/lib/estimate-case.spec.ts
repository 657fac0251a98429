import { growingBacklog, steadyDecided } from '../testing/cohorts';
import { estimateCase, estimateCases, estimateCohort } from './estimate-case';

describe('estimateCase on a growing backlog (the motivating example)', () => {
  const asOf = 364;
  const cohort = growingBacklog();

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

  it('refuses a malformed case, naming the field', () => {
    const bad = (input: Parameters<typeof estimateCase>[0]) => () => estimateCase(input);
    expect(bad({ cohort: [], case: { receivedAt: asOf + 1 }, asOf })).toThrow('case.receivedAt: the case was received (day 1001) after asOf (day 1000)');
    expect(bad({ cohort: [], case: { receivedAt: 10, decidedAt: 9 }, asOf })).toThrow('case.decidedAt: decided (day 9) before it was received (day 10)');
    expect(bad({ cohort: [], case: { receivedAt: 1 }, asOf: Number.NaN })).toThrow('asOf: expected a whole day number');
  });
});
