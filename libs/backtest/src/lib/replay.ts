import {
  estimateCasesPooled,
  PUBLISHED_WINDOW_DAYS,
  publishedStyleFigures,
  RECOMMENDED_ESTIMATE_OPTIONS,
  type CaseObservation,
  type Day,
  type EstimateOptions,
  type PooledCohort,
  type PublishedStyleFigures,
} from '@case-status/processing-time';
import { spellOn, type CaseHistory, type ReplayHistory } from './history';

/**
 * The published-style method: the agency-style figures read as a promise to the case:
 * likely by receipt + median, 80 % by receipt + 80th percentile of the cases decided in the
 * last six months.
 */
export const PUBLISHED = 'published';

/**
 * The survival methods replayed by default: `estimateCase` with the recommended settings,
 * which give each case its 50 % and 80 % dates given how far it has come.
 */
const DEFAULT_SURVIVAL_METHODS: Readonly<Record<string, EstimateOptions>> = Object.freeze({ survival: RECOMMENDED_ESTIMATE_OPTIONS });

/** What one method said about one pending case on one as-of day. */
export interface Prediction {
  /** A survival method's name, or `published`. */
  method: string;
  caseId: string;
  cohort: string;
  asOf: Day;
  receivedAt: Day;
  /** The 50 % date, null when withheld. */
  likelyBy: Day | null;
  /** The 80 % date, null when withheld. */
  eightyPercentBy: Day | null;
  /** Why the 80 % date was withheld (stable codes); empty when it was given. */
  reasons: string[];
  /** The dates came from the form's cohort across offices, not the case's own office. */
  pooled?: boolean;
  /** The dates came from a longer period than the method's own (`window: 'extended'`). */
  extended?: boolean;
}

/** The published-style method says nothing only when no case was decided in its window. */
const NO_DECISIONS_IN_WINDOW = 'NO_DECISIONS_IN_WINDOW';

export interface ScheduleOptions {
  /** Days between as-of days; 14 by default. */
  everyDays?: number;
  /**
   * History to let pass before the first as-of day, counted from the first decision: the
   * published figures need six months of decisions. 182 by default.
   */
  warmupDays?: number;
}

/**
 * The as-of days of a replay: every `everyDays` from `warmupDays` after the first decision
 * up to the day before the history ends. Empty when the history has no decision or is too
 * short.
 */
export function asOfSchedule(history: ReplayHistory, options: ScheduleOptions = {}): Day[] {
  const everyDays = options.everyDays ?? 14;
  const warmupDays = options.warmupDays ?? PUBLISHED_WINDOW_DAYS;
  if (!Number.isSafeInteger(everyDays) || everyDays < 1) throw new RangeError(`everyDays must be a whole number of at least 1, not ${everyDays}`);
  if (!Number.isSafeInteger(warmupDays) || warmupDays < 0) throw new RangeError(`warmupDays must be a whole number of at least 0, not ${warmupDays}`);
  let firstDecision = Number.POSITIVE_INFINITY;
  for (const item of history.cases) if (item.decidedAt !== null) firstDecision = Math.min(firstDecision, item.decidedAt);
  const days: Day[] = [];
  for (let day = firstDecision + warmupDays; day < history.endDay; day += everyDays) days.push(day);
  return days;
}

export interface ReplayOptions {
  asOfDays: readonly Day[];
  /**
   * The survival methods to replay, by name, each with its `estimateCases` options (other
   * settings or thresholds to compare); `DEFAULT_SURVIVAL_METHODS` when left out.
   */
  survivalMethods?: Readonly<Record<string, EstimateOptions>>;
  /**
   * Survival methods that read the case's own cohort only. The others borrow from the form's
   * cohort across offices where the own one has too little data (`estimateCasesPooled`).
   */
  unpooledMethods?: readonly string[];
}

/**
 * Replays the history: on each as-of day, every case received by then and not yet decided
 * gets a prediction from each method, computed only from what was known on that day (its
 * cohort on that day, receipts up to it, decisions up to it). What happened later is not
 * passed to the estimators at all.
 */
