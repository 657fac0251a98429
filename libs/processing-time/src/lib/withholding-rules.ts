import type { NoEstimateReason, NoEstimateReasonCode } from './estimate.types';
import { survivalAt, type SurvivalCurve } from './kaplan-meier';
import { decisionsStopped, mostPeersPending, type DecisionPace, type PeerPendingShare } from './reliability';
import type { Thresholds } from './thresholds';

/** What the rules that withhold every date of a case look at. */
export interface CaseFacts {
  /** Decided on or before asOf. */
  decided: boolean;
  ageDays: number;
  /** Where the case stands on the curve's clock: its age, or its progress through its queue. */
  position: number;
  curve: SurvivalCurve;
  peers: PeerPendingShare;
  decisionPace: DecisionPace;
  /** Every open case of the cohort. */
  openTotal: number;
  /** On the queue clock, the decisions a day that turn progress into days; null on the calendar clock. */
  pacePerDay: number | null;
}

/**
 * The reasons to give a case no date at all, in the order they are checked (the order users
 * read them in). Empty when the curve may be read for this case.
 */
export function reasonsToWithholdEveryDate(facts: CaseFacts, thresholds: Thresholds): NoEstimateReason[] {
  const { curve, peers, decisionPace } = facts;
  const reasons: NoEstimateReason[] = [];
  if (facts.decided) reasons.push(reason('CASE_DECIDED', null, null, null));
  if (curve.decided < thresholds.minDecidedCases) reasons.push(reason('TOO_FEW_DECIDED', null, curve.decided, thresholds.minDecidedCases));
  if (mostPeersPending(peers, thresholds)) reasons.push(reason('MOST_PEERS_PENDING', null, peers.pendingShare, thresholds.maxPendingShareAmongPeers));
  if (decisionsStopped(decisionPace, facts.openTotal, thresholds) || facts.pacePerDay === 0) {
    reasons.push(reason('DECISIONS_STOPPED', null, decisionPace.ratio, thresholds.minRecentRateShare));
  }
  // A curve that ended before this case's age says nothing of it; with another reason
  // already withholding the dates, saying so as well would only repeat it.
  if (reasons.length === 0 && survivalAt(curve, facts.position) <= 0) reasons.push(reason('OLDER_THAN_DECIDED_CASES', null, facts.ageDays, null));
  return reasons;
}

/**
 * The reason to withhold the date at one level (`probability`), or null to give it.
 * `reached` is the point where the curve falls to that level from the case's position, null
 * when it never does (or, on the queue clock, when no pace turns it into days).
 */
export function reasonToWithholdDate(probability: number, reached: { atRisk: number } | null, thresholds: Thresholds): NoEstimateReason | null {
  if (reached === null) return reason('CURVE_DOES_NOT_REACH', probability, null, null);
  if (reached.atRisk < thresholds.minAtRiskAtQuantile) return reason('TOO_FEW_AT_RISK', probability, reached.atRisk, thresholds.minAtRiskAtQuantile);
  return null;
}

function reason(code: NoEstimateReasonCode, probability: number | null, observed: number | null, threshold: number | null): NoEstimateReason {
  return { code, probability, observed, threshold };
}
