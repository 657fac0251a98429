import type { MethodScore, Scorecard } from './scoring';
import { checkTargets } from './targets';

const score = (overrides: Partial<MethodScore>): MethodScore => ({
  predictions: 100,
  withheld: 0,
  withheldShare: 0,
  dated: 100,
  pastDates: 0,
  pastShare: 0,
  likelyDated: 100,
  likelyPast: 0,
  scored: 100,
  covered: 80,
  coverage: 0.8,
  medianAbsoluteError: 10,
  errorCount: 50,
  medianHorizonDays: 60,
  withheldReasons: {},
  ...overrides,
});
const card = (survival: Partial<MethodScore>, paired = { count: 50, survival: 10, published: 20 }): Scorecard => ({
  methods: { survival: score(survival), published: score({ coverage: 0.4, pastDates: 30 }) },
  paired: { survival: paired },
});
const met = (checks: ReturnType<typeof checkTargets>) => checks.map((check) => [check.name, check.met]);

describe('checkTargets', () => {
  it.each([
    [0.75, true],
    [0.85, true],
    [0.7499, false],
    [0.8501, false],
    [null, false],
  ])('holds coverage %s to 80 % ± 5 points: %s', (coverage, ok) => {
    expect(checkTargets(card({ coverage }))[0]).toMatchObject({ name: 'coverage of the 80 % window', met: ok });
  });

  it('fails on any date already past, at either level', () => {
    expect(met(checkTargets(card({ likelyPast: 1 })))).toContainEqual(['no date already past', false]);
    expect(checkTargets(card({ pastDates: 2 }))[1].detail).toBe('2 past dates');
  });

  it('compares the median error with the published method’s on the same cases only where asked', () => {
    expect(checkTargets(card({}))).toHaveLength(2);
    expect(checkTargets(card({}), { mustBeatPublished: true })[2]).toEqual({
      name: 'median error below the published method’s',
      met: true,
      detail: '10 against 20 days on 50 decided cases both dated',
    });
    expect(checkTargets(card({}, { count: 50, survival: 20, published: 20 }), { mustBeatPublished: true })[2].met).toBe(false);
  });

  it('refuses a method the scorecard does not have', () => {
    expect(() => checkTargets(card({}), { method: 'calendar' })).toThrow('the scorecard has no method "calendar"');
  });
});
