import { AGENCIES, receiptNumberOwner } from '@case-status/case-domain';

/**
 * Reads a receipt number as a person types it and, when it cannot be one, says precisely
 * what is wrong. Harmless differences are forgiven (spaces, lower case, missing VBA dashes);
 * everything else becomes a problem the pages put into words. The status API checks the
 * number again; this only lets the page answer before asking it.
 */

export type ReceiptProblem =
  | { kind: 'empty' }
  | { kind: 'character'; character: string }
  | { kind: 'uscis_office'; prefix: string; known: readonly string[] }
  | { kind: 'uscis_not_digit'; position: number; character: string }
  | { kind: 'uscis_digit_count'; digits: number }
  | { kind: 'uscis_missing_letters'; digits: number }
  | { kind: 'vba_year'; year: string }
  | { kind: 'vba_number'; number: string }
  | { kind: 'unrecognized' };

export type ReceiptCheck = { ok: true; receiptNumber: string; agency: string } | { ok: false; problem: ReceiptProblem };

const USCIS = AGENCIES['USCIS'];
const USCIS_DIGITS = USCIS.receiptNumber.length - 3;
const VBA_NUMBER_DIGITS = 7;

export function checkReceiptNumber(input: string): ReceiptCheck {
  const typed = input.replace(/\s+/g, '').toUpperCase();
  if (typed === '') return fail({ kind: 'empty' });
  const stray = /[^A-Z0-9-]/.exec(typed);
  if (stray) return fail({ kind: 'character', character: stray[0] });
  const problem = typed.startsWith('VBA') ? vbaProblem(typed) : uscisProblem(typed.replace(/-/g, ''));
  if (problem) return fail(problem);
  const receiptNumber = typed.startsWith('VBA') ? normalizedVba(typed) : typed.replace(/-/g, '');
  const agency = receiptNumberOwner(receiptNumber);
  return agency ? { ok: true, receiptNumber, agency: agency.code } : fail({ kind: 'unrecognized' });
}

function fail(problem: ReceiptProblem): ReceiptCheck {
  return { ok: false, problem };
}

function uscisProblem(typed: string): ReceiptProblem | null {
  const letters = /^[A-Z]*/.exec(typed)?.[0] ?? '';
  if (letters.length === 0) {
    return /^[0-9]+$/.test(typed) ? { kind: 'uscis_missing_letters', digits: typed.length } : { kind: 'unrecognized' };
  }
  // Letters past the third are usually a mistyped digit (O for 0, I for 1): say which one.
  const prefix = typed.slice(0, 3);
  if (letters.length < 3 || !/[0-9]/.test(typed)) return { kind: 'unrecognized' };
  if (!USCIS.receiptPrefixes?.includes(prefix)) return { kind: 'uscis_office', prefix, known: USCIS.receiptPrefixes ?? [] };
  const rest = typed.slice(3);
  const notDigit = /[^0-9]/.exec(rest);
  if (notDigit) return { kind: 'uscis_not_digit', position: 3 + notDigit.index + 1, character: notDigit[0] };
  if (rest.length !== USCIS_DIGITS) return { kind: 'uscis_digit_count', digits: rest.length };
  return null;
}

function vbaProblem(typed: string): ReceiptProblem | null {
  const parts = /^VBA-?([0-9A-Z]*)-?([0-9A-Z]*)$/.exec(typed);
  if (!parts) return { kind: 'unrecognized' };
  const [, rawYear, rawNumber] = parts;
  // Without dashes the year and the number run together: the first four digits are the year.
  const [year, number] = typed.includes('-', 4) ? [rawYear, rawNumber] : [(rawYear + rawNumber).slice(0, 4), (rawYear + rawNumber).slice(4)];
  if (!/^(19|20)[0-9]{2}$/.test(year)) return { kind: 'vba_year', year };
  if (!/^[0-9]*$/.test(number) || number.length !== VBA_NUMBER_DIGITS) return { kind: 'vba_number', number };
  return null;
}

function normalizedVba(typed: string): string {
  const digits = typed.slice(3).replace(/-/g, '');
  return `VBA-${digits.slice(0, 4)}-${digits.slice(4)}`;
}
