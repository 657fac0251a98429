import { datesAccuracy, isoFromDay, median, type Day } from '@case-status/processing-time';
import type { ReplayHistory } from './history';
import { PUBLISHED, type Prediction } from './replay';

/** How one method did over a set of predictions. Shares are null when their base is empty. */
export interface MethodScore {
  /** Pending cases asked about (one per case and as-of day). */
  predictions: number;
  /** Predictions without an 80 % date ("no reliable estimate"), and their share. */
  withheld: number;
  withheldShare: number | null;
  /** 80 % dates given, and how many of them were on or before the as-of day. */
  dated: number;
  pastDates: number;
  pastShare: number | null;
  /** 50 % dates given, and how many of them were on or before the as-of day. */
  likelyDated: number;
  likelyPast: number;
  /**
   * Honest coverage of the 80 % window: of the 80 % dates on or before the end of the
   * history (`scored`), the share whose case was decided by then (`covered`). A case still
   * undecided at the end of the history was not decided by its date: a miss.
   */
  scored: number;
  covered: number;
  coverage: number | null;
  /** Median of |decision − likely-by| in days, over 50 % dates whose case got decided. */
  medianAbsoluteError: number | null;
  errorCount: number;
  /** Median days from the as-of day to the 80 % date given: how wide the promise is. */
  medianHorizonDays: number | null;
  /** Why the 80 % dates were withheld: how often each reason code was among the reasons. */
  withheldReasons: Record<string, number>;
}

/**
 * A survival method's and the published method's median error on the same predictions:
 * cases decided within the history for which both gave a 50 % date. A method cannot look
 * better here by withholding the hard cases.
 */
export interface PairedError {
  count: number;
  survival: number | null;
  published: number | null;
}

export interface Scorecard {
  /** Each method's score, by method name, in the order the methods first appear. */
  methods: Record<string, MethodScore>;
  /** Each survival method against the published one, by survival method name. */
  paired: Record<string, PairedError>;
}

/** The outcome of every case: its first decision within the history, or null. */
export function outcomesOf(history: ReplayHistory): Map<string, Day | null> {
  return new Map(history.cases.map((item) => [item.caseId, item.decidedAt !== null && item.decidedAt <= history.endDay ? item.decidedAt : null]));
}

export function scorecard(predictions: readonly Prediction[], history: ReplayHistory): Scorecard {
  const outcomes = outcomesOf(history);
  const byMethod = new Map<string, Prediction[]>();
  for (const prediction of predictions) {
    const members = byMethod.get(prediction.method);
    if (members) members.push(prediction);
    else byMethod.set(prediction.method, [prediction]);
  }
  const methods: Record<string, MethodScore> = {};
  const paired: Record<string, PairedError> = {};
  for (const [method, members] of byMethod) {
    methods[method] = scoreMethod(members, outcomes, history.endDay);
    if (method !== PUBLISHED) paired[method] = pairedError(members, byMethod.get(PUBLISHED) ?? [], outcomes);
  }
  return { methods, paired };
}

/** The scorecard of each period of as-of days (calendar quarters by default), in order. */
export function scorecardsByPeriod(
  predictions: readonly Prediction[],
  history: ReplayHistory,
  periodOf: (asOf: Day) => string = quarterOf,
): { period: string; scorecard: Scorecard }[] {
  return scorecardsBy(predictions, history, (prediction) => periodOf(prediction.asOf));
}

/** The scorecard of each group of predictions, groups in the order of their first as-of day. */
export function scorecardsBy(predictions: readonly Prediction[], history: ReplayHistory, groupOf: (prediction: Prediction) => string): { period: string; scorecard: Scorecard }[] {
  const groups = new Map<string, Prediction[]>();
  for (const prediction of [...predictions].sort((a, b) => a.asOf - b.asOf)) {
    const group = groupOf(prediction);
    const members = groups.get(group);
    if (members) members.push(prediction);
    else groups.set(group, [prediction]);
  }
  return [...groups].map(([period, members]) => ({ period, scorecard: scorecard(members, history) }));
}

/** `2026-Q1` for a day in January to March 2026. */
export function quarterOf(day: Day): string {
  const iso = isoFromDay(day);
  return `${iso.slice(0, 4)}-Q${Math.floor((Number(iso.slice(5, 7)) - 1) / 3) + 1}`;
}

export function scoreMethod(predictions: readonly Prediction[], outcomes: ReadonlyMap<string, Day | null>, endDay: Day): MethodScore {
  let withheld = 0;
  let dated = 0;
  let pastDates = 0;
  let likelyDated = 0;
  let likelyPast = 0;
  const horizons: number[] = [];
  const withheldReasons: Record<string, number> = {};
  const dates: { eightyPercentBy: Day | null; likelyBy: Day | null; decidedAt: Day | null }[] = [];
  for (const prediction of predictions) {
    dates.push({ eightyPercentBy: prediction.eightyPercentBy, likelyBy: prediction.likelyBy, decidedAt: outcomeOf(prediction, outcomes) });
    if (prediction.likelyBy !== null) {
      likelyDated++;
      if (prediction.likelyBy <= prediction.asOf) likelyPast++;
    }
    const date = prediction.eightyPercentBy;
    if (date === null) {
      withheld++;
      for (const code of new Set(prediction.reasons)) withheldReasons[code] = (withheldReasons[code] ?? 0) + 1;
      continue;
    }
    dated++;
    horizons.push(date - prediction.asOf);
    if (date <= prediction.asOf) pastDates++;
  }
  // Coverage and error are scored as the platform scores its record of served estimates, every case counted.
  const accuracy = datesAccuracy(dates, endDay, 1);
  const total = predictions.length;
  return {
    predictions: total,
    withheld,
    withheldShare: share(withheld, total),
    dated,
    pastDates,
    pastShare: share(pastDates, dated),
    likelyDated,
    likelyPast,
    scored: accuracy.scored,
    covered: accuracy.cameTrue,
    coverage: accuracy.cameTrueShare,
    medianAbsoluteError: accuracy.medianErrorDays,
    errorCount: accuracy.errors,
    medianHorizonDays: median(horizons),
    withheldReasons,
  };
}

function outcomeOf(prediction: Prediction, outcomes: ReadonlyMap<string, Day | null>): Day | null {
  if (!outcomes.has(prediction.caseId)) throw new RangeError(`no outcome for case ${prediction.caseId}: predictions and history do not match`);
  return outcomes.get(prediction.caseId) ?? null;
}

function pairedError(survival: readonly Prediction[], published: readonly Prediction[], outcomes: ReadonlyMap<string, Day | null>): PairedError {
  const publishedLikely = new Map(published.map((p) => [`${p.asOf} ${p.caseId}`, p.likelyBy]));
  const survivalErrors: number[] = [];
  const publishedErrors: number[] = [];
  for (const prediction of survival) {
    const decidedAt = outcomeOf(prediction, outcomes);
    const other = publishedLikely.get(`${prediction.asOf} ${prediction.caseId}`) ?? null;
    if (decidedAt === null || prediction.likelyBy === null || other === null) continue;
    survivalErrors.push(Math.abs(decidedAt - prediction.likelyBy));
    publishedErrors.push(Math.abs(decidedAt - other));
  }
  return { count: survivalErrors.length, survival: median(survivalErrors), published: median(publishedErrors) };
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
