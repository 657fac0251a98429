import { notificationKeysFromEnvironment, type NotificationKeys } from './notification-keys';
import { DEFAULT_CONFIRMATION_LIMITS, DEFAULT_MAX_WEBHOOKS_PER_OWNER, type ConfirmationLimits } from './subscription.service';

/** The settings that keep notifications from being turned against people, read the same by every service. */
export interface NotificationSafeguards {
  keys: NotificationKeys;
  /** True when NOTIFICATIONS_ENCRYPTION_KEY is not set and the development key is used (never in production). */
  developmentKey: boolean;
  confirmationLimits: ConfirmationLimits;
  maxWebhooksPerOwner: number;
  /** Development only: lets webhooks use http:// and hosts that are or resolve to local addresses. */
  allowInsecureWebhooks: boolean;
}

/**
 * Reads NOTIFICATIONS_ENCRYPTION_KEY (and _PREVIOUS_KEYS), NOTIFY_CONFIRMATIONS_PER_ADDRESS,
 * NOTIFY_CONFIRMATIONS_PER_CASE, NOTIFY_CONFIRMATION_WINDOW_MINUTES, WEBHOOKS_PER_OWNER and
 * WEBHOOK_ALLOW_INSECURE. With NODE_ENV=production a missing key or insecure webhooks refuse
 * to start.
 */
export function notificationSafeguardsFromEnvironment(env: NodeJS.ProcessEnv): NotificationSafeguards {
  const { keys, isDevelopmentDefault } = notificationKeysFromEnvironment(env);
  const allowInsecureWebhooks = env['WEBHOOK_ALLOW_INSECURE'] === 'true';
  if (allowInsecureWebhooks && env['NODE_ENV'] === 'production') {
    throw new Error('WEBHOOK_ALLOW_INSECURE=true is for development only: in production webhooks must be https to public addresses');
  }
  return {
    keys,
    developmentKey: isDevelopmentDefault,
    confirmationLimits: {
      perAddress: whole(env, 'NOTIFY_CONFIRMATIONS_PER_ADDRESS', DEFAULT_CONFIRMATION_LIMITS.perAddress, 1, 1000),
      perCase: whole(env, 'NOTIFY_CONFIRMATIONS_PER_CASE', DEFAULT_CONFIRMATION_LIMITS.perCase, 1, 100_000),
      windowMinutes: whole(env, 'NOTIFY_CONFIRMATION_WINDOW_MINUTES', DEFAULT_CONFIRMATION_LIMITS.windowMinutes, 1, 10_080),
    },
    maxWebhooksPerOwner: whole(env, 'WEBHOOKS_PER_OWNER', DEFAULT_MAX_WEBHOOKS_PER_OWNER, 1, 10_000),
    allowInsecureWebhooks,
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}
