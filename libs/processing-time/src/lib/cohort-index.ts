import type { Day } from './days';
import type { SurvivalCurve } from './kaplan-meier';
import type { KnownCase } from './observations';
import { decisionRateOf, type DecisionRate, type QueueView } from './queue';
import { pendingShareAmong, type PeerPendingShare } from './reliability';

/** The cohort's known cases sorted by receipt, so each case's queue place and peers are a slice. */
export interface CohortIndex {
  byReceipt: KnownCase[];
  /** `pendingBefore[i]`: pending cases among `byReceipt[0..i)`. */
  pendingBefore: number[];
  /** The decision rates do not depend on the case: computed on first use, once. */
  rates: Map<number, DecisionRate>;
}

export function indexCohort(known: readonly KnownCase[]): CohortIndex {
  const byReceipt = [...known].sort((a, b) => a.receivedAt - b.receivedAt);
  const pendingBefore = [0];
  for (const item of byReceipt) pendingBefore.push(pendingBefore[pendingBefore.length - 1] + (item.decidedAt === null ? item.count : 0));
  return { byReceipt, pendingBefore, rates: new Map() };
}

/** `queueOf` from the index: the same figures without a pass over the whole cohort. */
export function indexedQueue(index: CohortIndex, known: readonly KnownCase[], receivedAt: Day, asOf: Day): QueueView {
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
export function indexedPeers(index: CohortIndex, receivedAt: Day, curve: SurvivalCurve, windowDays: number, positionOf: (receivedAt: Day) => number): PeerPendingShare {
  const from = firstReceivedFrom(index, receivedAt - windowDays);
  const to = firstReceivedFrom(index, receivedAt + windowDays + 1);
  return pendingShareAmong(index.byReceipt, from, to, curve, windowDays, positionOf);
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
