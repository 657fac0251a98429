import { estimateCases, RECOMMENDED_ESTIMATE_OPTIONS } from '@case-status/processing-time';
import type { CaseHistory, ReplayHistory } from './history';
import { asOfSchedule, PUBLISHED, publishedPromise, replayHistory } from './replay';

/**
 * One cohort, two cases a day from day 0 to 299, each decided 40 + (its index mod 21) days
 * after receipt: a steady office with plenty of decided cases.
 */
function steadyCohort(endDay = 400): CaseHistory[] {
  return Array.from({ length: 600 }, (_, i) => {
    const receivedAt = Math.floor(i / 2);
    const decidedAt = receivedAt + 40 + (i % 21);
    return { caseId: `c${i}`, receivedAt, decidedAt: decidedAt <= endDay ? decidedAt : null, cohorts: [{ from: receivedAt, cohort: 'x' }] };
  });
}

describe('asOfSchedule', () => {
  it('starts the warm-up after the first decision and stops before the end of the history', () => {
    const history: ReplayHistory = { endDay: 120, cases: [{ caseId: 'a', receivedAt: 0, decidedAt: 10, cohorts: [{ from: 0, cohort: 'x' }] }] };
    expect(asOfSchedule(history, { everyDays: 25, warmupDays: 30 })).toEqual([40, 65, 90, 115]);
    expect(asOfSchedule({ ...history, cases: [] })).toEqual([]);
    expect(() => asOfSchedule(history, { everyDays: 0 })).toThrow('everyDays must be a whole number of at least 1');
  });
});

