import { decisionsStopped, mostPeersPending, type DecisionPace, type PeerPendingShare } from './reliability';
import { DEFAULT_THRESHOLDS } from './thresholds';

const share = (peers: number, pending: number, expectedPendingShare: number): PeerPendingShare => ({
  windowDays: 30,
  peers,
  pending,
  pendingShare: pending / peers,
  expectedPendingShare,
});

describe('mostPeersPending (defaults: > 50 % of at least 10 peers pending, curve expecting ≤ 50 %)', () => {
  it('triggers just above half of the peers pending', () => {
    expect(mostPeersPending(share(20, 11, 0.2), DEFAULT_THRESHOLDS)).toBe(true);
  });

  it('does not trigger at exactly half', () => {
    expect(mostPeersPending(share(20, 10, 0.2), DEFAULT_THRESHOLDS)).toBe(false);
  });

  it('does not judge fewer than 10 peers', () => {
    expect(mostPeersPending(share(9, 9, 0.2), DEFAULT_THRESHOLDS)).toBe(false);
    expect(mostPeersPending(share(10, 10, 0.2), DEFAULT_THRESHOLDS)).toBe(true);
  });

  it('does not trigger when the curve itself expects most peers to be pending (a young case)', () => {
    expect(mostPeersPending(share(20, 20, 0.51), DEFAULT_THRESHOLDS)).toBe(false);
    expect(mostPeersPending(share(20, 20, 0.5), DEFAULT_THRESHOLDS)).toBe(true);
  });
});

const pace = (recentDecided: number, baselineDecided: number): DecisionPace => {
  const recent = { weeks: 4, decided: recentDecided, perWeek: recentDecided / 4 };
  const baseline = { weeks: 26, decided: baselineDecided, perWeek: baselineDecided / 26 };
  return { recent, baseline, ratio: baseline.perWeek > 0 ? recent.perWeek / baseline.perWeek : null };
};

describe('decisionsStopped (default: recent 4-week rate < 20 % of the 26-week rate)', () => {
  it('does not trigger at exactly 20 %: 1 a week against 5 a week', () => {
    expect(decisionsStopped(pace(4, 130), 10, DEFAULT_THRESHOLDS)).toBe(false);
  });

  it('triggers just below: 0.75 a week against 4.96 a week', () => {
    expect(decisionsStopped(pace(3, 129), 10, DEFAULT_THRESHOLDS)).toBe(true);
  });

  it('triggers with no decision in 26 weeks while cases wait, not when nothing waits', () => {
    expect(decisionsStopped(pace(0, 0), 1, DEFAULT_THRESHOLDS)).toBe(true);
    expect(decisionsStopped(pace(0, 0), 0, DEFAULT_THRESHOLDS)).toBe(false);
  });
});
