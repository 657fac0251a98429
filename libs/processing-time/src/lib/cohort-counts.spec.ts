import { growingBacklog, seededRandom } from '../testing/cohorts';
import { countsWindowDays, observationsFromCounts, pooledCohortCounts, queueClockOfCounts, type CohortCounts } from './cohort-counts';
import { EstimationInputError } from './errors';
import { estimateCase, estimateCases, estimateCohort, RECOMMENDED_ESTIMATE_OPTIONS } from './estimate-case';
import type { CaseEstimate } from './estimate.types';
import { knownAsOf } from './observations';
import { queueClockOf } from './queue-clock';
import type { CaseObservation } from './observations';
import { PEER_WINDOW_DAYS } from './thresholds';

/** What a read model keeps of a cohort: the counts, built here the slow way from the cases. */
function countsOf(cohort: readonly CaseObservation[], recentFrom: number): CohortCounts {
  const durations = new Map<string, { durationDays: number; entryDays: number; count: number }>();
  const recent = new Map<string, { decidedAt: number; durationDays: number; entryDays: number; count: number }>();
  const decidedByReceipt = new Map<number, number>();
  const decidedByDay = new Map<number, number>();
  const pending = new Map<string, { receivedAt: number; observedFrom: number; count: number }>();
  const bump = <T extends { count: number }>(map: Map<string, T>, key: string, row: Omit<T, 'count'>, count: number) => {
    const found = map.get(key);
    if (found) found.count += count;
    else map.set(key, { ...row, count } as T);
  };
  for (const c of cohort) {
    const count = c.count ?? 1;
    const observedFrom = Math.max(c.receivedAt, c.observedFrom ?? c.receivedAt);
    if (c.decidedAt === null) {
      bump(pending, `${c.receivedAt}:${observedFrom}`, { receivedAt: c.receivedAt, observedFrom }, count);
      continue;
    }
    const durationDays = c.decidedAt - c.receivedAt;
    const entryDays = observedFrom - c.receivedAt;
    bump(durations, `${durationDays}:${entryDays}`, { durationDays, entryDays }, count);
    if (c.decidedAt >= recentFrom) bump(recent, `${c.decidedAt}:${durationDays}:${entryDays}`, { decidedAt: c.decidedAt, durationDays, entryDays }, count);
    decidedByReceipt.set(c.receivedAt, (decidedByReceipt.get(c.receivedAt) ?? 0) + count);
    decidedByDay.set(c.decidedAt, (decidedByDay.get(c.decidedAt) ?? 0) + count);
  }
  return {
    durations: [...durations.values()],
    recentFrom,
    recent: [...recent.values()],
    decidedByReceipt: [...decidedByReceipt].map(([receivedAt, count]) => ({ receivedAt, count })),
    decidedByDay: [...decidedByDay].map(([decidedAt, count]) => ({ decidedAt, count })),
    pending: [...pending.values()],
  };
}

/** A cohort with everything the estimators distinguish: late entries, decisions after asOf, weights, ties. */
function mixedCohort(seed: number): CaseObservation[] {
  const random = seededRandom(seed);
  const cohort: CaseObservation[] = [];
  for (let i = 0; i < 1_500; i++) {
    const receivedAt = Math.floor(random() * 700);
    const slow = random() < 0.35;
    const days = slow ? 150 + Math.floor(random() * 250) : 10 + Math.floor(random() * 80);
    const decidedAt = random() < 0.9 ? receivedAt + days : null;
    const row: CaseObservation = { receivedAt, decidedAt };
    if (random() < 0.1) row.observedFrom = receivedAt + Math.floor(random() * Math.min(days, 60));
    if (random() < 0.1) row.count = 2 + Math.floor(random() * 4);
    cohort.push(row);
  }
  return cohort;
}

/** The peers' expected share is a sum of floats in row order, so only it may differ in the last bits. */
function comparable(estimate: CaseEstimate): object {
  return { ...estimate, peers: { ...estimate.peers, expectedPendingShare: undefined } };
}

