import { assertDay, type Day } from './days';

/**
 * How often served dates came true: the one scoring of dates against decisions, used by the
 * read side's record of served estimates and by the backtest's replay (docs/processing-time.md,
 * section 9).
 */

/** What was said about one pending case on one day, and what became of it. */
export interface ServedDates {
  asOf: Day;
  /** The served 50 % and 80 % dates; null when withheld. */
  likelyBy: Day | null;
  eightyPercentBy: Day | null;
  /** The published-style dates for the same case: receipt + the cohort's published median and 80th percentile. */
  publishedLikelyBy: Day | null;
  publishedEightyPercentBy: Day | null;
  /** The case's first decision known so far; null while it is pending. */
  decidedAt: Day | null;
}

/** How one kind of date did. Figures are null below `MIN_ACCURACY_BASE` (their counts say why). */
export interface DateAccuracy {
  /** 80 % dates that have come (on or before `endDay`), and how many of their cases were decided by them. */
  scored: number;
  cameTrue: number;
  cameTrueShare: number | null;
  /** Likely dates whose case has been decided, and the median of |decision − likely date| in days. */
  errors: number;
  medianErrorDays: number | null;
}

export interface ServedAccuracy {
  /** Served estimates in the group. */
  served: number;
  /** Of them, those given no 80 % date, and their share. */
  withheld: number;
  withheldShare: number | null;
  /** The served dates, and the published-style dates for the same cases. */
  estimates: DateAccuracy;
  publishedStyle: DateAccuracy;
}

/**
 * The fewest cases a share or a median rests on before it is shown: with fewer, one case
 * moves a share by more than 5 points.
 */
export const MIN_ACCURACY_BASE = 20;

/**
 * Scores dates said on or before `endDay`, the last day whose decisions are known: an 80 %
 * date came true when its case was decided on or before it; a date after `endDay` has not
 * come yet and is not scored (a case still pending on its date is a miss). The likely date's
 * error counts once the case is decided, as the backtest's scorecard does.
 */
export function servedAccuracy(records: readonly ServedDates[], endDay: Day, minBase = MIN_ACCURACY_BASE): ServedAccuracy {
  assertDay(endDay, 'endDay');
  const withheld = records.filter((record) => record.eightyPercentBy === null).length;
  return {
    served: records.length,
    withheld,
    withheldShare: shown(withheld, records.length, minBase),
    estimates: datesAccuracy(records, endDay, minBase),
    publishedStyle: datesAccuracy(
      records.map((r) => ({ eightyPercentBy: r.publishedEightyPercentBy, likelyBy: r.publishedLikelyBy, decidedAt: r.decidedAt })),
      endDay,
      minBase,
    ),
  };
}

/** Whether an 80 % date came true by `endDay`: null while the date has not come. */
export function cameTrue(eightyPercentBy: Day, decidedAt: Day | null, endDay: Day): boolean | null {
  if (eightyPercentBy > endDay) return null;
  return decidedAt !== null && decidedAt <= eightyPercentBy;
}

/**
 * How one kind of date did (see `servedAccuracy`): the backtest's scorecard reads its coverage
 * and median error from here too, with `minBase` 1.
 */
export function datesAccuracy(
  dates: readonly Pick<ServedDates, 'eightyPercentBy' | 'likelyBy' | 'decidedAt'>[],
  endDay: Day,
  minBase = MIN_ACCURACY_BASE,
): DateAccuracy {
  let scored = 0;
  let came = 0;
  const errors: number[] = [];
  for (const { eightyPercentBy: eighty, likelyBy: likely, decidedAt } of dates) {
    if (eighty !== null) {
      const outcome = cameTrue(eighty, decidedAt !== null && decidedAt <= endDay ? decidedAt : null, endDay);
      if (outcome !== null) scored++;
      if (outcome === true) came++;
    }
    if (likely !== null && decidedAt !== null && decidedAt <= endDay) errors.push(Math.abs(decidedAt - likely));
  }
  return {
    scored,
    cameTrue: came,
    cameTrueShare: shown(came, scored, minBase),
    errors: errors.length,
    medianErrorDays: errors.length >= minBase ? median(errors) : null,
  };
}

function shown(part: number, whole: number, minBase: number): number | null {
  return whole >= minBase && whole > 0 ? part / whole : null;
}

/** The middle value; the mean of the two middle ones for an even count. Null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
