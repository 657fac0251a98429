import { cameTrue, MIN_ACCURACY_BASE, servedAccuracy, type ServedDates } from './served-accuracy';

const served = (overrides: Partial<ServedDates>): ServedDates => ({
  asOf: 100,
  likelyBy: 150,
  eightyPercentBy: 200,
  publishedLikelyBy: 130,
  publishedEightyPercentBy: 160,
  decidedAt: null,
  ...overrides,
});

describe('cameTrue', () => {
  it('is true for a decision on or before the 80 % date and false after it', () => {
    expect(cameTrue(200, 200, 300)).toBe(true);
    expect(cameTrue(200, 201, 300)).toBe(false);
  });

  it('counts a case still pending once its date has passed as a miss', () => {
    expect(cameTrue(200, null, 200)).toBe(false);
  });

  it('does not score a date that has not come yet, even for a decided case', () => {
    expect(cameTrue(200, 120, 199)).toBeNull();
  });
});

describe('servedAccuracy', () => {
  it('scores the served dates and the published-style dates of the same cases', () => {
    const records = [
      ...Array.from({ length: 30 }, (_, i) => served({ decidedAt: 140 + i })), // served 80 % true; published true for 140..160 (21)
      ...Array.from({ length: 10 }, () => served({ decidedAt: null })), // both past, undecided: misses
      ...Array.from({ length: 10 }, () => served({ likelyBy: null, eightyPercentBy: null, decidedAt: 150 })),
    ];
    const accuracy = servedAccuracy(records, 250);
    expect(accuracy).toMatchObject({ served: 50, withheld: 10, withheldShare: 0.2 });
    expect(accuracy.estimates).toEqual({ scored: 40, cameTrue: 30, cameTrueShare: 0.75, errors: 30, medianErrorDays: 7.5 });
    // Published: 50 dates (none withheld): 21 of the first 30 plus the 10 decided on day 150.
    expect(accuracy.publishedStyle).toMatchObject({ scored: 50, cameTrue: 31, cameTrueShare: 31 / 50, errors: 40 });
    expect(accuracy.publishedStyle.medianErrorDays).toBe(20);
  });

  it('leaves out dates that have not come and decisions after the end day', () => {
    const records = Array.from({ length: 25 }, () => served({ eightyPercentBy: 260, decidedAt: 255 }));
    const accuracy = servedAccuracy(records, 250);
    expect(accuracy.estimates).toMatchObject({ scored: 0, cameTrueShare: null, errors: 0, medianErrorDays: null });
  });

  it(`shows no share or median resting on fewer than ${MIN_ACCURACY_BASE} cases, but still the counts`, () => {
    const few = Array.from({ length: MIN_ACCURACY_BASE - 1 }, () => served({ decidedAt: 150 }));
    const small = servedAccuracy(few, 250);
    expect(small).toMatchObject({ served: MIN_ACCURACY_BASE - 1, withheld: 0, withheldShare: null });
    expect(small.estimates).toEqual({ scored: MIN_ACCURACY_BASE - 1, cameTrue: MIN_ACCURACY_BASE - 1, cameTrueShare: null, errors: MIN_ACCURACY_BASE - 1, medianErrorDays: null });
    const enough = servedAccuracy([...few, served({ decidedAt: 150 })], 250);
    expect(enough.withheldShare).toBe(0);
    expect(enough.estimates).toMatchObject({ cameTrueShare: 1, medianErrorDays: 0 });
  });

  it('refuses an end day that is not a day', () => {
    expect(() => servedAccuracy([], Number.NaN)).toThrow(/endDay/);
  });
});
