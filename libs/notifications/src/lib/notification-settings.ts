import { integer, readConfig, text, trueFalse, url, type ConfigOf } from '@case-status/config';
import type { EmailDelivery } from './email-sender';
import { notificationKeyFields, notificationKeysFrom, type NotificationKeys } from './notification-keys';
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
  const production = env['NODE_ENV'] === 'production';
  const values = readConfig(
    {
      ...notificationKeyFields(production),
      NOTIFY_CONFIRMATIONS_PER_ADDRESS: integer({ fallback: DEFAULT_CONFIRMATION_LIMITS.perAddress, max: 1000 }),
      NOTIFY_CONFIRMATIONS_PER_CASE: integer({ fallback: DEFAULT_CONFIRMATION_LIMITS.perCase, max: 100_000 }),
      NOTIFY_CONFIRMATION_WINDOW_MINUTES: integer({ fallback: DEFAULT_CONFIRMATION_LIMITS.windowMinutes, max: 10_080 }),
      WEBHOOKS_PER_OWNER: integer({ fallback: DEFAULT_MAX_WEBHOOKS_PER_OWNER, max: 10_000 }),
      WEBHOOK_ALLOW_INSECURE: trueFalse(false).refine((allow) => !(allow && production), {
        message: 'WEBHOOK_ALLOW_INSECURE=true is for development only: in production webhooks must be https to public addresses',
      }),
    },
    env,
  );
  const { keys, isDevelopmentDefault } = notificationKeysFrom(values);
  return {
    keys,
    developmentKey: isDevelopmentDefault,
    confirmationLimits: {
      perAddress: values.NOTIFY_CONFIRMATIONS_PER_ADDRESS,
      perCase: values.NOTIFY_CONFIRMATIONS_PER_CASE,
      windowMinutes: values.NOTIFY_CONFIRMATION_WINDOW_MINUTES,
    },
    maxWebhooksPerOwner: values.WEBHOOKS_PER_OWNER,
    allowInsecureWebhooks: values.WEBHOOK_ALLOW_INSECURE,
  };
}

/** SMTP_URL, OUTBOX_DIR and SMTP_FROM, for the config schema of a service that sends email. */
export const EMAIL_DELIVERY_FIELDS = {
  SMTP_URL: url({ protocols: ['smtp', 'smtps'], example: 'smtp://user:password@mail.example.gov:587' }),
  OUTBOX_DIR: text(),
  SMTP_FROM: text('Case Status <no-reply@case-status.example>'),
};

/** Through SMTP_URL, else to the OUTBOX_DIR directory (development, demos); null when neither is set. */
export function emailDeliveryFrom(values: ConfigOf<typeof EMAIL_DELIVERY_FIELDS>): EmailDelivery | null {
  const { SMTP_URL: smtpUrl, OUTBOX_DIR: outboxDir, SMTP_FROM: from } = values;
  if (smtpUrl) return { smtpUrl, from };
  return outboxDir ? { outboxDir, from } : null;
}
