import { assertDay, type Day } from './days';
import { EstimationInputError } from './errors';
import type { EstimateOptions } from './estimate.types';
import type { CaseObservation } from './observations';
import { queueClockFrom, type QueueClock } from './queue-clock';
import { BASELINE_RATE_WEEKS, PUBLISHED_WINDOW_DAYS, RECENT_RATE_WEEKS } from './thresholds';

/**
 * A cohort as counts, the way a read model keeps it incrementally, instead of one row per
 * case. `observationsFromCounts` turns them back into weighted observations that give
 * `estimateCase` and `estimateCohort` exactly what the per-case rows would, so the serving
 * layer reads a few hundred counts instead of every case of the cohort.
 *
 * Decided cases come in three views: by duration (the curve needs only that, and the age they
 * came under observation), by decision day for the recent days (published-style figures and
 * decision rates need the day), and by receipt day (the peers of a case need that). Pending
 * cases come case-shaped, by receipt and observation day, since everything reads those.
 */
export interface CohortCounts {
  /** Every decided case of the cohort, whatever its decision day (after `asOf` too). */
  durations: readonly { durationDays: number; entryDays: number; count: number }[];
  /** `recent` holds every decision made on or after this day. */
  recentFrom: Day;
  /** Decided cases by decision day, from `recentFrom` on (after `asOf` too). */
  recent: readonly { decidedAt: Day; durationDays: number; entryDays: number; count: number }[];
  /**
   * Decided cases (any decision day) by receipt day. `observationsFromCounts` reads only the
   * days within the peer window of the case to estimate; the queue clock reads them all.
   */
  decidedByReceipt: readonly { receivedAt: Day; count: number }[];
  /** Every decision of the cohort by day, whatever the day (for the queue clock). */
  decidedByDay: readonly { decidedAt: Day; count: number }[];
  /** Pending cases by receipt day and the day they came under observation. */
  pending: readonly { receivedAt: Day; observedFrom: Day; count: number }[];
}

/**
 * The counts of several cohorts taken as one (the form's offices, for `estimateCasesPooled`):
 * every count of a cohort made of their cases, each case as its own cohort counts it. All
 * must list their decisions by day from the same `recentFrom`.
 */
export function pooledCohortCounts(cohorts: readonly CohortCounts[]): CohortCounts {
  if (cohorts.length === 0) throw new EstimationInputError('cohorts', 'give at least one cohort\'s counts to pool');
  const recentFrom = cohorts[0].recentFrom;
  if (cohorts.some((counts) => counts.recentFrom !== recentFrom)) throw new EstimationInputError('cohorts', 'every cohort must list its decisions by day from the same recentFrom');
  return {
    recentFrom,
    durations: cohorts.flatMap((counts) => counts.durations),
    recent: cohorts.flatMap((counts) => counts.recent),
    decidedByReceipt: cohorts.flatMap((counts) => counts.decidedByReceipt),
    decidedByDay: cohorts.flatMap((counts) => counts.decidedByDay),
    pending: cohorts.flatMap((counts) => counts.pending),
  };
}

/**
 * How many days of decisions, ending on `asOf`, the estimators read decision by decision
 * with these options: the published-style window, the decision-rate windows and the period
 * of a period analysis, or the longest of its wider periods (`widerPeriodsDays`). `CohortCounts.recentFrom` must be at most `asOf − this + 1`.
 */
export function countsWindowDays(options: EstimateOptions = {}): number {
  // On the queue clock, a curve over the whole history places every decided case by its
  // receipt and decision days, which the counts fold into durations for the older ones. A
  // period analysis reads only cases decided within the period, which `recent` lists.
  if (options.timeScale === 'queue' && options.periodDays === undefined) {
    throw new EstimationInputError('options.periodDays', 'on the queue clock, cohort counts serve only a period analysis: the curve over the whole history needs every decided case\'s receipt and decision day; estimate from the cases themselves');
  }
  const weeks = [26, options.thresholds?.recentRateWeeks ?? RECENT_RATE_WEEKS, options.thresholds?.baselineRateWeeks ?? BASELINE_RATE_WEEKS];
  return Math.max(options.publishedWindowDays ?? PUBLISHED_WINDOW_DAYS, options.periodDays ?? 0, ...(options.widerPeriodsDays ?? []), ...weeks.map((w) => 7 * w));
}

/** The case whose peers (cases received within `windowDays` of it) must come out right. */
export interface PeersOf {
  receivedAt: Day;
  windowDays: number;
}

/**
 * Observations equivalent to the counts for `estimateCase` on any `asOf` with
 * `asOf − countsWindowDays(options) + 1 ≥ counts.recentFrom`, for the case `peersOf` (or for
 * `estimateCohort` without it).
 *
 * Pending cases and recent decisions come back as they are. An older decision only matters
 * to the curve (by its duration and entry age) and, if it was received within the peer
 * window, to the peers (by its receipt day); its real receipt day is not in the counts, so it
 * gets one that keeps both right: the receipt days of the peer window go to the shortest
 * durations, the latest receipt with the shortest one, so every such decision still falls
 * before `recentFrom` (the real cases are one such pairing, and this one has the smallest
 * latest decision day of all); the others are placed before the window.
 */
