import { createHmac, hkdfSync } from 'node:crypto';

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

/**
 * A key for another purpose (e.g. sealing comment cursors) derived from the feedback secret
 * with HKDF: what it seals says nothing about response ids, and one variable stays the only
 * secret to configure.
 */
export function derivedFeedbackKey(secret: string, purpose: string): Buffer {
  if (secret.length === 0) throw new RangeError('the feedback secret must not be empty');
  return Buffer.from(hkdfSync('sha256', secret, 'case-status/feedback', purpose, 32));
}

/** Used when no secret is configured: fine on a developer's machine, never in production. */
export const DEVELOPMENT_FEEDBACK_SECRET = 'case-status-development-feedback-secret';

/** Anything shorter can be guessed offline from one stored response id and its receipt number. */
export const MIN_FEEDBACK_SECRET_BYTES = 32;

/**
 * The configured secret (`FEEDBACK_SECRET`), or the development one, saying which it is so
 * the app can warn. In production there is no default: a missing, short or development
 * secret throws, naming the variable and never echoing its value.
 */
export function feedbackSecret(configured: string | undefined, options: { production?: boolean } = {}): { secret: string; isDevelopmentDefault: boolean } {
  if (options.production) {
    const fix = `set it to a random value of at least ${MIN_FEEDBACK_SECRET_BYTES} bytes (e.g. \`openssl rand -base64 48\`), the same on every instance (docs/feedback.md)`;
    if (!configured) throw new Error(`FEEDBACK_SECRET is not set, and NODE_ENV is production: ${fix}`);
    if (configured === DEVELOPMENT_FEEDBACK_SECRET) throw new Error(`FEEDBACK_SECRET is the public development secret, and NODE_ENV is production: ${fix}`);
    const length = Buffer.byteLength(configured, 'utf8');
    if (length < MIN_FEEDBACK_SECRET_BYTES) throw new Error(`FEEDBACK_SECRET is too short (${length} bytes), and NODE_ENV is production: ${fix}`);
  }
  return configured ? { secret: configured, isDevelopmentDefault: false } : { secret: DEVELOPMENT_FEEDBACK_SECRET, isDevelopmentDefault: true };
}
