import { randomBytes } from 'node:crypto';
import { NotificationKeys } from './notification-keys';
import { notificationSafeguardsFromEnvironment } from './notification-settings';

describe('notificationSafeguardsFromEnvironment', () => {
  it('has development defaults, with the development key', () => {
    expect(notificationSafeguardsFromEnvironment({})).toEqual({
      keys: expect.any(NotificationKeys),
      developmentKey: true,
      confirmationLimits: { perAddress: 3, perCase: 20, windowMinutes: 60 },
      maxWebhooksPerOwner: 25,
      allowInsecureWebhooks: false,
    });
  });

  it('reads every setting', () => {
    const settings = notificationSafeguardsFromEnvironment({
      NOTIFICATIONS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      NOTIFY_CONFIRMATIONS_PER_ADDRESS: '2',
      NOTIFY_CONFIRMATIONS_PER_CASE: '50',
      NOTIFY_CONFIRMATION_WINDOW_MINUTES: '1440',
      WEBHOOKS_PER_OWNER: '5',
      WEBHOOK_ALLOW_INSECURE: 'true',
    });
    expect(settings).toMatchObject({ developmentKey: false, confirmationLimits: { perAddress: 2, perCase: 50, windowMinutes: 1440 }, maxWebhooksPerOwner: 5, allowInsecureWebhooks: true });
  });

  it.each([
    [{ NODE_ENV: 'production' }, 'NOTIFICATIONS_ENCRYPTION_KEY is not set'],
    [{ NODE_ENV: 'production', NOTIFICATIONS_ENCRYPTION_KEY: randomBytes(32).toString('base64'), WEBHOOK_ALLOW_INSECURE: 'true' }, 'WEBHOOK_ALLOW_INSECURE=true is for development only'],
    [{ WEBHOOKS_PER_OWNER: '0' }, 'WEBHOOKS_PER_OWNER must be a whole number from 1 to 10000, not "0"'],
    [{ NOTIFY_CONFIRMATIONS_PER_ADDRESS: 'many' }, 'NOTIFY_CONFIRMATIONS_PER_ADDRESS must be a whole number'],
  ])('refuses %j', (env, message) => {
    expect(() => notificationSafeguardsFromEnvironment(env)).toThrow(message);
  });
});
