import type { CaseEstimate, EstimatedDate } from './estimate.types';
import type { DecisionRate } from './queue';

/**
 * What can honestly be said to someone whose case has waited longer than most cases like it
 * took, when a date mostly can't: where it stands in its line, how fast that line is being
 * worked now, a date only where the queue clock gives one, and that the agency can be asked.
 * Every figure is the estimate's own (the pooled cohort's when the estimate is pooled).
 */
export interface LongWait {
  /** Days the case has waited. */
  ageDays: number;
  /**
   * 8 in 10 of the cohort's cases decided in the published-style window took at most this many
   * days (`publishedStyle.p80Days`); null when none was decided there.
   */
  mostDecidedWithinDays: number | null;
  /** Its place in the line it joined on its receipt day: the cases waiting then, plus itself. Null on the calendar clock. */
  queueJoined: number | null;
  /** Cases of its cohort received on an earlier day and still open. */
  openAhead: number;
  /** Decisions of its cohort per week over the last 4, 12 and 26 weeks. */
  recentPace: DecisionRate[];
  /**
   * A date the queue clock supports: the estimate's 80 % date, else its likely date. Null when
   * it gives neither, or on the calendar clock. Never on or before the as-of day.
   */
  date: EstimatedDate | null;
}

/**
 * The long-wait answer for a pending case older than most decided cases like it: older than 8
 * in 10 of those decided in the published-style window, or than every decided case on the
 * curve (`OLDER_THAN_DECIDED_CASES`). Null for any other case, and for a decided one.
 */
export function longWaitOf(estimate: Omit<CaseEstimate, 'longWait'>): LongWait | null {
  const codes = new Set(estimate.reasons.map((reason) => reason.code));
  if (codes.has('CASE_DECIDED')) return null;
  const usual = estimate.publishedStyle.p80Days;
  const older = codes.has('OLDER_THAN_DECIDED_CASES') || (usual !== null && estimate.ageDays > usual);
  if (!older) return null;
  const dated = estimate.timeScale === 'queue' ? (estimate.eightyPercentBy ?? estimate.likelyBy) : null;
  const { queue } = estimate;
  return {
    ageDays: estimate.ageDays,
    mostDecidedWithinDays: usual,
    queueJoined: estimate.queueProgress?.queueJoined ?? null,
    openAhead: queue.openAhead,
    recentPace: [queue.last4Weeks, queue.last12Weeks, queue.last26Weeks],
    // The estimator never gives a date on or before the as-of day; this answer holds to it on its own.
    date: dated !== null && dated.day > estimate.asOf.day ? dated : null,
  };
}
