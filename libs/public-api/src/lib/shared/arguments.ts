import { AGENCIES, findAgency, isIsoDate, isIsoDateTime, isKnownFormType, isKnownOffice, receiptNumberOwner, validateReceiptNumber, type AgencyConfig } from '@case-status/case-domain';
import { StatusApiError } from './status-errors';

/**
 * Argument checks shared by the resolvers. Each refusal names the argument and says what
 * would have been accepted, so a person or an integrator can correct the request.
 */

function formatOf(agency: AgencyConfig): string {
  return `${agency.code}: ${agency.receiptNumber.description} (for example ${agency.receiptNumber.example})`;
}

/** The agency that owns the receipt number, or a refusal saying how the number is wrong. */
export function agencyOfReceipt(receiptNumber: string): AgencyConfig {
  const owner = receiptNumberOwner(receiptNumber);
  if (owner) return owner;
  const agencies = Object.values(AGENCIES);
  // When the number is close to one agency's format, that agency's own reason is the most useful.
  const letters = /^[A-Za-z]+/.exec(receiptNumber)?.[0].toUpperCase();
  const near = agencies.filter(
    (agency) =>
      agency.receiptNumber.pattern.test(receiptNumber.toUpperCase()) ||
      (letters !== undefined && (agency.receiptPrefixes?.includes(letters) || /^[A-Z]+/.exec(agency.receiptNumber.example)?.[0] === letters)) ||
      (letters === undefined && agency.receiptNumber.length === receiptNumber.length),
  );
  const message =
    near.length === 1
      ? (validateReceiptNumber(near[0], receiptNumber) as string)
      : `"${receiptNumber}" is not a receipt number. Receipt numbers look like this, by agency: ${agencies.map(formatOf).join('; ')}.`;
  throw new StatusApiError('INVALID_RECEIPT_NUMBER', message, { argument: 'receiptNumber' });
}

export function knownAgency(code: string, argument = 'agency'): AgencyConfig {
  const agency = findAgency(code);
  if (!agency) {
    throw new StatusApiError('BAD_USER_INPUT', `${argument}: "${code}" is not an agency known here; use one of ${Object.keys(AGENCIES).join(', ')}.`, { argument });
  }
  return agency;
}

export function checkFormType(agency: AgencyConfig, formType: string, argument = 'formType'): void {
  if (!isKnownFormType(agency, formType)) {
    throw new StatusApiError(
      'BAD_USER_INPUT',
      `${argument}: "${formType}" is not a ${agency.code} form; use one of ${agency.formTypes.map((f) => f.code).join(', ')}.`,
      { argument },
    );
  }
}

export function checkOffice(agency: AgencyConfig, office: string, argument = 'office'): void {
  if (!isKnownOffice(agency, office)) {
    throw new StatusApiError(
      'BAD_USER_INPUT',
      `${argument}: "${office}" is not a ${agency.code} office; use one of ${agency.offices.map((o) => o.code).join(', ')}.`,
      { argument },
    );
  }
}

export function checkIntegerInRange(value: number, min: number, max: number, argument: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new StatusApiError('BAD_USER_INPUT', `${argument}: ${value} is out of range; use a whole number from ${min} to ${max}.`, { argument });
  }
}

/** A calendar date (`2026-01-31`) or a timestamp with offset (`2026-01-31T12:00:00Z`). */
export function checkDateOrDateTime(value: string, argument: string): void {
  if (!isIsoDate(value) && !isIsoDateTime(value)) {
    throw new StatusApiError(
      'BAD_USER_INPUT',
      `${argument}: "${value}" is not a date; use YYYY-MM-DD or an ISO 8601 timestamp with offset such as 2026-01-31T12:00:00Z.`,
      { argument },
    );
  }
}

/** Days from `months` calendar months before `asOf` up to `asOf` (month ends clamp, as in Jan 31 - 1 month = Dec 31). */
export function windowDaysOf(asOf: Date, months: number): { windowDays: number } {
  const start = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - months, 1));
  const lastDay = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 0)).getUTCDate();
  start.setUTCDate(Math.min(asOf.getUTCDate(), lastDay));
  const asOfDay = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
  return { windowDays: Math.round((asOfDay - start.getTime()) / 86_400_000) };
}
