import type { IsoDate, IsoDateTime } from './case-events';

// Parsed by hand rather than with Date.parse, which accepts many non-ISO shapes and rolls
// impossible dates (2026-02-30) over into the next month.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|([+-])(\d{2}):(\d{2}))$/;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return day <= daysInMonth;
}

/** A calendar date such as `2026-12-31`. */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  return match !== null && isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * A timestamp with seconds and an explicit offset (`Z` or `±hh:mm`), as in RFC 3339, such
 * as `2026-11-24T15:04:05Z`. Without an offset the instant would depend on where it is read.
 */
export function isIsoDateTime(value: unknown): value is IsoDateTime {
  return typeof value === 'string' && toEpochMillis(value) !== null;
}

/** Milliseconds since the epoch, or null if the value is not a valid ISO timestamp with offset. */
export function toEpochMillis(value: string): number | null {
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (match[8] !== 'Z') {
    const offsetHours = Number(match[10]);
    const offsetMins = Number(match[11]);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (match[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const fraction = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day); // years below 100 would be shifted by Date.UTC
  utc.setUTCHours(hour, minute, second, fraction);
  return utc.getTime() - offsetMinutes * 60_000;
}

/** The calendar date of a timestamp in its own offset: the agency's local date. */
export function localDateOf(value: IsoDateTime): IsoDate {
  return value.slice(0, 10);
}
