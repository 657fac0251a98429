import {
  countsWindowDays,
  dayFromIso,
  estimateCasesPooled,
  estimateCohort,
  type CaseEstimate,
  type CaseObservation,
  type CohortEstimate,
  type Day,
  type DayHistogram,
  type EstimateOptions,
  PEER_WINDOW_DAYS,
  type QueueClock,
  RECOMMENDED_ESTIMATE_OPTIONS,
} from '@case-status/processing-time';

/**
 * How the read side serves processing-time estimates: which facts of a case go in, and the
 * calendar conventions, in one place for every `ReadModelQueries` implementation. The
 * arithmetic is `estimateCase` / `estimateCohort` of @case-status/processing-time.
 */

/**
 * The options every served estimate uses: the queue clock over the last six months, whose
 * 80 % dates held closest to 80 % in the backtest (docs/backtest.md).
 */
export const SERVED_ESTIMATE_OPTIONS: EstimateOptions = RECOMMENDED_ESTIMATE_OPTIONS;

/** Days of decisions, ending on the as-of day, that the cohort counts must list by day. */
export function servedCountsWindowDays(publishedWindowDays?: number): number {
  return countsWindowDays({ ...SERVED_ESTIMATE_OPTIONS, publishedWindowDays });
}

/** Cases received within this many days of a case are its peers. */
export function servedPeerWindowDays(): number {
  return SERVED_ESTIMATE_OPTIONS.thresholds?.peerWindowDays ?? PEER_WINDOW_DAYS;
}

/** The facts of the case to estimate, as the read models hold them (ISO business times). */
export interface EstimateTarget {
  receivedAt: string;
  /** When the decision was issued; null while pending or when closed without one. */
  decidedAt: string | null;
  pending: boolean;
  /** The public status code, and when the case reached it (its step, for staleness). */
  statusCode: string;
  stepSince: string;
}

/** The day a case counts as received, and decided (never before its receipt), as the cohort counts date them. */
export function caseDays(target: Pick<EstimateTarget, 'receivedAt' | 'decidedAt'>): { receivedAt: Day; decidedAt: Day | null } {
  const receivedAt = dayFromIso(target.receivedAt, 'receivedAt');
  const decidedAt = target.decidedAt === null ? null : Math.max(receivedAt, dayFromIso(target.decidedAt, 'decidedAt'));
  return { receivedAt, decidedAt };
}

/**
 * A cohort as the served estimates read it: its observations, and its queue clock as of a day
 * when the observations come from counts (`observationsFromCounts`, `queueClockOfCounts`).
 */
export interface ServedCohort {
  observations: readonly CaseObservation[];
  queueClockAt?: (asOf: Day) => QueueClock;
}

/**
 * The estimate of one case from its cohort's observations (the case among them), as of a
 * day, as the backtest's estimator gives it: where the case's own cohort has too little data,
 * from `pool`, the cohort of every office of the same agency and form (`estimateCasesPooled`;
 * the caller builds it, from that agency and form only). Dates an agency wrote in a time zone
 * ahead of UTC can fall after the as-of day; the estimate is then as of the case's own latest
 * date, so a case is never estimated as not yet received or not yet decided. Staleness is
 * given while the case is pending. Null for a case closed without a decision: there is
 * nothing to estimate and nothing to decide.
 */
export function servedCaseEstimate(target: EstimateTarget, cohort: ServedCohort, usualGaps: DayHistogram, asOf: Day, pool?: ServedCohort): CaseEstimate | null {
  const { receivedAt, decidedAt } = caseDays(target);
  if (!target.pending && decidedAt === null) return null;
  const day = Math.max(asOf, receivedAt, decidedAt ?? asOf);
  const since = Math.min(dayFromIso(target.stepSince, 'stepSince'), day);
  const [estimate] = estimateCasesPooled({
    cohort: cohort.observations,
    cases: [{ receivedAt, decidedAt, lastStep: target.pending ? { step: target.statusCode, since, usualGaps } : undefined }],
    asOf: day,
    options: SERVED_ESTIMATE_OPTIONS,
    queueClock: cohort.queueClockAt?.(day),
    pool: pool === undefined ? null : { cohort: pool.observations, queueClock: pool.queueClockAt?.(day) },
  });
  return estimate;
}

/** The cohort's curve next to its published-style figures over `windowDays`. */
export function servedCohortEstimate(cohort: readonly CaseObservation[], asOf: Day, windowDays: number): CohortEstimate {
  return estimateCohort({ cohort, asOf, options: { ...SERVED_ESTIMATE_OPTIONS, publishedWindowDays: windowDays } });
}
