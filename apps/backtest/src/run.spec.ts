import { ageBandOf } from './run';

describe('ageBandOf', () => {
  it.each([
    [0, '1 0–59 days'],
    [59, '1 0–59 days'],
    [60, '2 60–119 days'],
    [364, '5 270–364 days'],
    [365, '6 365 days or more'],
  ])('puts a case that waited %i days in %s', (age, band) => {
    expect(ageBandOf({ asOf: 1000, receivedAt: 1000 - age })).toBe(band);
  });
});
