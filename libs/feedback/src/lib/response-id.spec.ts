import { DEVELOPMENT_FEEDBACK_SECRET, feedbackSecret, responseEventId } from './response-id';

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

describe('feedbackSecret', () => {
  it('uses the configured secret, and says when it falls back to the development one', () => {
    expect(feedbackSecret('s3cr3t')).toEqual({ secret: 's3cr3t', isDevelopmentDefault: false });
    expect(feedbackSecret(undefined)).toEqual({ secret: DEVELOPMENT_FEEDBACK_SECRET, isDevelopmentDefault: true });
    expect(feedbackSecret('')).toEqual({ secret: DEVELOPMENT_FEEDBACK_SECRET, isDevelopmentDefault: true });
  });
});
