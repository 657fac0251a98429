import { redactEmailAddresses } from '@case-status/logging';
import { NotificationError, type NotificationErrorCode } from '@case-status/notifications';
import { StatusApiError } from '../shared/status-errors';

/** Which GraphQL argument a refusal is about, where the operation knows better than the default. */
export type ArgumentNames = Partial<Record<NotificationErrorCode, string>>;

/**
 * The coded GraphQL error for a refusal of the notifications service. Its messages never
 * contain the email address (the service guarantees it); anything else that fails is passed
 * on with addresses redacted, because the error formatter logs it.
 */
function toStatusApiError(error: unknown, argumentNames: ArgumentNames = {}): Error {
  if (!(error instanceof NotificationError)) {
    if (!(error instanceof Error)) return new Error(redactEmailAddresses(String(error)));
    const redacted = new Error(redactEmailAddresses(error.message));
    redacted.stack = redactEmailAddresses(error.stack ?? '');
    return redacted;
  }
  const argument = (fallback: string) => ({ argument: argumentNames[error.code] ?? fallback });
  switch (error.code) {
    case 'INVALID_EMAIL':
      return new StatusApiError('BAD_USER_INPUT', error.message, argument('email'));
    case 'INVALID_LANGUAGE':
      return new StatusApiError('BAD_USER_INPUT', error.message, argument('language'));
    case 'UNKNOWN_AGENCY':
      return new StatusApiError('BAD_USER_INPUT', error.message, argument('agency'));
    case 'INVALID_WEBHOOK_URL':
      return new StatusApiError('BAD_USER_INPUT', error.message, argument('url'));
    case 'INVALID_ARGUMENT':
      return new StatusApiError('BAD_USER_INPUT', error.message, argumentNames.INVALID_ARGUMENT ? { argument: argumentNames.INVALID_ARGUMENT } : {});
    case 'INVALID_RECEIPT_NUMBER':
      return new StatusApiError('INVALID_RECEIPT_NUMBER', error.message, argument('receiptNumber'));
    case 'INVALID_CODE':
      return new StatusApiError('INVALID_CODE', error.message, argument('code'));
    case 'WEBHOOK_LIMIT_REACHED':
      return new StatusApiError('WEBHOOK_LIMIT_REACHED', error.message, error.details);
    case 'INVALID_TOKEN':
    case 'TOKEN_EXPIRED':
    case 'TOO_MANY_ATTEMPTS':
    case 'NOT_FOUND':
      return new StatusApiError(error.code, error.message);
  }
}

/** Runs a call into the notifications service, turning its refusals into coded errors. */
export async function calling<T>(operation: () => Promise<T>, argumentNames?: ArgumentNames): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toStatusApiError(error, argumentNames);
  }
}

export function unavailable(): StatusApiError {
  return new StatusApiError('NOTIFICATIONS_UNAVAILABLE', 'Email and webhook notifications are not enabled on this server.');
}
