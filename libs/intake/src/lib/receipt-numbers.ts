import { receiptNumberOwner, validateReceiptNumber, type AgencyConfig } from '@case-status/case-domain';
import { IntakeProblem } from './intake-problem';

/**
 * Null when the receipt number is one of the agency's own; otherwise why not. A number that
 * is well-formed for another agency is a 403: the token's agency may not write that case.
 */
export function checkReceiptNumber(agency: AgencyConfig, receiptNumber: string): IntakeProblem | null {
  const reason = validateReceiptNumber(agency, receiptNumber);
  if (reason === null) return null;
  // The agency's own check failed, so an owner found here is another agency.
  const owner = receiptNumberOwner(receiptNumber);
  if (owner) {
    const detail = `receipt number ${receiptNumber} belongs to ${owner.code}; this token may only write ${agency.code} cases`;
    return new IntakeProblem(403, 'OTHER_AGENCYS_CASE', detail, [{ field: '/receiptNumber', reason: `belongs to ${owner.code}` }]);
  }
  return new IntakeProblem(422, 'INVALID_RECEIPT_NUMBER', reason, [{ field: '/receiptNumber', reason }]);
}
