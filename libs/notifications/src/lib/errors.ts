/**
 * Every refusal carries a stable code, so the GraphQL layer can turn it into a coded error
 * and a client can react without parsing the message.
 */
export type NotificationErrorCode =
  | 'INVALID_EMAIL'
  | 'INVALID_LANGUAGE'
  | 'UNKNOWN_AGENCY'
  | 'INVALID_RECEIPT_NUMBER'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'INVALID_CODE'
  | 'TOO_MANY_ATTEMPTS'
  | 'INVALID_WEBHOOK_URL'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'WEBHOOK_LIMIT_REACHED';

export class NotificationError extends Error {
  constructor(
    readonly code: NotificationErrorCode,
    message: string,
    /** Facts a client can act on without parsing the message (e.g. `limit`). */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'NotificationError';
  }
}
