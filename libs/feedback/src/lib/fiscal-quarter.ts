/**
 * Federal fiscal quarters, the periods A-11 customer experience data is reported for: the
 * fiscal year runs October to September and is named after the year it ends in, so
 * October–December 2026 is `FY2027-Q1`. The text form sorts in time order.
 */

export type FiscalQuarter = string;

const QUARTER = /^FY(\d{4})-Q([1-4])$/;

/** The fiscal quarter a moment falls in, by its UTC date. */
export function fiscalQuarterOf(moment: Date): FiscalQuarter {
  const month = moment.getUTCMonth(); // 0 = January
  const fiscalYear = moment.getUTCFullYear() + (month >= 9 ? 1 : 0);
  const quarter = Math.floor(((month + 3) % 12) / 3) + 1;
  return `FY${fiscalYear}-Q${quarter}`;
}

export function isFiscalQuarter(text: string): boolean {
  return QUARTER.test(text);
}

export function parseFiscalQuarter(text: FiscalQuarter): { fiscalYear: number; quarter: 1 | 2 | 3 | 4 } {
  const match = QUARTER.exec(text);
  if (!match) throw new RangeError(`"${text}" is not a fiscal quarter; write it like FY2027-Q1`);
  return { fiscalYear: Number(match[1]), quarter: Number(match[2]) as 1 | 2 | 3 | 4 };
}

/** First and last calendar day (UTC, `YYYY-MM-DD`) of a fiscal quarter. */
export function quarterDates(text: FiscalQuarter): { start: string; end: string } {
  const { fiscalYear, quarter } = parseFiscalQuarter(text);
  const startMonth = (quarter - 1) * 3 - 3; // months after January of the fiscal year's end year; Q1 starts in October of the year before
  const start = new Date(Date.UTC(fiscalYear, startMonth, 1));
  const end = new Date(Date.UTC(fiscalYear, startMonth + 3, 0));
  return { start: start.toISOString().slice(0, 10), end: end.toISOString().slice(0, 10) };
}
