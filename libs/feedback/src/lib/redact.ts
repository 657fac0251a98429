/**
 * Free-text answers may contain what identifies a person or their case even though the form
 * asks not to. Before a comment is stored, anything shaped like a receipt number, an email
 * address or another long number (phone, Social Security, alien registration, claim
 * numbers) is replaced by a marker, so the stored event and everything built from it never
 * hold them. Names and addresses in prose cannot be recognised reliably; comments are
 * therefore never published, only shown to the agency's caseworkers.
 */

export const REDACTED = {
  receiptNumber: '[receipt number removed]',
  email: '[email removed]',
  number: '[number removed]',
} as const;

// Receipt numbers written the way people do: with or without spaces and dashes, any case.
const USCIS_RECEIPT = /\b[A-Za-z]{3}[\s-]?\d{2}[\s-]?\d{3}[\s-]?\d{5}\b/g;
const VBA_RECEIPT = /\bVBA[\s-]*\d{4}[\s-]*\d{7}\b/gi;
const EMAIL = /[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:.]+/g;
// Seven or more digits, possibly grouped by spaces, dots, dashes or parentheses, with an optional letter or + in front.
const LONG_NUMBER = /(?:\+|\b[A-Za-z])?\(?\d(?:[\s.()-]*\d){6,}\)?/g;
// ... except a date written as 2026-01-05, which says when, not who.
const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function redactPersonalDetails(text: string): string {
  return text
    .replace(EMAIL, REDACTED.email)
    .replace(VBA_RECEIPT, REDACTED.receiptNumber)
    .replace(USCIS_RECEIPT, REDACTED.receiptNumber)
    .replace(LONG_NUMBER, (match) => (CALENDAR_DATE.test(match) ? match : REDACTED.number));
}
