import { growingBacklog, steadyDecided } from '../testing/cohorts';
import { estimateCases, RECOMMENDED_ESTIMATE_OPTIONS } from './estimate-case';
import { EstimationInputError } from './errors';
import type { CaseEstimate } from './estimate.types';
import type { CaseObservation } from './observations';
import { estimateCasesPooled, poolingMayAnswer } from './pooled-estimate';

const asOf = 364;
const options = { timeScale: 'queue' as const, periodDays: 182 };

/** The busy office's cohort and a small office's few cases, the form's pool being both. */
const busy = growingBacklog(asOf);
const small: CaseObservation[] = [
  { receivedAt: 200, decidedAt: 240 },
  { receivedAt: 250, decidedAt: 300 },
  { receivedAt: 300, decidedAt: null },
  { receivedAt: 340, decidedAt: null },
];
const pool = { cohort: [...busy, ...small] };
const cases = [{ receivedAt: 300 }, { receivedAt: 340 }];

const reasonsOf = (...codes: string[]): Pick<CaseEstimate, 'eightyPercentBy' | 'reasons'> => ({
  eightyPercentBy: null,
  reasons: codes.map((code) => ({ code: code as CaseEstimate['reasons'][number]['code'], probability: null, observed: null, threshold: null })),
});

describe('poolingMayAnswer', () => {
  it.each([
    [['TOO_FEW_DECIDED'], true],
    [['TOO_FEW_DECIDED', 'DECISIONS_STOPPED'], true],
    [['CURVE_DOES_NOT_REACH'], true],
    [['TOO_FEW_AT_RISK'], true],
    [['OLDER_THAN_DECIDED_CASES'], true],
    // A cohort big enough to tell that it stopped, or slower than its own past: the other
    // offices know nothing of that.
    [['DECISIONS_STOPPED'], false],
    [['TOO_FEW_DECIDED', 'MOST_PEERS_PENDING'], false],
    [['CASE_DECIDED', 'TOO_FEW_DECIDED'], false],
    [[], false],
  ])('for the reasons %j: %s', (codes, expected) => {
    expect(poolingMayAnswer(reasonsOf(...codes) as CaseEstimate)).toBe(expected);
  });
});

describe('estimateCasesPooled', () => {
  it('estimates a case of a small office as one of its form across offices, and says so', () => {
    const own = estimateCases({ cohort: small, cases, asOf, options });
    expect(own.map((estimate) => estimate.reasons.map((reason) => reason.code))).toEqual([expect.arrayContaining(['TOO_FEW_DECIDED']), expect.arrayContaining(['TOO_FEW_DECIDED'])]);
    const pooled = estimateCasesPooled({ cohort: small, cases, asOf, options, pool });
    expect(pooled).toEqual(estimateCases({ cohort: pool.cohort, cases, asOf, options }).map((estimate) => ({ ...estimate, pooled: true })));
    expect(pooled.every((estimate) => estimate.eightyPercentBy !== null && estimate.eightyPercentBy.day > asOf)).toBe(true);
  });

  it('keeps the own cohort’s answer where it gives a date, where pooling may not answer, or where the pool gives no date either', () => {
    const own = estimateCases({ cohort: busy, cases, asOf, options });
    expect(estimateCasesPooled({ cohort: busy, cases, asOf, options, pool })).toEqual(own);
    expect(own.every((estimate) => !estimate.pooled)).toBe(true);
    // The pool is the small office itself: no better off, so the own answer and its reasons stay.
    const alone = estimateCases({ cohort: small, cases, asOf, options });
    expect(estimateCasesPooled({ cohort: small, cases, asOf, options, pool: { cohort: small } })).toEqual(alone);
    expect(estimateCasesPooled({ cohort: small, cases, asOf, options, pool: null })).toEqual(alone);
  });

  it('does not pool a decided case', () => {
    const [estimate] = estimateCasesPooled({ cohort: steadyDecided(asOf, 5), cases: [{ receivedAt: 300, decidedAt: 320 }], asOf, options, pool });
    expect(estimate).toMatchObject({ pooled: false, eightyPercentBy: null, reasons: expect.arrayContaining([expect.objectContaining({ code: 'CASE_DECIDED' })]) });
  });
});

