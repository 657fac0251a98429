import type { Day, DayAndDate } from './days';
import type { LongWait } from './long-wait';
import type { CurveQuantile } from './kaplan-meier';
import type { CaseObservation } from './observations';
import type { PublishedStyleFigures } from './published-style';
import type { QueueView } from './queue';
import type { QueueClock } from './queue-clock';
import type { DecisionPace, PeerPendingShare } from './reliability';
import type { Staleness, StalenessInput } from './staleness';
import type { Thresholds } from './thresholds';

/**
 * The clock a case's dates are read on. `calendar` (the default): days since receipt.
 * `queue`: progress through the queue the case joined, turned into days at the office's
 * recent pace. docs/processing-time.md explains both, docs/backtest.md how they fare.
 */
export type TimeScale = 'calendar' | 'queue';
export const TIME_SCALES: readonly TimeScale[] = ['calendar', 'queue'];

/** Which period's curve an estimate's dates come from (`CaseEstimate.window`). */
export type EstimateWindow = 'recent' | 'extended';

export interface EstimateOptions {
  /** Of the curve's bands and quantile intervals; 0.95 by default. */
  confidenceLevel?: number;
  /** Trailing window of the published-style figures; `PUBLISHED_WINDOW_DAYS` by default. */
  publishedWindowDays?: number;
  /**
   * Build the curve only from what happened in the last `periodDays` days (period
   * analysis), so it follows the current pace; the whole history by default.
   */
  periodDays?: number;
  /**
   * Longer periods, in increasing order, that `estimateCasesPooled` reads in turn when the
   * curve over `periodDays` gives a case no 80 % date for lack of data only: too few decided
   * cases in the period, or too few that had come as far as this case. The estimate then says
   * so (`window: 'extended'`, `curve.periodDays` the period used). None by default.
   */
  widerPeriodsDays?: readonly number[];
  /** Overrides of `DEFAULT_THRESHOLDS`, e.g. for backtesting other settings. */
  thresholds?: Partial<Thresholds>;
  /** The clock per-case dates are read on; `calendar` by default. */
  timeScale?: TimeScale;
  /** On the queue clock: the weeks of decisions whose pace turns progress into days; `PACE_WEEKS` (4) by default. */
  paceWeeks?: number;
}

/**
 * Why there is no estimate (or no date at one level). Codes are stable; their words, in
 * English and Spanish, are `reasonWording`'s alone (wording.ts).
 */
export type NoEstimateReasonCode =
  | 'CASE_DECIDED'
  | 'TOO_FEW_DECIDED'
  | 'MOST_PEERS_PENDING'
  | 'DECISIONS_STOPPED'
  | 'OLDER_THAN_DECIDED_CASES'
  | 'CURVE_DOES_NOT_REACH'
  | 'TOO_FEW_AT_RISK';

/**
 * A reason as facts: the words read these and the estimate it belongs to (its age, peers
 * and decision pace), so every language says the same thing.
 */
export interface NoEstimateReason {
  code: NoEstimateReasonCode;
  /** The level (0.5 or 0.8) this reason withholds, or null when it withholds every date. */
  probability: number | null;
  /** The measured value and the threshold it was held against, where there is one. */
  observed: number | null;
  threshold: number | null;
}

export interface EstimatedDate extends DayAndDate {
  /** The probability of a decision by this date, given the case is still pending at `asOf`. */
  probability: number;
  /** The case's age on that date. */
  ageDays: number;
  /** Days from `asOf`; always at least 1. */
  daysFromAsOf: number;
  /** Cases still at risk at that age on the curve: what the date rests on. */
  atRisk: number;
}

/** The cohort's curve in a few numbers, to show next to the published-style figures. */
export interface CurveSummary {
  method: 'kaplan-meier';
  confidenceLevel: number;
  /** Null for the whole history. */
  periodDays: number | null;
  cases: number;
  decided: number;
  censored: number;
  lateEntries: number;
  maxObservedDays: number | null;
  median: CurveQuantile;
  p80: CurveQuantile;
}

export interface CohortEstimate {
  asOf: DayAndDate;
  curve: CurveSummary;
  publishedStyle: PublishedStyleFigures;
  decisionPace: DecisionPace;
}

export interface QueueProgress {
  /** Cases waiting when this one was received (received earlier, not yet decided), plus itself. */
  queueJoined: number;
  /** Cohort decisions since its receipt day, in thousandths of `queueJoined`. */
  progress: number;
  /** Cohort decisions over the last `paceWeeks` weeks, and per day. */
  paceDecisions: number;
  pacePerDay: number;
  paceWeeks: number;
}

export interface CaseToEstimate {
  receivedAt: Day;
  /** Decided cases get no window, only the reason CASE_DECIDED. */
  decidedAt?: Day | null;
  /** The step the case is at and the cohort's usual gaps there, for the staleness signal. */
  lastStep?: StalenessInput;
}

/** What every estimate of a case reads: its cohort on one day. */
interface CohortOnDay {
  /** The cohort's cases (agency, form, office, optionally step); may include the cases estimated. */
  cohort: readonly CaseObservation[];
  asOf: Day;
  options?: EstimateOptions;
  /**
   * On the queue clock: the cohort's clock, when `cohort` does not hold every case's real
   * receipt and decision day (`observationsFromCounts` with `queueClockOfCounts`). Built from
   * `cohort` when left out.
   */
  queueClock?: QueueClock;
}

export interface EstimateCaseInput extends CohortOnDay {
  case: CaseToEstimate;
}

export interface EstimateCasesInput extends CohortOnDay {
  cases: readonly CaseToEstimate[];
}

export interface CaseEstimate {
  asOf: DayAndDate;
  /** 'none' when neither date could be given. */
  method: 'conditional-kaplan-meier' | 'none';
  /** The clock the dates were read on (see `TimeScale`). */
  timeScale: TimeScale;
  /**
   * On the queue clock: the queue the case joined, its progress through it (thousandths)
   * and the pace that turns progress into days. Null on the calendar clock.
   */
  queueProgress: QueueProgress | null;
  /**
   * True when the dates come from the form's cohort across offices (same agency and form)
   * because the case's own office had too little data (`estimateCasesPooled`); then every
   * figure of the estimate (curve, queue, pace, sample size) is the pooled cohort's.
   */
  pooled: boolean;
  /**
   * `recent` when the dates (or the reasons) come from the curve over `options.periodDays`;
   * `extended` when that curve had too little data for this case and a longer period of
   * `options.widerPeriodsDays` gave the 80 % date (`estimateCasesPooled`); `curve.periodDays`
   * is then that period, and every figure of the estimate is read over it.
   */
  window: EstimateWindow;
  /** Cases on the curve the dates come from. */
  sampleSize: number;
  /** The case's age on `asOf`: how long it has waited. */
  ageDays: number;
  /** 50 % likely to be decided by then. Null with a reason in `reasons`. */
  likelyBy: EstimatedDate | null;
  /** 80 % likely to be decided by then. Null with a reason in `reasons`. */
  eightyPercentBy: EstimatedDate | null;
  reasons: NoEstimateReason[];
  queue: QueueView;
  /** Null when no `lastStep` was given. */
  staleness: Staleness | null;
  /** For a pending case older than most decided cases like it: what can honestly be said (`longWaitOf`); null otherwise. */
  longWait: LongWait | null;
  peers: PeerPendingShare;
  decisionPace: DecisionPace;
  publishedStyle: PublishedStyleFigures;
  curve: CurveSummary;
}
