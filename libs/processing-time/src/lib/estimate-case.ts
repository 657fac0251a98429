import { assertDay, dayAndDate, type Day, type DayAndDate } from './days';
import { EstimationInputError } from './errors';
import { conditionalQuantile, curveQuantile, DEFAULT_CONFIDENCE_LEVEL, kaplanMeier, survivalAt, type CurveQuantile, type SurvivalCurve } from './kaplan-meier';
import { assertObservations, knownAsOf, survivalRecords, type CaseObservation, type KnownCase } from './observations';
import { assertWindowDays, publishedStyleOf, type PublishedStyleFigures } from './published-style';
import { decisionRateOf, type DecisionRate, type QueueView } from './queue';
import { daysToQueueQuantile, paceSamples, queueClockOf, queueClockRecords, type QueueClock } from './queue-clock';
import { decisionPaceOf, decisionsStopped, mostPeersPending, pendingShareAmong, type DecisionPace, type PeerPendingShare } from './reliability';
import { staleness, type Staleness, type StalenessInput } from './staleness';
import { DEFAULT_THRESHOLDS, PACE_WEEKS, PUBLISHED_WINDOW_DAYS, type Thresholds } from './thresholds';

/**
 * The clock a case's dates are read on. `calendar` (the default): days since receipt.
 * `queue`: progress through the queue the case joined, turned into days at the office's
 * recent pace. docs/processing-time.md explains both, docs/backtest.md how they fare.
 */
export type TimeScale = 'calendar' | 'queue';
export const TIME_SCALES: readonly TimeScale[] = ['calendar', 'queue'];

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
  /** The clock per-case dates are read on; `calendar` by default. */
  timeScale?: TimeScale;
  /** On the queue clock: the weeks of decisions whose pace turns progress into days; `PACE_WEEKS` (4) by default. */
  paceWeeks?: number;
}

/**
 * The settings whose 80 % dates held 77–82 % of the time in every backtested regime but an
 * unannounced pause, which no method foresees (docs/backtest.md): the queue clock, over the
 * last six months (the published figures' window). The read side serves these; they are not
 * the library's default, which stays the plain calendar curve over the whole history.
 */
export const RECOMMENDED_ESTIMATE_OPTIONS: Readonly<EstimateOptions> = Object.freeze({ timeScale: 'queue', periodDays: PUBLISHED_WINDOW_DAYS });

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

export interface EstimateCasesInput {
  /** The cohort's cases (agency, form, office, optionally step); may include these cases. */
  cohort: readonly CaseObservation[];
  cases: readonly CaseToEstimate[];
  asOf: Day;
  options?: EstimateOptions;
  /**
   * On the queue clock: the cohort's clock, when `cohort` does not hold every case's real
   * receipt and decision day (`observationsFromCounts` with `queueClockOfCounts`). Built from
   * `cohort` when left out.
   */
  queueClock?: QueueClock;
}

export interface EstimateCaseInput {
  /** The cohort's cases (agency, form, office, optionally step); may include this case. */
  cohort: readonly CaseObservation[];
  case: CaseToEstimate;
  asOf: Day;
  options?: EstimateOptions;
  /**
   * On the queue clock: the cohort's clock, when `cohort` does not hold every case's real
   * receipt and decision day (`observationsFromCounts` with `queueClockOfCounts`). Built from
   * `cohort` when left out.
   */
  queueClock?: QueueClock;
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
  /** On days since receipt: the cohort summary, and the dates on the calendar clock. */
  curve: SurvivalCurve;
  timeScale: TimeScale;
  /** On the queue clock, when that is the time scale. */
  queue: {
    clock: QueueClock;
    curve: SurvivalCurve;
    paceWeeks: number;
    paceDecisions: number;
    paces: number[];
    /** Progress on asOf by receipt day, remembered: a cohort's cases share few receipt days. */
    progressOf: (receivedAt: Day) => number;
  } | null;
  thresholds: Thresholds;
  summary: CurveSummary;
  publishedStyle: PublishedStyleFigures;
  decisionPace: DecisionPace;
}

function queueCurveOf(known: readonly KnownCase[], asOf: Day, periodDays: number | undefined, confidenceLevel: number, paceWeeks: number, clock: QueueClock): NonNullable<Prepared['queue']> {
  const paceDecisions = clock.decisionsWithin(asOf, 7 * paceWeeks);
  const remembered = new Map<Day, number>();
  return {
    clock,
    curve: kaplanMeier(queueClockRecords(known, asOf, clock, periodDays), confidenceLevel),
    paceWeeks,
    paceDecisions,
    paces: paceSamples(paceDecisions, 7 * paceWeeks),
    progressOf: (receivedAt) => {
      let progress = remembered.get(receivedAt);
      if (progress === undefined) remembered.set(receivedAt, (progress = clock.progress(receivedAt, asOf)));
      return progress;
    },
  };
}

