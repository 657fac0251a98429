import { decided, pending } from '../testing/cohorts';
import { queueView } from './queue';

describe('queueView', () => {
  const asOf = 500;

  it('counts the open cases received on an earlier day than this one', () => {
    const cohort = [
      pending(100),
      pending(399),
      pending(400), // same day as the case: not ahead of it
      pending(450),
      decided(300, 150), // received earlier but decided
      { receivedAt: 200, decidedAt: 600 }, // decided after asOf: still open then
      pending(501), // received after asOf: unknown then
    ];
    expect(queueView(cohort, 400, asOf)).toMatchObject({ openAhead: 3, openTotal: 5 });
  });

  it('gives the weekly decision rate over the trailing 4, 12 and 26 weeks', () => {
    // 2 decisions a day in the last 28 days, 1 a day before that.
    const cohort = Array.from({ length: 182 }, (_, k) => (k < 28 ? [decided(asOf - k, 30), decided(asOf - k, 40)] : [decided(asOf - k, 30)])).flat();
    const queue = queueView([...cohort, pending(480)], 490, asOf);
    expect(queue.last4Weeks).toEqual({ weeks: 4, decided: 56, perWeek: 14 });
    expect(queue.last12Weeks).toEqual({ weeks: 12, decided: 56 + 56, perWeek: 112 / 12 });
    expect(queue.last26Weeks).toEqual({ weeks: 26, decided: 56 + 154, perWeek: 210 / 26 });
    expect(queue.weeksToClearAheadAtRecentPace).toBe(1 / 14);
    expect(queue.standstill).toBe(false);
  });

  it('makes a standstill visible: no decisions in 4 weeks while cases wait', () => {
    // Decisions stopped 30 days ago (a program pause); 40 cases wait.
    const cohort = [...Array.from({ length: 100 }, (_, k) => decided(asOf - 30 - k, 60)), ...Array.from({ length: 40 }, (_, k) => pending(asOf - k))];
    const queue = queueView(cohort, asOf - 5, asOf);
    expect(queue).toMatchObject({ openAhead: 34, openTotal: 40, last4Weeks: { decided: 0, perWeek: 0 }, weeksToClearAheadAtRecentPace: null, standstill: true });
    // 12 weeks reach back to day asOf − 83: decisions on days asOf − 30 … asOf − 83, 54 of them.
    expect(queue.last12Weeks.decided).toBe(54);
  });

  it('is no standstill when nothing is waiting', () => {
    expect(queueView([decided(100, 10)], asOf, asOf).standstill).toBe(false);
  });

  it('refuses a case received after asOf', () => {
    expect(() => queueView([], asOf + 1, asOf)).toThrow('receivedAt: the case was received (day 501) after asOf (day 500)');
  });
});
