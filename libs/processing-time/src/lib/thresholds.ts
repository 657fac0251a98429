/**
 * When an estimate is withheld, and the windows the figures cover. Each is explained in
 * plain words in docs/processing-time.md; change both together.
 */

/** The published-style figures cover cases decided in the last 182 days (26 weeks). */
export const PUBLISHED_WINDOW_DAYS = 182;

/** Fewer decided cases on the curve than this: no estimate (TOO_FEW_DECIDED). */
const MIN_DECIDED_CASES = 30;

/** Fewer cases still at risk at the age a date is read from than this: no date at that level (TOO_FEW_AT_RISK). */
const MIN_AT_RISK_AT_QUANTILE = 10;

/** Peers of a case: cases of the cohort received within this many days before or after it. */
export const PEER_WINDOW_DAYS = 30;

/** With fewer peers than this, their pending share is noise and is not judged. */
const MIN_PEERS = 10;

/**
 * More than this share of the peers still pending, while the curve says at most this share
 * should be (MOST_PEERS_PENDING).
 */
const MAX_PENDING_SHARE_AMONG_PEERS = 0.5;

/** The recent and baseline windows for the decision rate, in weeks. */
export const RECENT_RATE_WEEKS = 4;
export const BASELINE_RATE_WEEKS = 26;

/** A recent weekly decision rate below this share of the baseline rate: decisions have stopped (DECISIONS_STOPPED). */
const MIN_RECENT_RATE_SHARE = 0.2;

/**
 * On the queue clock, progress turns into days at the cohort's decision pace over this many
 * weeks, the recent window of DECISIONS_STOPPED too. A longer window swings less with a few
 * slow or busy weeks, but after a pause it would keep the pause in the pace for months: the
 * backtest's dates after a 10-week pause erred by twice as much with 12 weeks. The noise of
 * a short window is not hidden: the dates account for the pace's uncertainty.
 */
export const PACE_WEEKS = 4;

/** Fewer observed gaps at a step than this: staleness is not judged. */
export const MIN_STEP_GAPS = 20;

/** A case is stale when its time since the last step is beyond this percentile of the usual gaps. */
export const STALE_PERCENTILE = 0.9;

export interface Thresholds {
  minDecidedCases: number;
  minAtRiskAtQuantile: number;
  peerWindowDays: number;
  minPeers: number;
  maxPendingShareAmongPeers: number;
  recentRateWeeks: number;
  baselineRateWeeks: number;
  minRecentRateShare: number;
  minStepGaps: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  minDecidedCases: MIN_DECIDED_CASES,
  minAtRiskAtQuantile: MIN_AT_RISK_AT_QUANTILE,
  peerWindowDays: PEER_WINDOW_DAYS,
  minPeers: MIN_PEERS,
  maxPendingShareAmongPeers: MAX_PENDING_SHARE_AMONG_PEERS,
  recentRateWeeks: RECENT_RATE_WEEKS,
  baselineRateWeeks: BASELINE_RATE_WEEKS,
  minRecentRateShare: MIN_RECENT_RATE_SHARE,
  minStepGaps: MIN_STEP_GAPS,
});
