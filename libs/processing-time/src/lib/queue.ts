import { assertDay, type Day } from './days';
import { EstimationInputError } from './errors';
import { assertObservations, knownAsOf, type CaseObservation, type KnownCase } from './observations';

export interface DecisionRate {
  /** The trailing window: decision days from `asOf − 7·weeks + 1` to `asOf`. */
  weeks: number;
  decided: number;
  perWeek: number;
}

/** Where a case stands in its cohort's queue, and how fast the cohort has been moving. */
export interface QueueView {
  /** Cases received before this one (earlier day) and still pending at `asOf`. */
  openAhead: number;
  /** All cases of the cohort pending at `asOf`. */
  openTotal: number;
  last4Weeks: DecisionRate;
  last12Weeks: DecisionRate;
  last26Weeks: DecisionRate;
  /**
   * `openAhead` ÷ the last 4 weeks' rate: how many weeks the cases ahead would take at the
   * recent pace, ignoring new arrivals and order. Null at a standstill.
   */
  weeksToClearAheadAtRecentPace: number | null;
  /** No decision in the last 4 weeks while cases are open: a pause, made visible. */
  standstill: boolean;
}

export function queueView(cohort: readonly CaseObservation[], receivedAt: Day, asOf: Day): QueueView {
  assertDay(asOf, 'asOf');
  assertDay(receivedAt, 'receivedAt');
  if (receivedAt > asOf) throw new EstimationInputError('receivedAt', `the case was received (day ${receivedAt}) after asOf (day ${asOf})`);
  assertObservations(cohort);
  return queueOf(knownAsOf(cohort, asOf), receivedAt, asOf);
}

export function queueOf(known: readonly KnownCase[], receivedAt: Day, asOf: Day): QueueView {
  let openAhead = 0;
  let openTotal = 0;
  for (const item of known) {
    if (item.decidedAt !== null) continue;
    openTotal += item.count;
    if (item.receivedAt < receivedAt) openAhead += item.count;
  }
  const last4Weeks = decisionRateOf(known, asOf, 4);
  return {
    openAhead,
    openTotal,
    last4Weeks,
    last12Weeks: decisionRateOf(known, asOf, 12),
    last26Weeks: decisionRateOf(known, asOf, 26),
    weeksToClearAheadAtRecentPace: last4Weeks.perWeek > 0 ? openAhead / last4Weeks.perWeek : null,
    standstill: last4Weeks.decided === 0 && openTotal > 0,
  };
}

export function decisionRateOf(known: readonly KnownCase[], asOf: Day, weeks: number): DecisionRate {
  if (!Number.isSafeInteger(weeks) || weeks < 1) throw new EstimationInputError('weeks', `expected a whole number of weeks of at least 1, got ${String(weeks)}`);
  const from = asOf - 7 * weeks + 1;
  let decided = 0;
  for (const item of known) {
    if (item.decidedAt !== null && item.decidedAt >= from) decided += item.count;
  }
  return { weeks, decided, perWeek: decided / weeks };
}
