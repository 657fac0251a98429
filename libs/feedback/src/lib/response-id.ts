import { createHmac } from 'node:crypto';

/**
 * The event id of a case's survey response: an HMAC of the receipt number under a server-side
 * secret, shaped as a UUID (version 8, "custom"). The event store stores an id once, so a
 * second response for the same case cannot be recorded, while the stored event holds neither
 * the receipt number nor anything that leads back to it without the secret.
 */
export function responseEventId(secret: string, receiptNumber: string): string {
  if (secret.length === 0) throw new RangeError('the feedback secret must not be empty');
  const bytes = createHmac('sha256', secret).update(`case-status/feedback/v1\n${receiptNumber}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Used when no secret is configured: fine on a developer's machine, never in production. */
export const DEVELOPMENT_FEEDBACK_SECRET = 'case-status-development-feedback-secret';

/** The configured secret (e.g. `FEEDBACK_SECRET`), or the development one, saying which it is so the app can warn. */
export function feedbackSecret(configured: string | undefined): { secret: string; isDevelopmentDefault: boolean } {
  return configured ? { secret: configured, isDevelopmentDefault: false } : { secret: DEVELOPMENT_FEEDBACK_SECRET, isDevelopmentDefault: true };
}
