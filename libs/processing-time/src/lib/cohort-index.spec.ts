import { growingBacklog, slowdown } from '../testing/cohorts';
import { indexCohort, indexedPeers, indexedQueue } from './cohort-index';
import { kaplanMeier } from './kaplan-meier';
import { knownAsOf, survivalRecords } from './observations';
import { queueOf } from './queue';
import { peerPendingShareOf } from './reliability';

describe('the cohort index', () => {
  it.each([
    ['a growing backlog', growingBacklog(), 364],
    ['a slowdown', slowdown(), 400],
  ])('gives every receipt day of %s the queue and peers a pass over the whole cohort gives', (_name, cohort, asOf) => {
    const known = knownAsOf(cohort, asOf);
    const curve = kaplanMeier(survivalRecords(known, asOf));
    const index = indexCohort(known);
    let compared = 0;
    for (let receivedAt = 0; receivedAt <= asOf; receivedAt += 7) {
      expect(indexedQueue(index, known, receivedAt, asOf)).toEqual(queueOf(known, receivedAt, asOf));
      const peers = indexedPeers(index, receivedAt, curve, 30, (day) => asOf - day);
      const whole = peerPendingShareOf(known, receivedAt, asOf, curve, 30);
      // Summed in receipt order rather than cohort order: equal up to rounding.
      expect(peers).toEqual({ ...whole, expectedPendingShare: whole.expectedPendingShare === null ? null : expect.closeTo(whole.expectedPendingShare, 12) });
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
  });
});
