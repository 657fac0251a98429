import { fiscalQuarterOf, isFiscalQuarter, parseFiscalQuarter, quarterDates } from './fiscal-quarter';

describe('fiscal quarters', () => {
  it.each([
    ['2026-10-01T00:00:00Z', 'FY2027-Q1'],
    ['2026-12-31T23:59:59Z', 'FY2027-Q1'],
    ['2027-01-01T00:00:00Z', 'FY2027-Q2'],
    ['2027-03-31T12:00:00Z', 'FY2027-Q2'],
    ['2027-04-01T00:00:00Z', 'FY2027-Q3'],
    ['2027-07-15T00:00:00Z', 'FY2027-Q4'],
    ['2027-09-30T23:59:59Z', 'FY2027-Q4'],
  ])('places %s in %s (the fiscal year starts in October)', (moment, quarter) => {
    expect(fiscalQuarterOf(new Date(moment))).toBe(quarter);
  });

  it('gives the first and last day of each quarter', () => {
    expect(quarterDates('FY2027-Q1')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(quarterDates('FY2027-Q2')).toEqual({ start: '2027-01-01', end: '2027-03-31' });
    expect(quarterDates('FY2028-Q2')).toEqual({ start: '2028-01-01', end: '2028-03-31' });
    expect(quarterDates('FY2027-Q4')).toEqual({ start: '2027-07-01', end: '2027-09-30' });
  });

  it('accepts only the FY<year>-Q<1-4> form, and its text sorts in time order', () => {
    expect(['FY2027-Q1', 'FY1999-Q4'].every(isFiscalQuarter)).toBe(true);
    expect(['FY2027-Q5', '2027-Q1', 'FY27-Q1', 'fy2027-q1', ''].some(isFiscalQuarter)).toBe(false);
    expect(() => parseFiscalQuarter('2027Q1')).toThrow(/FY2027-Q1/);
    expect(['FY2027-Q2', 'FY2026-Q4', 'FY2027-Q1'].sort()).toEqual(['FY2026-Q4', 'FY2027-Q1', 'FY2027-Q2']);
  });
});
