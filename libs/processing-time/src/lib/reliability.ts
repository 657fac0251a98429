import type { Day } from './days';
import { survivalAt, type SurvivalCurve } from './kaplan-meier';
import type { KnownCase } from './observations';
import { decisionRateOf, type DecisionRate } from './queue';
import type { Thresholds } from './thresholds';

/** The cases received around the same time as a case, and how many of them are still pending. */
export interface PeerPendingShare {
  /** Peers are received within ±`windowDays` of the case (the case itself counts if it is in the cohort). */
  windowDays: number;
  peers: number;
  pending: number;
  /** `pending / peers`; null without peers. */
  pendingShare: number | null;
  /** The share the curve expects to be pending at the peers' positions (their ages by default): the mean of S. Null without peers. */
  expectedPendingShare: number | null;
}

/**
 * `positionOf` places a peer on the curve's time scale: its age on `asOf` by default, its
 * queue progress when the curve is on the queue clock.
 */
export function peerPendingShareOf(
  known: readonly KnownCase[],
  receivedAt: Day,
  asOf: Day,
  curve: SurvivalCurve,
  windowDays: number,
  positionOf: (receivedAt: Day) => number = (peerReceivedAt) => asOf - peerReceivedAt,
): PeerPendingShare {
  const peers = known.filter((item) => Math.abs(item.receivedAt - receivedAt) <= windowDays);
  return pendingShareAmong(peers, 0, peers.length, curve, windowDays, positionOf);
}

/** The share over `peers[from..to)`, every one of them a peer: callers with sorted cohorts pass a range. */
export function pendingShareAmong(
  peers: readonly KnownCase[],
  from: number,
  to: number,
  curve: SurvivalCurve,
  windowDays: number,
  positionOf: (receivedAt: Day) => number,
): PeerPendingShare {
  let count = 0;
  let pending = 0;
  let expected = 0;
  for (let i = from; i < to; i++) {
    const item = peers[i];
    count += item.count;
    if (item.decidedAt === null) pending += item.count;
    expected += item.count * survivalAt(curve, positionOf(item.receivedAt));
  }
  return { windowDays, peers: count, pending, pendingShare: count > 0 ? pending / count : null, expectedPendingShare: count > 0 ? expected / count : null };
}

/**
 * True when most peers are still pending although the curve says most cases that old are
 * decided: the cases received with this one are moving slower than the older cases the curve
 * is built from, so reading the curve beyond this age would be extrapolating a faster past.
 * A young case whose peers are pending because the curve expects them to be is fine.
 */
export function mostPeersPending(share: PeerPendingShare, thresholds: Pick<Thresholds, 'minPeers' | 'maxPendingShareAmongPeers'>): boolean {
  return (
    share.peers >= thresholds.minPeers &&
    share.pendingShare !== null &&
    share.expectedPendingShare !== null &&
    share.pendingShare > thresholds.maxPendingShareAmongPeers &&
    share.expectedPendingShare <= thresholds.maxPendingShareAmongPeers
  );
}

export interface DecisionPace {
  recent: DecisionRate;
  baseline: DecisionRate;
  /** Recent weekly rate ÷ baseline weekly rate; null when the baseline is 0. */
  ratio: number | null;
}

export function decisionPaceOf(known: readonly KnownCase[], asOf: Day, thresholds: Pick<Thresholds, 'recentRateWeeks' | 'baselineRateWeeks'>): DecisionPace {
  const recent = decisionRateOf(known, asOf, thresholds.recentRateWeeks);
  const baseline = decisionRateOf(known, asOf, thresholds.baselineRateWeeks);
  return { recent, baseline, ratio: baseline.perWeek > 0 ? recent.perWeek / baseline.perWeek : null };
}

/**
 * Decisions have stopped when the recent weekly rate is below `minRecentRateShare` of the
 * baseline rate, or when nothing at all was decided in the baseline window while cases wait.
 */
export function decisionsStopped(pace: DecisionPace, openCases: number, thresholds: Pick<Thresholds, 'minRecentRateShare'>): boolean {
  if (pace.ratio === null) return openCases > 0;
  return pace.ratio < thresholds.minRecentRateShare;
}