export function observationsFromCounts(counts: CohortCounts, peersOf?: PeersOf): CaseObservation[] {
  assertDay(counts.recentFrom, 'counts.recentFrom');
  const observations: CaseObservation[] = [];
  for (const row of counts.pending) {
    observations.push(observation(row.receivedAt, null, row.observedFrom - row.receivedAt, row.count));
  }

  const older = new Map<string, { durationDays: number; entryDays: number; count: number }>();
  for (const row of counts.durations) addCount(older, row, row.count);
  const olderInWindow = new Map<number, number>();
  const inWindow = (day: Day) => peersOf !== undefined && Math.abs(day - peersOf.receivedAt) <= peersOf.windowDays;
  for (const row of counts.decidedByReceipt) if (inWindow(row.receivedAt)) olderInWindow.set(row.receivedAt, (olderInWindow.get(row.receivedAt) ?? 0) + row.count);
  for (const row of counts.recent) {
    if (row.decidedAt < counts.recentFrom) throw new EstimationInputError('counts.recent', `a decision on day ${row.decidedAt} is before recentFrom (day ${counts.recentFrom})`);
    const receivedAt = row.decidedAt - row.durationDays;
    observations.push(observation(receivedAt, row.decidedAt, row.entryDays, row.count));
    addCount(older, row, -row.count);
    if (inWindow(receivedAt)) olderInWindow.set(receivedAt, (olderInWindow.get(receivedAt) ?? 0) - row.count);
  }

  const durations = [...older.values()].filter((row) => assertNotNegative(row.count, 'counts.durations') > 0).sort((a, b) => a.durationDays - b.durationDays || a.entryDays - b.entryDays);
  const receipts = [...olderInWindow].filter(([, count]) => assertNotNegative(count, 'counts.decidedByReceipt') > 0).sort((a, b) => b[0] - a[0]);
  let next = 0;
  for (const [receivedAt, peerCount] of receipts) {
    let left = peerCount;
    while (left > 0) {
      const row = durations[next];
      if (!row) throw new EstimationInputError('counts.decidedByReceipt', `more decided cases received around day ${receivedAt} than decided cases in the durations`);
      const decidedAt = receivedAt + row.durationDays;
      if (decidedAt >= counts.recentFrom) {
        throw new EstimationInputError('counts', `decided cases received on day ${receivedAt} cannot all have been decided before day ${counts.recentFrom}: the counts disagree`);
      }
      const taken = Math.min(left, row.count);
      observations.push(observation(receivedAt, decidedAt, row.entryDays, taken));
      row.count -= taken;
      left -= taken;
      if (row.count === 0) next++;
    }
  }
  const beforeWindow = peersOf === undefined ? Number.POSITIVE_INFINITY : peersOf.receivedAt - peersOf.windowDays - 1;
  for (const row of durations.slice(next)) {
    if (row.count === 0) continue;
    const receivedAt = Math.min(counts.recentFrom - 1 - row.durationDays, beforeWindow);
    observations.push(observation(receivedAt, receivedAt + row.durationDays, row.entryDays, row.count));
  }
  return observations;
}

/**
 * The cohort's queue clock as of `asOf` from its counts: what `queueClockOf` gives over the
 * cases themselves. Pass it to `estimateCase` with the observations of `observationsFromCounts`,
 * whose older decisions sit on stand-in days. A case counts from its receipt day once it is
 * under observation by `asOf`, as `knownAsOf` has it: a case decided after `asOf` that came
 * to the cohort after `asOf` too (a transfer dated ahead) is left out, like a pending one.
 */
export function queueClockOfCounts(counts: CohortCounts, asOf: Day): QueueClock {
  assertDay(asOf, 'asOf');
  if (counts.recentFrom > asOf + 1) throw new EstimationInputError('counts.recentFrom', `the decisions after asOf (day ${asOf}) must be listed in recent, which starts on day ${counts.recentFrom}`);
  const receipts: [Day, number][] = [];
  for (const row of counts.pending) if (row.observedFrom <= asOf) receipts.push([row.receivedAt, row.count]);
  for (const row of counts.decidedByReceipt) receipts.push([row.receivedAt, row.count]);
  for (const row of counts.recent) {
    const receivedAt = row.decidedAt - row.durationDays;
    if (row.decidedAt > asOf && receivedAt + row.entryDays > asOf) receipts.push([receivedAt, -row.count]);
  }
  return queueClockFrom(
    counts.decidedByDay.map((row) => [row.decidedAt, row.count] as const),
    receipts,
  );
}

function observation(receivedAt: Day, decidedAt: Day | null, entryDays: number, count: number): CaseObservation {
  const row: CaseObservation = { receivedAt, decidedAt, count };
  if (entryDays > 0) row.observedFrom = receivedAt + entryDays;
  return row;
}

function addCount(counts: Map<string, { durationDays: number; entryDays: number; count: number }>, row: { durationDays: number; entryDays: number }, count: number): void {
  const key = `${row.durationDays}:${row.entryDays}`;
  const existing = counts.get(key);
  if (existing) existing.count += count;
  else counts.set(key, { durationDays: row.durationDays, entryDays: row.entryDays, count });
}

function assertNotNegative(count: number, path: string): number {
  if (count < 0) throw new EstimationInputError(path, 'fewer decided cases than recent decisions: the counts disagree');
  return count;
}
