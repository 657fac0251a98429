import { assertDay, dayAndDate, type Day } from './days';
import { EstimationInputError } from './errors';
import { indexCohort, indexedPeers, indexedQueue, type CohortIndex } from './cohort-index';
import { prepareCohort, type PreparedCohort } from './cohort-preparation';
import type { CaseEstimate, CaseToEstimate, CohortEstimate, EstimateCaseInput, EstimateCasesInput, EstimatedDate, EstimateOptions, QueueProgress } from './estimate.types';
import { conditionalQuantile } from './kaplan-meier';
import type { CaseObservation } from './observations';
import { daysToQueueQuantile } from './queue-clock';
import { staleness } from './staleness';
import { longWaitOf } from './long-wait';
import { PUBLISHED_WINDOW_DAYS } from './thresholds';
import { reasonsToWithholdEveryDate, reasonToWithholdDate } from './withholding-rules';

/**
 * The longer period the recommended settings read when the last six months have too little
 * data for a case: a year. Two years dated more cases on the real PERM history, but their 80 %
 * dates held only 57 % of the time (docs/backtest.md).
 */
const WIDER_PERIOD_DAYS = 365;

/**
 * The settings whose 80 % dates held 77–82 % of the time in every backtested regime but an
 * unannounced pause, which no method foresees (docs/backtest.md): the queue clock, over the
 * last six months (the published figures' window). The read side serves these; they are not
 * the library's default, which stays the plain calendar curve over the whole history.
 */
export const RECOMMENDED_ESTIMATE_OPTIONS: Readonly<EstimateOptions> = Object.freeze({ timeScale: 'queue', periodDays: PUBLISHED_WINDOW_DAYS, widerPeriodsDays: Object.freeze([WIDER_PERIOD_DAYS]) });

const LEVELS = [0.5, 0.8] as const;

/** The cohort's figures: its survival curve summary beside the published-style ones. */
export function estimateCohort(input: { cohort: readonly CaseObservation[]; asOf: Day; options?: EstimateOptions }): CohortEstimate {
  const prepared = prepareCohort(input.cohort, input.asOf, input.options ?? {}, false);
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
  const prepared = prepareCohort(input.cohort, asOf, input.options ?? {}, true, input.queueClock);
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
  const prepared = prepareCohort(input.cohort, asOf, input.options ?? {}, true, input.queueClock);
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

function estimateOne(prepared: PreparedCohort, index: CohortIndex, target: CaseToEstimate, asOf: Day): CaseEstimate {
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

  const reasons = reasonsToWithholdEveryDate(
    { decided: decidedAt !== null && decidedAt <= asOf, ageDays, position, curve, peers, decisionPace, openTotal: queue.openTotal, pacePerDay: queueProgress?.pacePerDay ?? null },
    thresholds,
  );
  const withholdEveryDate = reasons.length > 0;
  const dates: (EstimatedDate | null)[] = LEVELS.map((probability) => {
    if (withholdEveryDate) return null;
    const quantile = conditionalQuantile(curve, position, probability);
    const queueDays = quantile.ok && onQueue && queueProgress ? daysToQueueQuantile(curve, position, probability, queueProgress.queueJoined, onQueue.paces) : null;
    const reached = quantile.ok && (!onQueue || queueDays !== null) ? quantile : null;
    const withheld = reasonToWithholdDate(probability, reached, thresholds);
    if (withheld) reasons.push(withheld);
    if (withheld || !reached) return null;
    const day = queueDays !== null ? asOf + queueDays : target.receivedAt + reached.days;
    return { ...dayAndDate(day), probability, ageDays: day - target.receivedAt, daysFromAsOf: day - asOf, atRisk: reached.atRisk };
  });
  const [likelyBy, eightyPercentBy] = dates;

  const estimate: Omit<CaseEstimate, 'longWait'> = {
    asOf: dayAndDate(asOf),
    method: likelyBy || eightyPercentBy ? 'conditional-kaplan-meier' : 'none',
    timeScale: prepared.timeScale,
    queueProgress,
    pooled: false,
    window: 'recent',
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
  return { ...estimate, longWait: longWaitOf(estimate) };
}
