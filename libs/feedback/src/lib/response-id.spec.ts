import { createHmac } from 'node:crypto';
import { derivedFeedbackKey, DEVELOPMENT_FEEDBACK_SECRET, feedbackSecret, MIN_FEEDBACK_SECRET_BYTES, responseEventId } from './response-id';

const STRONG = 'k'.repeat(MIN_FEEDBACK_SECRET_BYTES);

describe('responseEventId', () => {
  it('is the same UUID for the same case and secret, so the store keeps one response per case', () => {
    const id = responseEventId('secret-1', 'IOE0912345678');
    expect(id).toBe(responseEventId('secret-1', 'IOE0912345678'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('differs between cases and between secrets, and does not contain the receipt number', () => {
    const id = responseEventId('secret-1', 'IOE0912345678');
    expect(responseEventId('secret-1', 'IOE0912345679')).not.toBe(id);
    expect(responseEventId('secret-2', 'IOE0912345678')).not.toBe(id);
    expect(id.replace(/-/g, '')).not.toContain('0912345678');
  });

  it('refuses an empty secret', () => {
    expect(() => responseEventId('', 'IOE0912345678')).toThrow(RangeError);
  });
});

describe('derivedFeedbackKey', () => {
  it('is a 32-byte key per secret and purpose that is neither the secret nor the HMAC behind response ids', () => {
    const key = derivedFeedbackKey(STRONG, 'comment-cursor/v1');
    expect(key).toHaveLength(32);
    expect(key).toEqual(derivedFeedbackKey(STRONG, 'comment-cursor/v1'));
    expect(key).not.toEqual(derivedFeedbackKey(STRONG, 'another/v1'));
    expect(key).not.toEqual(derivedFeedbackKey(`${STRONG}x`, 'comment-cursor/v1'));
    expect(key.toString('utf8')).not.toContain(STRONG);
    expect(key).not.toEqual(createHmac('sha256', STRONG).update('comment-cursor/v1').digest());
  });
});

describe('feedbackSecret', () => {
  it('uses the configured secret, and says when it falls back to the development one outside production', () => {
    expect(feedbackSecret('s3cr3t')).toEqual({ secret: 's3cr3t', isDevelopmentDefault: false });
    expect(feedbackSecret(undefined)).toEqual({ secret: DEVELOPMENT_FEEDBACK_SECRET, isDevelopmentDefault: true });
    expect(feedbackSecret('', { production: false })).toEqual({ secret: DEVELOPMENT_FEEDBACK_SECRET, isDevelopmentDefault: true });
  });

  it('in production refuses a missing, empty, development or short secret, naming the variable without echoing the value', () => {
    expect(() => feedbackSecret(undefined, { production: true })).toThrow(/^FEEDBACK_SECRET is not set, and NODE_ENV is production/);
    expect(() => feedbackSecret('', { production: true })).toThrow(/^FEEDBACK_SECRET is not set/);
    expect(() => feedbackSecret(DEVELOPMENT_FEEDBACK_SECRET, { production: true })).toThrow(/^FEEDBACK_SECRET is the public development secret/);
    const short = 'correct-horse-battery-staple';
    expect(() => feedbackSecret(short, { production: true })).toThrow(`FEEDBACK_SECRET is too short (${short.length} bytes)`);
    try {
      feedbackSecret(short, { production: true });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('in production accepts a secret of 32 bytes or more', () => {
    expect(feedbackSecret(STRONG, { production: true })).toEqual({ secret: STRONG, isDevelopmentDefault: false });
    // Bytes, not characters: 16 two-byte characters are enough.
    expect(feedbackSecret('é'.repeat(16), { production: true }).isDevelopmentDefault).toBe(false);
  });
});
