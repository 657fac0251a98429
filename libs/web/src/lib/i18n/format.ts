import type { Language } from '@case-status/case-domain';
import { MESSAGES } from './messages';

/**
 * Dates and times as people read them. Calendar dates (`2026-04-01`) are shown as they are,
 * in no time zone; instants are shown in the site's time zone, with its name.
 */

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatter(language: Language, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${language}|${timeZone}|${withTime}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(MESSAGES[language].dates.locale, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      timeZone,
      ...(withTime && { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }),
    });
    dateFormats.set(key, format);
  }
  return format;
}

/** `2026-04-01` → "April 1, 2026" / "1 de abril de 2026". */
export function formatCalendarDate(language: Language, date: string): string {
  return formatter(language, 'UTC', false).format(new Date(`${date.slice(0, 10)}T00:00:00Z`));
}

/** The day an instant fell on in the site's time zone. */
export function formatDay(language: Language, instant: string, timeZone: string): string {
  return formatter(language, timeZone, false).format(new Date(instant));
}

/** Day and time in the site's time zone, e.g. "November 24, 2026 at 9:05 AM EST". */
export function formatInstant(language: Language, instant: string | Date, timeZone: string): string {
  return formatter(language, timeZone, true).format(instant instanceof Date ? instant : new Date(instant));
}