export function replayHistory(history: ReplayHistory, options: ReplayOptions): Prediction[] {
  const methods = Object.entries(options.survivalMethods ?? DEFAULT_SURVIVAL_METHODS);
  const unpooled = new Set(options.unpooledMethods ?? []);
  if (methods.some(([name]) => name === PUBLISHED)) throw new RangeError(`"${PUBLISHED}" names the published-style method; give the survival method another name`);
  const predictions: Prediction[] = [];
  for (const asOf of options.asOfDays) {
    const cohorts = cohortsOn(history.cases, asOf);
    const pools = poolsOn(cohorts, asOf);
    for (const [cohort, { members, pool }] of cohorts) {
      const pending = members.filter((item) => decidedBy(item, asOf) === null);
      if (pending.length === 0) continue;
      const observations: CaseObservation[] = members.map((item) => observationOn(item, asOf));
      const cases = pending.map((item) => ({ receivedAt: item.receivedAt }));
      const pooled = pool === undefined ? null : (pools.get(pool) ?? null);
      const base = (item: CaseHistory) => ({ caseId: item.caseId, cohort, asOf, receivedAt: item.receivedAt });
      for (const [method, estimateOptions] of methods) {
        estimateCasesPooled({ cohort: observations, cases, asOf, options: estimateOptions, pool: unpooled.has(method) ? null : pooled }).forEach((estimate, index) => {
          predictions.push({
            ...base(pending[index]),
            method,
            likelyBy: estimate.likelyBy?.day ?? null,
            eightyPercentBy: estimate.eightyPercentBy?.day ?? null,
            reasons: estimate.eightyPercentBy ? [] : estimate.reasons.filter((reason) => reason.probability === null || reason.probability === 0.8).map((reason) => reason.code),
            pooled: estimate.pooled,
            extended: estimate.window === 'extended',
          });
        });
      }
      const figures = publishedStyleFigures(observations, asOf);
      for (const item of pending) predictions.push({ ...base(item), method: PUBLISHED, ...publishedPromise(figures, item.receivedAt) });
    }
  }
  return predictions;
}

function decidedBy(item: CaseHistory, asOf: Day): Day | null {
  return item.decidedAt !== null && item.decidedAt <= asOf ? item.decidedAt : null;
}

/** The cases received by `asOf`, grouped by the cohort each belonged to on that day, with the pool of that cohort. */
function cohortsOn(cases: readonly CaseHistory[], asOf: Day): Map<string, { members: CaseHistory[]; pool: string | undefined }> {
  const groups = new Map<string, { members: CaseHistory[]; pool: string | undefined }>();
  for (const item of cases) {
    if (item.receivedAt > asOf) continue;
    const { cohort, pool } = spellOn(item, asOf);
    const group = groups.get(cohort);
    if (group) group.members.push(item);
    else groups.set(cohort, { members: [item], pool });
  }
  return groups;
}

/**
 * Each pool's cases on `asOf`: the members of every cohort in it, each as its own cohort
 * observes it (a case transferred in is observed from its transfer), as the served counts
 * of the form's offices add up. Only pools of more than one cohort: a form at one office has
 * nothing to borrow.
 */
function poolsOn(cohorts: ReadonlyMap<string, { members: CaseHistory[]; pool: string | undefined }>, asOf: Day): Map<string, PooledCohort> {
  const byPool = new Map<string, CaseHistory[][]>();
  for (const { members, pool } of cohorts.values()) {
    if (pool === undefined) continue;
    const groups = byPool.get(pool);
    if (groups) groups.push(members);
    else byPool.set(pool, [members]);
  }
  const pools = new Map<string, PooledCohort>();
  for (const [pool, groups] of byPool) if (groups.length > 1) pools.set(pool, { cohort: groups.flat().map((item) => observationOn(item, asOf)) });
  return pools;
}

/**
 * A case as its cohort on `asOf` knew it. A case transferred in is observed from the day it
 * arrived (delayed entry), as the served estimates count it: the office did not watch it
 * wait before.
 */
function observationOn(item: CaseHistory, asOf: Day): CaseObservation {
  const { from } = spellOn(item, asOf);
  const observation: CaseObservation = { receivedAt: item.receivedAt, decidedAt: decidedBy(item, asOf) };
  if (from > item.receivedAt) observation.observedFrom = from;
  return observation;
}

/** The published figures read as dates for one case; a date already past stays past. */
export function publishedPromise(figures: Pick<PublishedStyleFigures, 'medianDays' | 'p80Days'>, receivedAt: Day): Pick<Prediction, 'likelyBy' | 'eightyPercentBy' | 'reasons'> {
  return {
    likelyBy: figures.medianDays === null ? null : receivedAt + figures.medianDays,
    eightyPercentBy: figures.p80Days === null ? null : receivedAt + figures.p80Days,
    reasons: figures.p80Days === null ? [NO_DECISIONS_IN_WINDOW] : [],
  };
}
