import { assertDay, dayAndDate, type Day, type DayAndDate } from './days';
import { EstimationInputError } from './errors';
import { conditionalQuantile, curveQuantile, DEFAULT_CONFIDENCE_LEVEL, kaplanMeier, survivalAt, type CurveQuantile, type SurvivalCurve } from './kaplan-meier';
import { assertObservations, knownAsOf, survivalRecords, type CaseObservation, type KnownCase } from './observations';
import { assertWindowDays, publishedStyleOf, type PublishedStyleFigures } from './published-style';
import { queueOf, type QueueView } from './queue';
import { decisionPaceOf, decisionsStopped, mostPeersPending, peerPendingShareOf, type DecisionPace, type PeerPendingShare } from './reliability';
import { staleness, type Staleness, type StalenessInput } from './staleness';
import { DEFAULT_THRESHOLDS, PUBLISHED_WINDOW_DAYS, type Thresholds } from './thresholds';

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
  /** Overrides of `DEFAULT_THRESHOLDS`, e.g. for backtesting other settings. */
  thresholds?: Partial<Thresholds>;
}

/** Why there is no estimate (or no date at one level). Codes are stable; messages are plain English. */
export type NoEstimateReasonCode =
  | 'CASE_DECIDED'
  | 'TOO_FEW_DECIDED'
  | 'MOST_PEERS_PENDING'
  | 'DECISIONS_STOPPED'
  | 'OLDER_THAN_DECIDED_CASES'
  | 'CURVE_DOES_NOT_REACH'
  | 'TOO_FEW_AT_RISK';

