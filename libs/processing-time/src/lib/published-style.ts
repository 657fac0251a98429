import { assertDay, dayAndDate, type Day, type DayAndDate } from './days';
import { EstimationInputError } from './errors';
import { assertObservations, knownAsOf, type CaseObservation, type KnownCase } from './observations';
import { nearestRankPercentile } from './statistics';
import { PUBLISHED_WINDOW_DAYS } from './thresholds';

/**
 * The figures agencies publish today: percentiles of received-to-decision days over the
 * cases decided in a trailing window. Pending cases are left out, which is why these run
 * optimistic while a backlog grows (see docs/processing-time.md).
 */
export interface PublishedStyleFigures {
  method: 'nearest-rank percentiles of decided cases';
  /** Decision days covered, both inclusive; `windowEnd` is `asOf`. */
  windowStart: DayAndDate;
  windowEnd: DayAndDate;
  windowDays: number;
  decidedCount: number;
  /** Null when no case was decided in the window. */
  medianDays: number | null;
  p80Days: number | null;
  p93Days: number | null;
}

export function publishedStyleFigures(cohort: readonly CaseObservation[], asOf: Day, windowDays = PUBLISHED_WINDOW_DAYS): PublishedStyleFigures {
  assertDay(asOf, 'asOf');
  assertObservations(cohort);
  return publishedStyleOf(knownAsOf(cohort, asOf), asOf, windowDays);
}

export function publishedStyleOf(known: readonly KnownCase[], asOf: Day, windowDays: number): PublishedStyleFigures {
  assertWindowDays(windowDays, 'windowDays');
  const windowStart = asOf - windowDays + 1;
  const durations = new Map<number, number>();
  let decidedCount = 0;
  for (const item of known) {
    if (item.decidedAt === null || item.decidedAt < windowStart) continue;
    const days = item.decidedAt - item.receivedAt;
    durations.set(days, (durations.get(days) ?? 0) + item.count);
    decidedCount += item.count;
  }
  const histogram = [...durations].map(([days, count]) => ({ days, count }));
  return {
    method: 'nearest-rank percentiles of decided cases',
    windowStart: dayAndDate(windowStart),
    windowEnd: dayAndDate(asOf),
    windowDays,
    decidedCount,
    medianDays: nearestRankPercentile(histogram, 0.5),
    p80Days: nearestRankPercentile(histogram, 0.8),
    p93Days: nearestRankPercentile(histogram, 0.93),
  };
}

export function assertWindowDays(value: unknown, path: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new EstimationInputError(path, `expected a whole number of days of at least 1, got ${String(value)}`);
  }
}
