import type { CaseEstimate, EstimateCasesInput, NoEstimateReasonCode } from './estimate.types';
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
 * `estimateCases` with strength borrowed from the form's other offices: a case whose own
 * cohort (agency, form, office) gave no 80 % date for lack of data (`poolingMayAnswer`) is
 * estimated as one of `pool`, the same form's cases across offices of the same agency, as
 * if they were one queue. The pooled answer is kept only when it gives the 80 % date, and
 * then says so (`pooled: true`); otherwise the case keeps its own cohort's answer and
 * reasons. The caller builds `pool` from one agency and one form only: this function never
 * sees agencies or forms, so it cannot mix them.
 */
export function estimateCasesPooled(input: EstimateCasesInput & { pool: PooledCohort | null }): CaseEstimate[] {
  const own = estimateCases(input);
  if (input.pool === null) return own;
  const ask = own.flatMap((estimate, index) => (poolingMayAnswer(estimate) ? [index] : []));
  if (ask.length === 0) return own;
  const pooled = estimateCases({ cohort: input.pool.cohort, queueClock: input.pool.queueClock, cases: ask.map((index) => input.cases[index]), asOf: input.asOf, options: input.options });
  ask.forEach((index, i) => {
    if (pooled[i].eightyPercentBy !== null) own[index] = { ...pooled[i], pooled: true };
  });
  return own;
}