export interface NoEstimateReason {
  code: NoEstimateReasonCode;
  /** The level (0.5 or 0.8) this reason withholds, or null when it withholds every date. */
  probability: number | null;
  /** The measured value and the threshold it was held against, where there is one. */
  observed: number | null;
  threshold: number | null;
  message: string;
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

export interface CaseToEstimate {
  receivedAt: Day;
  /** Decided cases get no window, only the reason CASE_DECIDED. */
  decidedAt?: Day | null;
  /** The step the case is at and the cohort's usual gaps there, for the staleness signal. */
  lastStep?: StalenessInput;
}

export interface EstimateCaseInput {
  /** The cohort's cases (agency, form, office, optionally step); may include this case. */
  cohort: readonly CaseObservation[];
  case: CaseToEstimate;
  asOf: Day;
  options?: EstimateOptions;
}

export interface CaseEstimate {
  asOf: DayAndDate;
  /** 'none' when neither date could be given. */
  method: 'conditional-kaplan-meier' | 'none';
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
  peers: PeerPendingShare;
  decisionPace: DecisionPace;
  publishedStyle: PublishedStyleFigures;
  curve: CurveSummary;
}

const LEVELS = [0.5, 0.8] as const;

interface Prepared {
  known: KnownCase[];
  curve: SurvivalCurve;
  thresholds: Thresholds;
  summary: CurveSummary;
  publishedStyle: PublishedStyleFigures;
  decisionPace: DecisionPace;
}

function prepare(cohort: readonly CaseObservation[], asOf: Day, options: EstimateOptions): Prepared {
  assertDay(asOf, 'asOf');
  assertObservations(cohort);
  const thresholds = resolveThresholds(options.thresholds);
  const confidenceLevel = options.confidenceLevel ?? DEFAULT_CONFIDENCE_LEVEL;
  const publishedWindowDays = options.publishedWindowDays ?? PUBLISHED_WINDOW_DAYS;
  assertWindowDays(publishedWindowDays, 'options.publishedWindowDays');
  if (options.periodDays !== undefined) assertWindowDays(options.periodDays, 'options.periodDays');
  const known = knownAsOf(cohort, asOf);
  const curve = kaplanMeier(survivalRecords(known, asOf, options.periodDays), confidenceLevel);
  return {
    known,
    curve,
    thresholds,
    summary: {
      method: 'kaplan-meier',
      confidenceLevel,
      periodDays: options.periodDays ?? null,
      cases: curve.cases,
      decided: curve.decided,
      censored: curve.censored,
      lateEntries: curve.lateEntries,
      maxObservedDays: curve.maxObservedDays,
      median: curveQuantile(curve, 0.5),
      p80: curveQuantile(curve, 0.8),
    },
    publishedStyle: publishedStyleOf(known, asOf, publishedWindowDays),
    decisionPace: decisionPaceOf(known, asOf, thresholds),
  };
}

/** The cohort's figures: its survival curve summary beside the published-style ones. */
export function estimateCohort(input: { cohort: readonly CaseObservation[]; asOf: Day; options?: EstimateOptions }): CohortEstimate {
  const prepared = prepare(input.cohort, input.asOf, input.options ?? {});
  return { asOf: dayAndDate(input.asOf), curve: prepared.summary, publishedStyle: prepared.publishedStyle, decisionPace: prepared.decisionPace };
}

/**
 * Everything a serving layer shows for one case: its 50 % and 80 % decision dates given how
 * long it has waited, or the reasons there are none; its place in the queue; whether it is
 * stale at its step; and the cohort figures behind it. Pure: same input, same output.
 */
export function estimateCase(input: EstimateCaseInput): CaseEstimate {
  const { asOf } = input;
  const target = input.case;
  if (typeof target !== 'object' || target === null) throw new EstimationInputError('case', 'expected the case to estimate');
  assertDay(asOf, 'asOf');
  assertDay(target.receivedAt, 'case.receivedAt');
  if (target.receivedAt > asOf) throw new EstimationInputError('case.receivedAt', `the case was received (day ${target.receivedAt}) after asOf (day ${asOf})`);
  const decidedAt = target.decidedAt ?? null;
  if (decidedAt !== null) {
    assertDay(decidedAt, 'case.decidedAt');
    if (decidedAt < target.receivedAt) throw new EstimationInputError('case.decidedAt', `decided (day ${decidedAt}) before it was received (day ${target.receivedAt})`);
  }
  const { known, curve, thresholds, summary, publishedStyle, decisionPace } = prepare(input.cohort, asOf, input.options ?? {});
  const ageDays = asOf - target.receivedAt;
  const queue = queueOf(known, target.receivedAt, asOf);
  const peers = peerPendingShareOf(known, target.receivedAt, asOf, curve, thresholds.peerWindowDays);

  const reasons: NoEstimateReason[] = [];
  if (decidedAt !== null && decidedAt <= asOf) {
    reasons.push(reason('CASE_DECIDED', null, null, null, 'This case has already been decided, so there is nothing left to estimate.'));
  }
  if (curve.decided < thresholds.minDecidedCases) {
    reasons.push(
      reason(
        'TOO_FEW_DECIDED',
        null,
        curve.decided,
        thresholds.minDecidedCases,
        `Only ${curve.decided} cases like this one have been decided in the data we have; we give dates only once at least ${thresholds.minDecidedCases} have been.`,
      ),
    );
  }
  if (mostPeersPending(peers, thresholds)) {
    reasons.push(
      reason(
        'MOST_PEERS_PENDING',
        null,
        peers.pendingShare,
        thresholds.maxPendingShareAmongPeers,
        `${percent(peers.pendingShare ?? 0)} of the cases received within ${thresholds.peerWindowDays} days of this one are still waiting, although earlier cases were mostly decided by that age. Cases like this one are moving slower than before, so earlier cases are not a reliable guide.`,
      ),
    );
  }
  if (decisionsStopped(decisionPace, queue.openTotal, thresholds)) {
    reasons.push(
      reason(
        'DECISIONS_STOPPED',
        null,
        decisionPace.ratio,
        thresholds.minRecentRateShare,
        `Decisions on cases like this one have nearly stopped: ${round(decisionPace.recent.perWeek)} a week over the last ${decisionPace.recent.weeks} weeks, against ${round(decisionPace.baseline.perWeek)} a week over the last ${decisionPace.baseline.weeks}. Until they resume, past cases do not tell when this one will be decided.`,
      ),
    );
  }
  if (reasons.length === 0 && survivalAt(curve, ageDays) <= 0) {
    reasons.push(
      reason(
        'OLDER_THAN_DECIDED_CASES',
        null,
        ageDays,
        null,
        `This case has waited ${ageDays} days, longer than the cases we have seen decided took, so they do not tell when it will be decided.`,
      ),
    );
  }

  const dates: (EstimatedDate | null)[] = LEVELS.map((probability) => {
    if (reasons.length > 0 && reasons.some((r) => r.probability === null)) return null;
    const quantile = conditionalQuantile(curve, ageDays, probability);
    if (!quantile.ok) {
      reasons.push(
        reason(
          'CURVE_DOES_NOT_REACH',
          probability,
          null,
          null,
          `Too few cases that have waited this long have been decided yet to say by when a case like this one is ${percent(probability)} likely to be decided.`,
        ),
      );
      return null;
    }
    if (quantile.atRisk < thresholds.minAtRiskAtQuantile) {
      reasons.push(
        reason(
          'TOO_FEW_AT_RISK',
          probability,
          quantile.atRisk,
          thresholds.minAtRiskAtQuantile,
          `A ${percent(probability)} date would rest on only ${quantile.atRisk} cases that waited that long; we need at least ${thresholds.minAtRiskAtQuantile}.`,
        ),
      );
      return null;
    }
    const day = target.receivedAt + quantile.days;
    return { ...dayAndDate(day), probability, ageDays: quantile.days, daysFromAsOf: day - asOf, atRisk: quantile.atRisk };
  });
  const [likelyBy, eightyPercentBy] = dates;

  return {
    asOf: dayAndDate(asOf),
    method: likelyBy || eightyPercentBy ? 'conditional-kaplan-meier' : 'none',
    sampleSize: curve.cases,
    ageDays,
    likelyBy,
    eightyPercentBy,
    reasons,
    queue,
    staleness: target.lastStep === undefined ? null : staleness(target.lastStep, asOf, thresholds.minStepGaps),
    peers,
    decisionPace,
    publishedStyle,
    curve: summary,
  };
}

function reason(code: NoEstimateReasonCode, probability: number | null, observed: number | null, threshold: number | null, message: string): NoEstimateReason {
  return { code, probability, observed, threshold, message };
}

function resolveThresholds(overrides: Partial<Thresholds> | undefined): Thresholds {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...overrides };
  for (const [name, value] of Object.entries(thresholds)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new EstimationInputError(`options.thresholds.${name}`, `expected a number of at least 0, got ${String(value)}`);
    }
  }
  for (const name of ['peerWindowDays', 'recentRateWeeks', 'baselineRateWeeks'] as const) {
    if (!Number.isSafeInteger(thresholds[name]) || thresholds[name] < 1) throw new EstimationInputError(`options.thresholds.${name}`, `expected a whole number of at least 1, got ${thresholds[name]}`);
  }
  return thresholds;
}

function percent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
