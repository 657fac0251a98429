import { randomBytes } from 'node:crypto';
import { NotificationKeys, notificationKeysFromEnvironment } from './notification-keys';

describe('NotificationKeys', () => {
  const key = randomBytes(32);

  it('seals with AES-256-GCM under the current key id and opens only for the same context', () => {
    const keys = new NotificationKeys(key);
    const sealed = keys.seal('whsec_secret', 'webhook-secret:a');
    expect(sealed).toMatch(new RegExp(`^v1\\.${keys.currentKeyId}\\.[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain('whsec_secret');
    expect(keys.seal('whsec_secret', 'webhook-secret:a')).not.toBe(sealed);
    expect(keys.open(sealed, 'webhook-secret:a')).toBe('whsec_secret');
    expect(() => keys.open(sealed, 'webhook-secret:b')).toThrow();
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(() => keys.open(tampered, 'webhook-secret:a')).toThrow();
  });

  it('opens what an older key sealed while that key is kept as a previous one', () => {
    const old = new NotificationKeys(key);
    const sealed = old.seal('whsec_secret', 'c');
    const rotated = new NotificationKeys(randomBytes(32), [key]);
    expect(rotated.currentKeyId).not.toBe(old.currentKeyId);
    expect(rotated.open(sealed, 'c')).toBe('whsec_secret');
    expect(() => new NotificationKeys(randomBytes(32)).open(sealed, 'c')).toThrow(`sealed with key ${old.currentKeyId}, which is not configured`);
  });

  it('derives the same unsubscribe token for a subscription under one key, and another under another key', () => {
    const keys = new NotificationKeys(key);
    const token = keys.unsubscribeToken('3b241101-e2bb-4255-8caf-4136c566a962');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(keys.unsubscribeToken('3b241101-e2bb-4255-8caf-4136c566a962')).toBe(token);
    expect(keys.unsubscribeToken('3b241101-e2bb-4255-8caf-4136c566a963')).not.toBe(token);
    expect(new NotificationKeys(randomBytes(32)).unsubscribeToken('3b241101-e2bb-4255-8caf-4136c566a962')).not.toBe(token);
  });
});

describe('notificationKeysFromEnvironment', () => {
  it('refuses to run in production without a key', () => {
    expect(() => notificationKeysFromEnvironment({ NODE_ENV: 'production' })).toThrow('NOTIFICATIONS_ENCRYPTION_KEY is not set');
  });

  it('uses the development key elsewhere, and says so', () => {
    const { keys, isDevelopmentDefault } = notificationKeysFromEnvironment({});
    expect(isDevelopmentDefault).toBe(true);
    expect(keys.currentKeyId).toBe(NotificationKeys.development().currentKeyId);
  });

  it('reads the key and the previous keys, and refuses a key of the wrong length without echoing it', () => {
    const current = randomBytes(32).toString('base64');
    const previous = randomBytes(32).toString('base64');
    const { keys, isDevelopmentDefault } = notificationKeysFromEnvironment({ NODE_ENV: 'production', NOTIFICATIONS_ENCRYPTION_KEY: current, NOTIFICATIONS_ENCRYPTION_PREVIOUS_KEYS: ` ${previous} ,` });
    expect(isDevelopmentDefault).toBe(false);
    expect(keys.open(new NotificationKeys(Buffer.from(previous, 'base64')).seal('x', 'c'), 'c')).toBe('x');
    const short = randomBytes(16).toString('base64');
    expect(() => notificationKeysFromEnvironment({ NOTIFICATIONS_ENCRYPTION_KEY: short })).toThrow('NOTIFICATIONS_ENCRYPTION_KEY must be base64 of 32 bytes, but it decodes to 16 bytes');
    expect(() => notificationKeysFromEnvironment({ NOTIFICATIONS_ENCRYPTION_KEY: short })).not.toThrow(short);
  });
});