describe('estimateCasesPooled over a longer period', () => {
  const day = 800;
  // One decision every 8 days for two years: 23 in the last six months (too few), 46 in the last year.
  const sparse: CaseObservation[] = [
    ...Array.from({ length: 91 }, (_, k) => ({ receivedAt: day - 8 * k - (60 + ((7 * k) % 41)), decidedAt: day - 8 * k })),
    { receivedAt: day - 30, decidedAt: null },
    { receivedAt: day - 50, decidedAt: null },
    { receivedAt: day - 70, decidedAt: null },
  ];
  const waiting = [{ receivedAt: day - 30 }, { receivedAt: day - 50 }];
  const recent = { timeScale: 'queue' as const, periodDays: 182 };
  const wider = { ...recent, widerPeriodsDays: [365] };

  it('dates a case its own last six months cannot, from its own last year, and says so', () => {
    const own = estimateCases({ cohort: sparse, cases: waiting, asOf: day, options: recent });
    expect(own.every((estimate) => estimate.eightyPercentBy === null && estimate.reasons.some((reason) => reason.code === 'TOO_FEW_DECIDED'))).toBe(true);
    const widened = estimateCasesPooled({ cohort: sparse, cases: waiting, asOf: day, options: wider, pool: null });
    expect(widened).toEqual(estimateCases({ cohort: sparse, cases: waiting, asOf: day, options: { ...recent, periodDays: 365 } }).map((estimate) => ({ ...estimate, window: 'extended' })));
    expect(widened.every((estimate) => estimate.window === 'extended' && !estimate.pooled && estimate.curve.periodDays === 365)).toBe(true);
    expect(widened.every((estimate) => estimate.eightyPercentBy !== null && estimate.eightyPercentBy.day > day && estimate.likelyBy !== null && estimate.likelyBy.day > day)).toBe(true);
  });

  it('asks the form’s pool over the recent period before the case’s own office over a longer one', () => {
    const pool = { cohort: [...sparse, ...growingBacklog(day).filter((item) => item.receivedAt < day)] };
    const answers = estimateCasesPooled({ cohort: sparse, cases: waiting, asOf: day, options: wider, pool });
    expect(answers).toEqual(estimateCases({ cohort: pool.cohort, cases: waiting, asOf: day, options: recent }).map((estimate) => ({ ...estimate, pooled: true })));
    expect(answers.every((estimate) => estimate.pooled && estimate.window === 'recent' && estimate.eightyPercentBy !== null)).toBe(true);
  });

  it('reads the pool over the longer period last, when neither the pool’s recent cases nor the office’s own longer period answer', () => {
    // The same office seen twice is no better off: the pool answers only over the year, as the office does.
    const answers = estimateCasesPooled({ cohort: sparse, cases: waiting, asOf: day, options: wider, pool: { cohort: sparse } });
    expect(answers.map((estimate) => [estimate.pooled, estimate.window])).toEqual(waiting.map(() => [false, 'extended']));
    const office = sparse.slice(0, 20).concat(sparse.slice(91));
    const viaPool = estimateCasesPooled({ cohort: office, cases: waiting, asOf: day, options: wider, pool: { cohort: sparse } });
    expect(viaPool).toEqual(estimateCases({ cohort: sparse, cases: waiting, asOf: day, options: { ...recent, periodDays: 365 } }).map((estimate) => ({ ...estimate, pooled: true, window: 'extended' })));
  });

  it('keeps the recent answer and its reasons where no period gives a date, and never for a decided case', () => {
    const thin = sparse.slice(0, 10).concat(sparse.slice(91));
    const answers = estimateCasesPooled({ cohort: thin, cases: waiting, asOf: day, options: wider, pool: null });
    expect(answers).toEqual(estimateCases({ cohort: thin, cases: waiting, asOf: day, options: recent }));
    expect(answers.every((estimate) => estimate.window === 'recent' && estimate.eightyPercentBy === null)).toBe(true);
    const [decidedCase] = estimateCasesPooled({ cohort: sparse, cases: [{ receivedAt: day - 100, decidedAt: day - 10 }], asOf: day, options: wider, pool: null });
    expect(decidedCase).toMatchObject({ window: 'recent', eightyPercentBy: null });
  });

  it('gives the recommended settings a year as their longer period', () => {
    expect(RECOMMENDED_ESTIMATE_OPTIONS).toMatchObject({ timeScale: 'queue', periodDays: 182, widerPeriodsDays: [365] });
  });

  it.each([
    [{ widerPeriodsDays: [365] }, 'options.widerPeriodsDays'],
    [{ periodDays: 182, widerPeriodsDays: [182] }, 'options.widerPeriodsDays[0]'],
    [{ periodDays: 182, widerPeriodsDays: [365, 300] }, 'options.widerPeriodsDays[1]'],
    [{ periodDays: 182, widerPeriodsDays: [0.5] }, 'options.widerPeriodsDays[0]'],
    [{ periodDays: 182, widerPeriodsDays: 365 }, 'options.widerPeriodsDays'],
  ])('refuses the longer periods %j, naming %s', (options, path) => {
    const attempt = () => estimateCasesPooled({ cohort: sparse, cases: waiting, asOf: day, options: options as never, pool: null });
    expect(attempt).toThrow(EstimationInputError);
    expect(attempt).toThrow(`${path}: `);
  });
});