describe('replayHistory', () => {
  const history: ReplayHistory = { endDay: 400, cases: steadyCohort() };
  const asOfDays = [200, 260];
  const predictions = replayHistory(history, { asOfDays });

  it('asks every method about every case pending on each as-of day', () => {
    for (const asOf of asOfDays) {
      const pending = history.cases.filter((item) => item.receivedAt <= asOf && (item.decidedAt === null || item.decidedAt > asOf)).map((item) => item.caseId);
      for (const method of ['survival', PUBLISHED]) {
        expect(predictions.filter((p) => p.asOf === asOf && p.method === method).map((p) => p.caseId).sort()).toEqual([...pending].sort());
      }
    }
  });

  it('gives survival dates after the as-of day, the 80 % one no earlier than the likely one', () => {
    const dated = predictions.filter((p) => p.method === 'survival' && p.eightyPercentBy !== null);
    expect(dated.length).toBeGreaterThan(100);
    for (const p of dated) {
      expect(p.eightyPercentBy).toBeGreaterThan(p.asOf);
      if (p.likelyBy !== null) expect(p.eightyPercentBy).toBeGreaterThanOrEqual(p.likelyBy);
    }
  });

  it('uses only what was known on the as-of day: a different future changes nothing', () => {
    const otherFuture: ReplayHistory = {
      endDay: 400,
      cases: [
        // Everything pending on day 200 is decided much later, and new cases pour in after it.
        ...history.cases.map((item) => (item.decidedAt !== null && item.decidedAt > 200 ? { ...item, decidedAt: item.decidedAt + 90 } : item)),
        ...Array.from({ length: 300 }, (_, i) => ({ caseId: `late${i}`, receivedAt: 201 + (i % 50), decidedAt: null, cohorts: [{ from: 201, cohort: 'x' }] })),
      ],
    };
    expect(replayHistory(otherFuture, { asOfDays: [200] })).toEqual(predictions.filter((p) => p.asOf === 200));
  });

  it('places a case in the cohort it belongs to on the as-of day', () => {
    const moved: ReplayHistory = {
      endDay: 400,
      cases: [...history.cases, { caseId: 'moved', receivedAt: 150, decidedAt: 300, cohorts: [{ from: 150, cohort: 'y' }, { from: 230, cohort: 'x' }] }],
    };
    const replayed = replayHistory(moved, { asOfDays: [200, 260] }).filter((p) => p.caseId === 'moved' && p.method === PUBLISHED);
    expect(replayed.map((p) => [p.asOf, p.cohort])).toEqual([
      [200, 'y'],
      [260, 'x'],
    ]);
    // Alone in its cohort on day 200, nothing was decided there: no published figure.
    expect(replayed[0]).toMatchObject({ likelyBy: null, eightyPercentBy: null, reasons: ['NO_DECISIONS_IN_WINDOW'] });
  });

  it('borrows for a small office from its own agency and form only, and says so', () => {
    // A big office of the form, a small one (5 cases) of the same form, and big offices of
    // another form and of another agency that decide three times slower: pooling with either
    // would move the small office's dates.
    const office = (agency: string, form: string, name: string, cases: CaseHistory[], slower = 1): CaseHistory[] =>
      cases.map((item) => ({
        ...item,
        caseId: `${agency}/${form}/${name}/${item.caseId}`,
        decidedAt: item.decidedAt === null ? null : item.receivedAt + (item.decidedAt - item.receivedAt) * slower,
        cohorts: [{ from: item.receivedAt, cohort: `${agency} ${form} ${name}`, pool: JSON.stringify([agency, form]) }],
      }));
    const big = steadyCohort(10_000);
    const smallOffice = office('A', 'F1', 'small', big.filter((_, i) => i % 120 === 0));
    const sameForm = [...office('A', 'F1', 'big', big), ...smallOffice];
    const mixed: ReplayHistory = { endDay: 400, cases: [...sameForm, ...office('A', 'F2', 'big', big, 3), ...office('B', 'F1', 'big', big, 3)] };
    const asOf = 260;
    const replayed = replayHistory(mixed, { asOfDays: [asOf] }).filter((p) => p.method === 'survival' && p.cohort === 'A F1 small');
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.every((p) => p.pooled === true && p.eightyPercentBy !== null)).toBe(true);

    const known = (cases: CaseHistory[]) => cases.map((item) => ({ receivedAt: item.receivedAt, decidedAt: item.decidedAt !== null && item.decidedAt <= asOf ? item.decidedAt : null }));
    const targets = replayed.map((p) => ({ receivedAt: p.receivedAt }));
    const datesFrom = (cases: CaseHistory[]) => estimateCases({ cohort: known(cases), cases: targets, asOf, options: RECOMMENDED_ESTIMATE_OPTIONS }).map((e) => e.eightyPercentBy?.day ?? null);
    expect(replayed.map((p) => p.eightyPercentBy)).toEqual(datesFrom(sameForm));
    expect(datesFrom(mixed.cases.filter((item) => item.caseId.startsWith('A/')))).not.toEqual(datesFrom(sameForm));
    expect(datesFrom([...sameForm, ...mixed.cases.filter((item) => item.caseId.startsWith('B/'))])).not.toEqual(datesFrom(sameForm));
    // Without pooling, the small office alone has too few decided cases to give a date.
    const alone = replayHistory(mixed, { asOfDays: [asOf], unpooledMethods: ['survival'] }).filter((p) => p.method === 'survival' && p.cohort === 'A F1 small');
    expect(alone.every((p) => p.eightyPercentBy === null && p.reasons.includes('TOO_FEW_DECIDED') && !p.pooled)).toBe(true);
  });

  it('refuses a survival method named like the published one', () => {
    expect(() => replayHistory(history, { asOfDays, survivalMethods: { [PUBLISHED]: {} } })).toThrow('"published" names the published-style method');
  });
});

describe('publishedPromise', () => {
  it('reads the figures as dates from receipt, keeping a date that is already past', () => {
    expect(publishedPromise({ medianDays: 30, p80Days: 45 }, 100)).toEqual({ likelyBy: 130, eightyPercentBy: 145, reasons: [] });
    expect(publishedPromise({ medianDays: null, p80Days: null }, 100)).toEqual({ likelyBy: null, eightyPercentBy: null, reasons: ['NO_DECISIONS_IN_WINDOW'] });
  });
});
