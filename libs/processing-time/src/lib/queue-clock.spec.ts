import { countsWindowDays } from './cohort-counts';
import { EstimationInputError } from './errors';
import { estimateCase, estimateCases, estimateCohort, RECOMMENDED_ESTIMATE_OPTIONS } from './estimate-case';
import { kaplanMeier } from './kaplan-meier';
import { knownAsOf, type CaseObservation } from './observations';
import { daysToQueueQuantile, paceSamples, queueClockOf, queueClockRecords } from './queue-clock';

describe('queueClockOf', () => {
  // A: received 0, decided 5. B: received 1, decided 3. C: received 2, pending.
  // D: two cases received 4, decided 10.
  const known = knownAsOf(
    [
      { receivedAt: 0, decidedAt: 5 },
      { receivedAt: 1, decidedAt: 3 },
      { receivedAt: 2, decidedAt: null },
      { receivedAt: 4, decidedAt: 10, count: 2 },
    ],
    10,
  );
  const clock = queueClockOf(known);

  it('counts the decisions issued by a day, rows weighing their count', () => {
    expect([2, 3, 5, 9, 10].map((day) => clock.decisionsBy(day))).toEqual([0, 1, 2, 2, 4]);
    expect(clock.decisionsWithin(10, 5)).toBe(2); // days 6..10
  });

  it('measures the queue a case joined: received before its day, not decided before it, plus itself', () => {
    // Day 4: A, B, C received before; B decided on day 3 → 3 − 1 + 1. Day 0: nobody ahead.
    expect(clock.queueJoined(4)).toBe(3);
    expect(clock.queueJoined(0)).toBe(1);
  });

  it('measures progress in thousandths of that queue', () => {
    // D: decisions after day 4 up to day 10 are A and the two D's: 3 of a queue of 3.
    expect(clock.progress(4, 10)).toBe(1000);
    // A: B and itself decided by day 5, a queue of 1.
    expect(clock.progress(0, 5)).toBe(2000);
    // C: B and A by day 5 of a queue of 3 (A, B and itself), rounded.
    expect(clock.progress(2, 5)).toBe(667);
  });

  it('gives the survival records on that clock, with period analysis as delayed entry', () => {
    expect(queueClockRecords(known, 10, clock)).toEqual([
      { entry: 0, exit: 2000, decided: true, count: 1 },
      { entry: 0, exit: 500, decided: true, count: 1 }, // B: A-less queue of 2, its own decision
      { entry: 0, exit: 1333, decided: false, count: 1 },
      { entry: 0, exit: 1000, decided: true, count: 2 },
    ]);
    // The last 5 days (6..10): A and B were decided before them; C and D enter at their
    // progress by the end of day 5.
    expect(queueClockRecords(known, 10, clock, 5)).toEqual([
      { entry: 667, exit: 1333, decided: false, count: 1 },
      { entry: 333, exit: 1000, decided: true, count: 2 },
    ]);
  });
});

describe('paceSamples', () => {
  it('spreads the pace like its uncertainty: mean (k + ½)/days, standard deviation √(k + ½)/days', () => {
    const samples = paceSamples(40, 28);
    expect(samples).toHaveLength(32);
    expect([...samples].sort((a, b) => a - b)).toEqual(samples);
    const mean = samples.reduce((sum, pace) => sum + pace, 0) / samples.length;
    const sd = Math.sqrt(samples.reduce((sum, pace) => sum + (pace - mean) ** 2, 0) / samples.length);
    expect(mean).toBeCloseTo(40.5 / 28, 2);
    // Equally spaced quantiles understate the tails a little: within 10 %.
    expect(sd / (Math.sqrt(40.5) / 28)).toBeGreaterThan(0.9);
    expect(sd / (Math.sqrt(40.5) / 28)).toBeLessThan(1.05);
  });

  it('has no pace without decisions', () => {
    expect(paceSamples(0, 28)).toEqual([]);
  });
});

describe('daysToQueueQuantile', () => {
  // Every case decided at progress 968: decided for sure once it gets there.
  const curve = kaplanMeier(Array.from({ length: 50 }, () => ({ entry: 0, exit: 968, decided: true, count: 1 })));

  it('at one known pace is the decisions to come over the pace', () => {
    // (968 − 323)/1000 of a queue of 31 = 19.995 decisions at 1 a day → day 20.
    expect(daysToQueueQuantile(curve, 323, 0.5, 31, [1])).toBe(20);
    expect(daysToQueueQuantile(curve, 323, 0.8, 31, [1])).toBe(20);
    expect(daysToQueueQuantile(curve, 323, 0.5, 31, [2])).toBe(10);
  });

  it('with an uncertain pace, is later for the 80 % date than for the likely one', () => {
    const paces = paceSamples(28, 28);
    expect(daysToQueueQuantile(curve, 323, 0.5, 31, paces)).toBe(20);
    expect(daysToQueueQuantile(curve, 323, 0.8, 31, paces)).toBeGreaterThanOrEqual(23);
  });

  it('is null when the curve never gets there or there is no pace', () => {
    expect(daysToQueueQuantile(kaplanMeier([{ entry: 0, exit: 900, decided: false, count: 5 }]), 10, 0.5, 31, [1])).toBeNull();
    expect(daysToQueueQuantile(curve, 323, 0.5, 31, [])).toBeNull();
  });
});

const queue = { timeScale: 'queue', periodDays: 182 } as const;

