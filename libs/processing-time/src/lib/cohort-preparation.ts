import { assertDay, type Day } from './days';
import { EstimationInputError } from './errors';
import type { CurveSummary, EstimateOptions, TimeScale } from './estimate.types';
import { TIME_SCALES } from './estimate.types';
import { curveQuantile, DEFAULT_CONFIDENCE_LEVEL, kaplanMeier, type SurvivalCurve } from './kaplan-meier';
import { assertObservations, knownAsOf, survivalRecords, type CaseObservation, type KnownCase } from './observations';
import { assertWindowDays, publishedStyleOf, type PublishedStyleFigures } from './published-style';
import { paceSamples, queueClockOf, queueClockRecords, type QueueClock } from './queue-clock';
import { decisionPaceOf, type DecisionPace } from './reliability';
import { DEFAULT_THRESHOLDS, PACE_WEEKS, PUBLISHED_WINDOW_DAYS, type Thresholds } from './thresholds';

/** The queue clock's curve and pace, when dates are read on it. */
export interface QueueCurve {
  clock: QueueClock;
  curve: SurvivalCurve;
  paceWeeks: number;
  paceDecisions: number;
  paces: number[];
  /** Progress on asOf by receipt day, remembered: a cohort's cases share few receipt days. */
  progressOf: (receivedAt: Day) => number;
}

/** A cohort on one day, checked and built once for every case estimated against it. */
export interface PreparedCohort {
  known: KnownCase[];
  /** On days since receipt: the cohort summary, and the dates on the calendar clock. */
  curve: SurvivalCurve;
  timeScale: TimeScale;
  /** On the queue clock, when that is the time scale. */
  queue: QueueCurve | null;
  thresholds: Thresholds;
  summary: CurveSummary;
  publishedStyle: PublishedStyleFigures;
  decisionPace: DecisionPace;
}

/**
 * Checks the cohort and the options, and builds what every case's estimate reads: the
 * curve(s), the published-style figures and the decision pace. `withQueue` false skips the
 * queue clock, which only per-case dates need.
 */
export function prepareCohort(cohort: readonly CaseObservation[], asOf: Day, options: EstimateOptions, withQueue = true, queueClock?: QueueClock): PreparedCohort {
  assertDay(asOf, 'asOf');
  assertObservations(cohort);
  const thresholds = resolveThresholds(options.thresholds);
  const confidenceLevel = options.confidenceLevel ?? DEFAULT_CONFIDENCE_LEVEL;
  const publishedWindowDays = options.publishedWindowDays ?? PUBLISHED_WINDOW_DAYS;
  assertWindowDays(publishedWindowDays, 'options.publishedWindowDays');
  if (options.periodDays !== undefined) assertWindowDays(options.periodDays, 'options.periodDays');
  assertWiderPeriods(options);
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

function queueCurveOf(known: readonly KnownCase[], asOf: Day, periodDays: number | undefined, confidenceLevel: number, paceWeeks: number, clock: QueueClock): QueueCurve {
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

/** `widerPeriodsDays`: only beside a `periodDays`, each longer than the one before it. */
export function assertWiderPeriods(options: EstimateOptions): void {
  const wider = options.widerPeriodsDays;
  if (wider === undefined) return;
  if (!Array.isArray(wider)) throw new EstimationInputError('options.widerPeriodsDays', 'expected an array of periods in days');
  if (wider.length > 0 && options.periodDays === undefined) throw new EstimationInputError('options.widerPeriodsDays', 'longer periods widen a period analysis: give periodDays too');
  let previous = options.periodDays ?? 0;
  wider.forEach((days, index) => {
    assertWindowDays(days, `options.widerPeriodsDays[${index}]`);
    if (days <= previous) throw new EstimationInputError(`options.widerPeriodsDays[${index}]`, `expected a period longer than ${previous} days, got ${days}`);
    previous = days;
  });
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