describe('observationsFromCounts', () => {
  it('gives estimateCase exactly what the cases give, for pending and decided cases across days', () => {
    let compared = 0;
    for (const seed of [1, 2, 3]) {
      const cohort = mixedCohort(seed);
      for (const asOf of [400, 560, 699]) {
        const counts = countsOf(cohort, asOf - countsWindowDays() + 1);
        for (const target of cohort.filter((c, i) => i % 97 === 0 && c.receivedAt <= asOf)) {
          const input = { case: { receivedAt: target.receivedAt, decidedAt: target.decidedAt }, asOf };
          const expected = estimateCase({ ...input, cohort });
          const actual = estimateCase({ ...input, cohort: observationsFromCounts(counts, { receivedAt: target.receivedAt, windowDays: PEER_WINDOW_DAYS }) });
          expect(comparable(actual)).toEqual(comparable(expected));
          expect(actual.peers.expectedPendingShare ?? 0).toBeCloseTo(expected.peers.expectedPendingShare ?? 0, 12);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('reproduces the dates of the growing-backlog example, the reasons of a slowed cohort and the cohort figures', () => {
    const cohort = growingBacklog();
    const counts = countsOf(cohort, 364 - countsWindowDays() + 1);
    const expected = estimateCase({ cohort, case: { receivedAt: 300 }, asOf: 364 });
    const actual = estimateCase({ cohort: observationsFromCounts(counts, { receivedAt: 300, windowDays: PEER_WINDOW_DAYS }), case: { receivedAt: 300 }, asOf: 364 });
    expect(actual.likelyBy).toEqual(expected.likelyBy);
    expect(actual.eightyPercentBy).toEqual(expected.eightyPercentBy);
    expect(estimateCohort({ cohort: observationsFromCounts(counts), asOf: 364 })).toEqual(estimateCohort({ cohort, asOf: 364 }));
  });

  it('covers wider windows when the options read more days of decisions', () => {
    expect(countsWindowDays()).toBe(182);
    expect(countsWindowDays({ publishedWindowDays: 365 })).toBe(365);
    expect(countsWindowDays({ thresholds: { baselineRateWeeks: 52 } })).toBe(364);
    const cohort = mixedCohort(4);
    const options = { publishedWindowDays: 365, periodDays: 300 };
    const counts = countsOf(cohort, 650 - countsWindowDays(options) + 1);
    expect(estimateCohort({ cohort: observationsFromCounts(counts), asOf: 650, options })).toEqual(estimateCohort({ cohort, asOf: 650, options }));
  });

  it('refuses counts that contradict each other', () => {
    const counts: CohortCounts = {
      durations: [{ durationDays: 10, entryDays: 0, count: 1 }],
      recentFrom: 100,
      recent: [{ decidedAt: 120, durationDays: 10, entryDays: 0, count: 2 }],
      decidedByReceipt: [],
      decidedByDay: [],
      pending: [],
    };
    expect(() => observationsFromCounts(counts)).toThrow(EstimationInputError);
    expect(() => observationsFromCounts({ ...counts, recent: [{ decidedAt: 90, durationDays: 10, entryDays: 0, count: 1 }] })).toThrow('before recentFrom');
    // A decided case received on day 95 in 10 days was decided on day 105, which is recent: not an older decision.
    expect(() => observationsFromCounts({ ...counts, recent: [], decidedByReceipt: [{ receivedAt: 95, count: 1 }] }, { receivedAt: 95, windowDays: 30 })).toThrow('the counts disagree');
  });

  it('serves the queue clock over the last six months exactly as the cases give it', () => {
    const options = RECOMMENDED_ESTIMATE_OPTIONS;
    let compared = 0;
    let dated = 0;
    for (const seed of [5, 6, 7]) {
      // Some decisions fall after asOf, some of them for cases transferred in after asOf.
      const cohort = mixedCohort(seed);
      for (const asOf of [420, 600, 699]) {
        const counts = countsOf(cohort, asOf - countsWindowDays(options) + 1);
        const queueClock = queueClockOfCounts(counts, asOf);
        for (const target of cohort.filter((c, i) => i % 61 === 0 && c.receivedAt <= asOf)) {
          const input = { case: { receivedAt: target.receivedAt, decidedAt: target.decidedAt !== null && target.decidedAt <= asOf ? target.decidedAt : null }, asOf, options };
          const expected = estimateCase({ ...input, cohort });
          const actual = estimateCase({ ...input, cohort: observationsFromCounts(counts, { receivedAt: target.receivedAt, windowDays: PEER_WINDOW_DAYS }), queueClock });
          expect(comparable(actual)).toEqual(comparable(expected));
          expect(actual.peers.expectedPendingShare ?? 0).toBeCloseTo(expected.peers.expectedPendingShare ?? 0, 12);
          compared++;
          if (expected.timeScale === 'queue' && expected.eightyPercentBy !== null) dated++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    // The comparison covers dates read on the queue clock, not only reasons.
    expect(dated).toBeGreaterThan(20);
  });

  it('builds the clock the cases give: decisions, queues joined and progress on every day', () => {
    const cohort = mixedCohort(8);
    const asOf = 650;
    const counts = countsOf(cohort, asOf - 200);
    const fromCounts = queueClockOfCounts(counts, asOf);
    const fromCases = queueClockOf(knownAsOf(cohort, asOf));
    for (let day = 0; day <= asOf; day += 7) {
      expect(fromCounts.decisionsBy(day)).toBe(fromCases.decisionsBy(day));
      expect(fromCounts.queueJoined(day)).toBe(fromCases.queueJoined(day));
      expect(fromCounts.progress(day, asOf)).toBe(fromCases.progress(day, asOf));
    }
    expect(fromCounts.decisionsWithin(asOf, 28)).toBe(fromCases.decisionsWithin(asOf, 28));
  });

  it('gives estimateCases over counts what each case gets alone', () => {
    const cohort = mixedCohort(9);
    const asOf = 690;
    const options = RECOMMENDED_ESTIMATE_OPTIONS;
    const counts = countsOf(cohort, asOf - countsWindowDays(options) + 1);
    const queueClock = queueClockOfCounts(counts, asOf);
    const targets = [600, 640, 680].map((receivedAt) => ({ receivedAt }));
    // Peers of all three lie within one window around day 640.
    const observations = observationsFromCounts(counts, { receivedAt: 640, windowDays: PEER_WINDOW_DAYS + 40 });
    const many = estimateCases({ cohort: observations, cases: targets, asOf, options, queueClock });
    targets.forEach((target, i) => expect(comparable(many[i])).toEqual(comparable(estimateCase({ cohort, case: target, asOf, options }))));
  });

  it('refuses the queue clock over the whole history from counts, and counts that end before asOf', () => {
    expect(() => countsWindowDays({ timeScale: 'queue' })).toThrow('options.periodDays');
    // The recommended settings widen to a year where six months are too thin: the counts list a year.
    expect(countsWindowDays(RECOMMENDED_ESTIMATE_OPTIONS)).toBe(365);
    expect(countsWindowDays({ ...RECOMMENDED_ESTIMATE_OPTIONS, widerPeriodsDays: [] })).toBe(182);
    const counts = countsOf(mixedCohort(10), 500);
    expect(() => queueClockOfCounts(counts, 400)).toThrow('counts.recentFrom');
  });
});

describe('pooledCohortCounts', () => {
  it('gives the estimates of the cohort made of the pooled cohorts’ cases', () => {
    const options = RECOMMENDED_ESTIMATE_OPTIONS;
    const asOf = 650;
    const recentFrom = asOf - countsWindowDays(options) + 1;
    const offices = [mixedCohort(11), mixedCohort(12).slice(0, 40), mixedCohort(13).slice(0, 300)];
    const pooled = pooledCohortCounts(offices.map((cohort) => countsOf(cohort, recentFrom)));
    const cases = offices.flat();
    let compared = 0;
    for (const target of cases.filter((c, i) => i % 37 === 0 && c.receivedAt <= asOf && (c.decidedAt === null || c.decidedAt > asOf))) {
      const expected = estimateCase({ cohort: cases, case: { receivedAt: target.receivedAt }, asOf, options });
      const actual = estimateCase({ cohort: observationsFromCounts(pooled, { receivedAt: target.receivedAt, windowDays: PEER_WINDOW_DAYS }), queueClock: queueClockOfCounts(pooled, asOf), case: { receivedAt: target.receivedAt }, asOf, options });
      expect(comparable(actual)).toEqual(comparable(expected));
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  });

  it('refuses nothing to pool, and counts listed from different days', () => {
    expect(() => pooledCohortCounts([])).toThrow(EstimationInputError);
    expect(() => pooledCohortCounts([countsOf(mixedCohort(14), 400), countsOf(mixedCohort(15), 401)])).toThrow('same recentFrom');
  });
});