function prepare(cohort: readonly CaseObservation[], asOf: Day, options: EstimateOptions, withQueue = true, queueClock?: QueueClock): Prepared {
  assertDay(asOf, 'asOf');
  assertObservations(cohort);
  const thresholds = resolveThresholds(options.thresholds);
  const confidenceLevel = options.confidenceLevel ?? DEFAULT_CONFIDENCE_LEVEL;
  const publishedWindowDays = options.publishedWindowDays ?? PUBLISHED_WINDOW_DAYS;
  assertWindowDays(publishedWindowDays, 'options.publishedWindowDays');
  if (options.periodDays !== undefined) assertWindowDays(options.periodDays, 'options.periodDays');
  const timeScale = options.timeScale ?? 'calendar';
  if (!TIME_SCALES.includes(timeScale)) throw new EstimationInputError('options.timeScale', `expected one of ${TIME_SCALES.join(', ')}, got ${String(timeScale)}`);
  const paceWeeks = options.paceWeeks ?? PACE_WEEKS;
  if (!Number.isSafeInteger(paceWeeks) || paceWeeks < 1) throw new EstimationInputError('options.paceWeeks', `expected a whole number of weeks of at least 1, got ${String(paceWeeks)}`);
  const known = knownAsOf(cohort, asOf);
  const curve = kaplanMeier(survivalRecords(known, asOf, options.periodDays), confidenceLevel);
  return {
    known,
    curve,
    timeScale,
    queue: timeScale === 'queue' && withQueue ? queueCurveOf(known, asOf, options.periodDays, confidenceLevel, paceWeeks, queueClock ?? queueClockOf(known)) : null,
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
  const prepared = prepare(input.cohort, input.asOf, input.options ?? {}, false);
  return { asOf: dayAndDate(input.asOf), curve: prepared.summary, publishedStyle: prepared.publishedStyle, decisionPace: prepared.decisionPace };
}

/**
 * Everything a serving layer shows for one case: its 50 % and 80 % decision dates given how
 * long it has waited, or the reasons there are none; its place in the queue; whether it is
 * stale at its step; and the cohort figures behind it. Pure: same input, same output.
 */
export function estimateCase(input: EstimateCaseInput): CaseEstimate {
  const { asOf } = input;
  assertCaseToEstimate(input.case, 'case', asOf);
  const prepared = prepare(input.cohort, asOf, input.options ?? {}, true, input.queueClock);
  return estimateOne(prepared, indexCohort(prepared.known), input.case, asOf);
}

/**
 * `estimateCase` for many cases of one cohort on one day: the curve and the cohort's
 * figures are built once, so a serving layer or a backtest can estimate a whole queue
 * cheaply. Each result is exactly what `estimateCase` returns for that case.
 */
export function estimateCases(input: EstimateCasesInput): CaseEstimate[] {
  const { asOf } = input;
  assertDay(asOf, 'asOf');
  if (!Array.isArray(input.cases)) throw new EstimationInputError('cases', 'expected an array of cases to estimate');
  input.cases.forEach((target, index) => assertCaseToEstimate(target, `cases[${index}]`, asOf));
  const prepared = prepare(input.cohort, asOf, input.options ?? {}, true, input.queueClock);
  const index = indexCohort(prepared.known);
  return input.cases.map((target) => estimateOne(prepared, index, target, asOf));
}

function assertCaseToEstimate(target: CaseToEstimate, path: string, asOf: Day): void {
  if (typeof target !== 'object' || target === null) throw new EstimationInputError(path, 'expected the case to estimate');
  assertDay(asOf, 'asOf');
  assertDay(target.receivedAt, `${path}.receivedAt`);
  if (target.receivedAt > asOf) throw new EstimationInputError(`${path}.receivedAt`, `the case was received (day ${target.receivedAt}) after asOf (day ${asOf})`);
  const decidedAt = target.decidedAt ?? null;
  if (decidedAt !== null) {
    assertDay(decidedAt, `${path}.decidedAt`);
    if (decidedAt < target.receivedAt) throw new EstimationInputError(`${path}.decidedAt`, `decided (day ${decidedAt}) before it was received (day ${target.receivedAt})`);
  }
}

/** The cohort's known cases sorted by receipt, so each case's queue place and peers are a slice. */
interface CohortIndex {
  byReceipt: KnownCase[];
  /** `pendingBefore[i]`: pending cases among `byReceipt[0..i)`. */
  pendingBefore: number[];
  /** The decision rates do not depend on the case: computed on first use, once. */
  rates: Map<number, DecisionRate>;
}

function indexCohort(known: readonly KnownCase[]): CohortIndex {
  const byReceipt = [...known].sort((a, b) => a.receivedAt - b.receivedAt);
  const pendingBefore = [0];
  for (const item of byReceipt) pendingBefore.push(pendingBefore[pendingBefore.length - 1] + (item.decidedAt === null ? item.count : 0));
  return { byReceipt, pendingBefore, rates: new Map() };
}

/** Index of the first case received on or after `day`. */
function firstReceivedFrom(index: CohortIndex, day: Day): number {
  let low = 0;
  let high = index.byReceipt.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (index.byReceipt[middle].receivedAt < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** `queueOf` from the index: the same figures without a pass over the whole cohort. */
function indexedQueue(index: CohortIndex, known: readonly KnownCase[], receivedAt: Day, asOf: Day): QueueView {
  const rate = (weeks: number): DecisionRate => {
    let cached = index.rates.get(weeks);
    if (!cached) index.rates.set(weeks, (cached = decisionRateOf(known, asOf, weeks)));
    return cached;
  };
  const openAhead = index.pendingBefore[firstReceivedFrom(index, receivedAt)];
  const openTotal = index.pendingBefore[index.byReceipt.length];
  const last4Weeks = rate(4);
  return {
    openAhead,
    openTotal,
    last4Weeks,
    last12Weeks: rate(12),
    last26Weeks: rate(26),
    weeksToClearAheadAtRecentPace: last4Weeks.perWeek > 0 ? openAhead / last4Weeks.perWeek : null,
    standstill: last4Weeks.decided === 0 && openTotal > 0,
  };
}

/** `peerPendingShareOf` over the slice of cases received within the window. */
function indexedPeers(index: CohortIndex, receivedAt: Day, curve: SurvivalCurve, windowDays: number, positionOf: (receivedAt: Day) => number): PeerPendingShare {
  const from = firstReceivedFrom(index, receivedAt - windowDays);
  const to = firstReceivedFrom(index, receivedAt + windowDays + 1);
  return pendingShareAmong(index.byReceipt, from, to, curve, windowDays, positionOf);
}

function estimateOne(prepared: Prepared, index: CohortIndex, target: CaseToEstimate, asOf: Day): CaseEstimate {
  const { known, thresholds, summary, publishedStyle, decisionPace } = prepared;
  const decidedAt = target.decidedAt ?? null;
  const ageDays = asOf - target.receivedAt;
  const queue = indexedQueue(index, known, target.receivedAt, asOf);
  // Where a case stands on the clock the dates are read on: its progress through its
  // queue, or its age. The peer check reads the same curve at the peers' own positions.
  const onQueue = prepared.queue;
  const curve = onQueue?.curve ?? prepared.curve;
  const positionOf = onQueue ? onQueue.progressOf : (receivedAt: Day): number => asOf - receivedAt;
  const position = positionOf(target.receivedAt);
  const queueProgress: QueueProgress | null = onQueue
    ? {
        queueJoined: onQueue.clock.queueJoined(target.receivedAt),
        progress: position,
        paceDecisions: onQueue.paceDecisions,
        pacePerDay: onQueue.paceDecisions / (7 * onQueue.paceWeeks),
        paceWeeks: onQueue.paceWeeks,
      }
    : null;
  const peers = indexedPeers(index, target.receivedAt, curve, thresholds.peerWindowDays, positionOf);

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
  if (decisionsStopped(decisionPace, queue.openTotal, thresholds) || queueProgress?.pacePerDay === 0) {
    reasons.push(
      reason(
        'DECISIONS_STOPPED',
        null,
        decisionPace.ratio,
        thresholds.minRecentRateShare,
        decisionPace.baseline.decided === 0
          ? `No case like this one has been decided in the last ${decisionPace.baseline.weeks} weeks; until cases like it are being decided, past cases do not tell when this one will be.`
          : `Decisions on cases like this one have nearly stopped: ${round(decisionPace.recent.perWeek)} a week over the last ${decisionPace.recent.weeks} weeks, against ${round(decisionPace.baseline.perWeek)} a week over the last ${decisionPace.baseline.weeks}. Until they resume, past cases do not tell when this one will be decided.`,
      ),
    );
  }
  if (reasons.length === 0 && survivalAt(curve, position) <= 0) {
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
    const quantile = conditionalQuantile(curve, position, probability);
    const queueDays = quantile.ok && onQueue && queueProgress ? daysToQueueQuantile(curve, position, probability, queueProgress.queueJoined, onQueue.paces) : null;
    if (!quantile.ok || (onQueue && queueDays === null)) {
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
    const day = queueDays !== null ? asOf + queueDays : target.receivedAt + quantile.days;
    return { ...dayAndDate(day), probability, ageDays: day - target.receivedAt, daysFromAsOf: day - asOf, atRisk: quantile.atRisk };
  });
  const [likelyBy, eightyPercentBy] = dates;

  return {
    asOf: dayAndDate(asOf),
    method: likelyBy || eightyPercentBy ? 'conditional-kaplan-meier' : 'none',
    timeScale: prepared.timeScale,
    queueProgress,
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