describe('estimateCase on the queue clock', () => {
  it('matches a steady first-come-first-served office: one case a day, each decided 30 days later', () => {
    const cohort: CaseObservation[] = Array.from({ length: 400 }, (_, day) => ({ receivedAt: day, decidedAt: day + 30 }));
    const asOf = 399;
    const estimate = estimateCase({ cohort, case: { receivedAt: 389 }, asOf, options: queue });
    // Each case joins a queue of 31 and is decided when 30 decisions later, at progress 968;
    // aged 10 it is at 323, so 20 decisions, at about one a day, are still to come.
    expect(estimate).toMatchObject({ timeScale: 'queue', queueProgress: { queueJoined: 31, progress: 323, paceDecisions: 28, paceWeeks: 4 }, reasons: [] });
    expect(estimate.likelyBy).toMatchObject({ day: 389 + 30, daysFromAsOf: 20 });
    // The pace over four weeks is known to about ±19 %: the 80 % date leaves room for it.
    expect(estimate.eightyPercentBy?.daysFromAsOf).toBeGreaterThanOrEqual(23);
    expect(estimate.eightyPercentBy?.daysFromAsOf).toBeLessThanOrEqual(26);
    // On the calendar clock every case took exactly 30 days.
    expect(estimateCase({ cohort, case: { receivedAt: 389 }, asOf, options: { periodDays: 182 } })).toMatchObject({
      timeScale: 'calendar',
      queueProgress: null,
      likelyBy: { day: 419 },
      eightyPercentBy: { day: 419 },
    });
  });

  describe('a growing queue: two cases a day, one decision a day, first come first served', () => {
    // Case i is received on day ⌊i/2⌋ and decided on day i + 1, so waits grow by a day every two.
    const cohort: CaseObservation[] = Array.from({ length: 1300 }, (_, i) => ({ receivedAt: Math.floor(i / 2), decidedAt: i + 1 }));
    const asOf = 600;
    const target = { receivedAt: 550 }; // case 1100: decided on day 1101, 501 days later

    it('follows the queue, where the calendar clock reads a faster past', () => {
      const onQueue = estimateCase({ cohort, case: target, asOf, options: queue });
      // Everyone is decided at a progress of about 1000: when as many decisions as the queue
      // it joined (552) have been made. 50 are made; about 500 more at one a day.
      expect(onQueue.queueProgress).toMatchObject({ queueJoined: 552, progress: 91 });
      expect(Math.abs((onQueue.likelyBy?.day ?? 0) - 1101)).toBeLessThanOrEqual(10);
      expect(onQueue.eightyPercentBy?.day).toBeGreaterThan(1101);
      // The cases decided so far waited 1 to 301 days: read on the calendar, the likely date
      // comes more than eight months early.
      const onCalendar = estimateCase({ cohort, case: target, asOf, options: { periodDays: 182 } });
      expect(onCalendar.likelyBy?.day ?? 0).toBeLessThan(1101 - 240);
    });

    it('never gives a date already past, and the 80 % date is never before the likely one', () => {
      const waiting = cohort.filter((item) => item.receivedAt <= asOf && (item.decidedAt ?? Infinity) > asOf).map((item) => ({ receivedAt: item.receivedAt }));
      const estimates = estimateCases({ cohort, cases: waiting, asOf, options: queue });
      expect(estimates.filter((estimate) => estimate.likelyBy !== null).length).toBeGreaterThan(500);
      for (const estimate of estimates) {
        if (estimate.likelyBy) expect(estimate.likelyBy.day).toBeGreaterThan(asOf);
        if (estimate.likelyBy && estimate.eightyPercentBy) expect(estimate.eightyPercentBy.day).toBeGreaterThanOrEqual(estimate.likelyBy.day);
      }
    });
  });

  it('stops giving dates when the cohort has made no decision in the pace window', () => {
    const cohort: CaseObservation[] = [
      ...Array.from({ length: 120 }, (_, k) => ({ receivedAt: 500 + k, decidedAt: 560 + k })), // decisions up to day 679
      ...Array.from({ length: 40 }, (_, k) => ({ receivedAt: 620 + k, decidedAt: null })),
    ];
    const estimate = estimateCase({ cohort, case: { receivedAt: 650 }, asOf: 720, options: queue });
    expect(estimate.queueProgress?.pacePerDay).toBe(0);
    expect(estimate.reasons.map((r) => r.code)).toEqual(['DECISIONS_STOPPED']);
    expect(estimate.likelyBy).toBeNull();
  });

  it('is what the recommended options ask for, while the cohort summary stays on the calendar', () => {
    expect(RECOMMENDED_ESTIMATE_OPTIONS).toEqual({ timeScale: 'queue', periodDays: 182, widerPeriodsDays: [365] });
    const cohort: CaseObservation[] = Array.from({ length: 400 }, (_, day) => ({ receivedAt: day, decidedAt: day + 30 }));
    expect(estimateCohort({ cohort, asOf: 399, options: RECOMMENDED_ESTIMATE_OPTIONS }).curve.median.days).toBe(30);
  });

  it('refuses an unknown clock or pace window, and cohort counts for the queue clock over the whole history', () => {
    const input = { cohort: [], case: { receivedAt: 1 }, asOf: 10 };
    expect(() => estimateCase({ ...input, options: { timeScale: 'queues' as never } })).toThrow('options.timeScale: expected one of calendar, queue, got queues');
    expect(() => estimateCase({ ...input, options: { timeScale: 'queue', paceWeeks: 0 } })).toThrow('options.paceWeeks: expected a whole number of weeks of at least 1, got 0');
    expect(() => countsWindowDays({ timeScale: 'queue' })).toThrow(EstimationInputError);
  });
});
