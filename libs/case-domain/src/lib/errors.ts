/**
 * Why `decide` refused a command. The codes are a published contract (the intake API puts
 * them in problem+json bodies and agencies branch on them): add codes, never rename them.
 */
export const DOMAIN_ERROR_CODES = [
  // The command itself is malformed.
  'UNKNOWN_COMMAND',
  'INVALID_DATE',
  'INVALID_VALUE',
  'INVALID_RECEIPT_NUMBER',
  'UNKNOWN_FORM_TYPE',
  'UNKNOWN_OFFICE',
  // The command does not fit the case as it stands.
  'AGENCY_MISMATCH',
  'CASE_NOT_RECEIVED',
  'CASE_ALREADY_RECEIVED',
  'CASE_ALREADY_DECIDED',
  'CASE_NOT_DECIDED',
  'CASE_CLOSED',
  'ALREADY_IN_REVIEW',
  'NOTHING_TO_CHANGE',
  'DUPLICATE_APPOINTMENT',
  'UNKNOWN_APPOINTMENT',
  'APPOINTMENT_ALREADY_ATTENDED',
  'APPOINTMENT_NOT_SCHEDULED',
  'APPOINTMENT_IN_PAST',
  'DUPLICATE_EVIDENCE_REQUEST',
  'UNKNOWN_EVIDENCE_REQUEST',
  'EVIDENCE_ALREADY_RECEIVED',
  'DUE_DATE_IN_PAST',
  'DUPLICATE_DOCUMENT',
  'UNKNOWN_DOCUMENT',
  'DOCUMENT_ALREADY_MAILED',
  'DUPLICATE_REPRESENTATIVE',
  'UNKNOWN_REPRESENTATIVE',
] as const;

export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/**
 * Codes saying the command's own data is wrong, whatever state the case is in (a 422 at the
 * HTTP edge); every other code says the case's state forbids the command (a 409).
 */
export const INPUT_ERROR_CODES: ReadonlySet<DomainErrorCode> = new Set<DomainErrorCode>([
  'UNKNOWN_COMMAND',
  'INVALID_DATE',
  'INVALID_VALUE',
  'INVALID_RECEIPT_NUMBER',
  'UNKNOWN_FORM_TYPE',
  'UNKNOWN_OFFICE',
  'DUE_DATE_IN_PAST',
  'APPOINTMENT_IN_PAST',
]);

export interface DomainError {
  code: DomainErrorCode;
  /** Plain English: what is wrong and why, written for the agency's integrator. */
  message: string;
  /** JSON-pointer-like path to the offending part of the command, e.g. `/data/toOffice`. */
  field?: string;
}

export function domainError(code: DomainErrorCode, message: string, field?: string): DomainError {
  return field === undefined ? { code, message } : { code, message, field };
}
