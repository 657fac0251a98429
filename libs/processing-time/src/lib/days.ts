import { EstimationInputError } from './errors';

/**
 * A calendar day as a whole number: days since 1970-01-01 (day 0). All durations are
 * differences of days, so "received Monday, decided Tuesday" is 1 day, whatever the hours.
 */
export type Day = number;

/** `YYYY-MM-DD`. */
export type IsoDate = string;

/** A day as both forms: `day` for arithmetic, `date` for people and GraphQL. */
export interface DayAndDate {
  day: Day;
  date: IsoDate;
}

const MS_PER_DAY = 86_400_000;
// A date, optionally followed by a time; only the calendar date is read, in the offset the
// timestamp was written with (the agency's local date), as the read models do.
const ISO_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * The day of an ISO date (`2026-03-01`) or of an ISO timestamp's local date
 * (`2026-03-01T23:30:00-05:00` is day of 2026-03-01). Throws for anything else, including
 * impossible dates such as 2026-02-30.
 */
export function dayFromIso(value: string, path = 'date'): Day {
  const match = typeof value === 'string' ? ISO_PREFIX.exec(value) : null;
  if (!match) throw new EstimationInputError(path, `expected an ISO date such as 2026-03-01, got ${JSON.stringify(value)}`);
  const [year, month, day] = match.slice(1, 4).map(Number);
  if (!isCalendarDate(year, month, day)) throw new EstimationInputError(path, `${value} is not a calendar date`);
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // Date.UTC would shift years below 100
  return Math.round(utc.getTime() / MS_PER_DAY);
}

/** The ISO date (`YYYY-MM-DD`) of a day. */
export function isoFromDay(day: Day): IsoDate {
  assertDay(day, 'day');
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function dayAndDate(day: Day): DayAndDate {
  return { day, date: isoFromDay(day) };
}

// ±100,000,000 days is the range a JavaScript Date can represent.
const MAX_DAY = 100_000_000;

export function assertDay(value: unknown, path: string): asserts value is Day {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > MAX_DAY) {
    throw new EstimationInputError(path, `expected a whole day number (days since 1970-01-01), got ${String(value)}`);
  }
}
