import { growingBacklog, steadyDecided } from '../testing/cohorts';
import { estimateCases } from './estimate-case';
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
