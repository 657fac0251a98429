import type { CaseEstimate, EstimateCasesInput, EstimateOptions, NoEstimateReasonCode } from './estimate.types';
import { assertWiderPeriods } from './cohort-preparation';
import { estimateCases } from './estimate-case';
import type { CaseObservation } from './observations';
import type { QueueClock } from './queue-clock';

/**
 * What a case's own cohort lacked when these are its only reasons: data, not time. A bigger
 * cohort of the same form can answer them; it cannot answer a decided case, nor cases of this
 * office moving slower than its own history (`MOST_PEERS_PENDING`).
 */
const THIN_DATA: ReadonlySet<NoEstimateReasonCode> = new Set(['TOO_FEW_DECIDED', 'TOO_FEW_AT_RISK', 'CURVE_DOES_NOT_REACH', 'OLDER_THAN_DECIDED_CASES']);

/**
 * Whether the form's pooled cohort may be asked for a case its own cohort gave no 80 % date:
 * every reason is thin data, or decisions look stopped in a cohort too small to tell (with
 * fewer than 30 decided cases, four weeks without one is what a small office looks like; in
 * a bigger one it is a real stop, and the pool of other offices says nothing about it).
 */
export function poolingMayAnswer(estimate: CaseEstimate): boolean {
  if (estimate.eightyPercentBy !== null || estimate.reasons.length === 0) return false;
  const codes = new Set(estimate.reasons.map((reason) => reason.code));
  const small = codes.has('TOO_FEW_DECIDED');
  return [...codes].every((code) => THIN_DATA.has(code) || (code === 'DECISIONS_STOPPED' && small));
}

/** The form's cohort: every office's cases of the same agency and form, each as its office counts it. */
export interface PooledCohort {
  cohort: readonly CaseObservation[];
  /** Its queue clock, when `cohort` comes from counts (as `EstimateCasesInput.queueClock`). */
  queueClock?: QueueClock;
}

/**
 * `estimateCases` with strength borrowed where the case's own data is thin. A case whose own
 * cohort (agency, form, office) gave no 80 % date for lack of data (`poolingMayAnswer`) is
 * estimated as one of `pool`, the same form's cases across offices of the same agency, as if
 * they were one queue; and when that gives no 80 % date either, over each longer period of
 * `options.widerPeriodsDays` in turn, its own cohort first and then the pool. The first answer
 * with an 80 % date is kept and says where it came from (`pooled`, `window: 'extended'` with
 * `curve.periodDays`); when none gives one, the case keeps its own cohort's answer and reasons
 * over the recent period. The caller builds `pool` from one agency and one form only: this
 * function never sees agencies or forms, so it cannot mix them.
 */
export function estimateCasesPooled(input: EstimateCasesInput & { pool: PooledCohort | null }): CaseEstimate[] {
  assertWiderPeriods(input.options ?? {});
  const { widerPeriodsDays = [], ...recent } = input.options ?? {};
  const own = estimateCases({ ...input, options: recent });
  const stages: { cohort: PooledCohort; options: EstimateOptions; pooled: boolean }[] = [];
  const ownCohort: PooledCohort = { cohort: input.cohort, queueClock: input.queueClock };
  for (const [index, periodDays] of [recent.periodDays, ...widerPeriodsDays].entries()) {
    const options = { ...recent, periodDays };
    if (index > 0) stages.push({ cohort: ownCohort, options, pooled: false });
    if (input.pool !== null) stages.push({ cohort: input.pool, options, pooled: true });
  }
  for (const stage of stages) {
    const ask = own.flatMap((estimate, i) => (poolingMayAnswer(estimate) ? [i] : []));
    if (ask.length === 0) break;
    const answers = estimateCases({ cohort: stage.cohort.cohort, queueClock: stage.cohort.queueClock, cases: ask.map((i) => input.cases[i]), asOf: input.asOf, options: stage.options });
    const window = stage.options.periodDays === recent.periodDays ? 'recent' : 'extended';
    ask.forEach((i, j) => {
      if (answers[j].eightyPercentBy !== null) own[i] = { ...answers[j], pooled: stage.pooled, window };
    });
  }
  return own;
}
