import { decimal, duration, integer, parsed, port, readConfig, text, url } from '@case-status/config';
import { feedbackSecret } from '@case-status/feedback';
import { healthFields } from '@case-status/http-support';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { loadKafkaConnection, type KafkaConnection } from '@case-status/messaging';
import {
  DEFAULT_RETRY_POLICY,
  EMAIL_DELIVERY_FIELDS,
  assertRetryPolicy,
  emailDeliveryFrom,
  notificationSafeguardsFromEnvironment,
  type EmailDelivery,
  type NotificationSafeguards,
  type RetryPolicy,
} from '@case-status/notifications';

export interface NotifierConfig {
  databaseUrl: string;
  schema: string;
  /** The representatives projection (REPRESENTATIVES_SCHEMA, default `representatives`), asked before each delivery to a representative's webhook. */
  representativesSchema: string;
  kafka: KafkaConnection & { groupId: string; topic: string; sessionTimeoutMs: number };
  /** Email goes through SMTP, or is written to an outbox directory (development, demos). */
  email: EmailDelivery;
  publicBaseUrl: string;
  /**
   * Keys the survey links sent with decisions to agencies' endpoints (FEEDBACK_SECRET, the status
   * API's): the development secret outside production when unset; null in production when unset
   * or without PUBLIC_BASE_URL (the website the links open), and then no links are sent.
   */
  surveyLinkSecret: string | null;
  host: string;
  port: number;
  retry: RetryPolicy;
  webhookTimeoutMs: number;
  /** How long a claimed delivery is this instance's before another may take it over (NOTIFY_LEASE_MS); default the notifier's. */
  deliveryLeaseMs: number | undefined;
  /** Keys, confirmation limits, webhooks per owner, and the development-only insecure webhooks switch. */
  safeguards: NotificationSafeguards;
  /** `/health/*` and `/metrics` (HEALTH_PORT, default 9466, on HEALTH_HOST). */
  healthPort: number;
  healthHost: string;
}

const DAY_MS = 86_400_000;

/** Reads the environment; every setting is listed in docs/notifications.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NotifierConfig {
  const production = env['NODE_ENV'] === 'production';
  const settings = readConfig(
    {
      ...EMAIL_DELIVERY_FIELDS,
      DATABASE_URL: text('postgres://postgres@127.0.0.1:5432/case_status'),
      NOTIFICATIONS_SCHEMA: text('notifications'),
      REPRESENTATIVES_SCHEMA: text('representatives'),
      NOTIFIER_GROUP_ID: text('notifier'),
      NOTIFIER_TOPIC: text(CASE_STATUS_CHANGED_V1.topic),
      HOST: text('127.0.0.1'),
      NOTIFIER_PORT: port(3004),
      PUBLIC_BASE_URL: url({ protocols: ['http', 'https'], example: 'https://status.example.gov' }),
      // Optional here: without it the notifier sends no survey links, and sends everything else.
      FEEDBACK_SECRET: parsed((secret) => (secret === undefined && production ? null : feedbackSecret(secret, { production }).secret)),
      NOTIFY_RETRY_MAX_ATTEMPTS: integer({ fallback: DEFAULT_RETRY_POLICY.maxAttempts, max: 100 }),
      NOTIFY_RETRY_BASE_MS: duration({ fallback: DEFAULT_RETRY_POLICY.baseDelayMs, max: DAY_MS }),
      NOTIFY_RETRY_MAX_MS: duration({ fallback: DEFAULT_RETRY_POLICY.maxDelayMs, max: DAY_MS }),
      NOTIFY_RETRY_JITTER: decimal({ fallback: DEFAULT_RETRY_POLICY.jitter, min: 0, max: 1 }),
      WEBHOOK_TIMEOUT_MS: duration({ fallback: 10_000, min: 100, max: 120_000 }),
      NOTIFY_LEASE_MS: duration({ min: 1_000, max: DAY_MS }),
      NOTIFIER_SESSION_TIMEOUT_MS: duration({ fallback: 10_000, min: 6_000, max: 300_000, hint: 'the broker accepts 6 s to 5 min by default' }),
      ...healthFields(9466),
    },
    env,
  );
  const email = emailDeliveryFrom(settings);
  if (!email) {
    throw new Error('SMTP_URL is not set: the SMTP server to send email through, e.g. smtp://user:password@mail.example.gov:587 (or OUTBOX_DIR, a directory to write email to instead)');
  }
  const retry: RetryPolicy = {
    maxAttempts: settings.NOTIFY_RETRY_MAX_ATTEMPTS,
    baseDelayMs: settings.NOTIFY_RETRY_BASE_MS,
    maxDelayMs: settings.NOTIFY_RETRY_MAX_MS,
    jitter: settings.NOTIFY_RETRY_JITTER,
  };
  try {
    assertRetryPolicy(retry);
  } catch (error) {
    throw new Error(`NOTIFY_RETRY_*: ${(error as Error).message}`);
  }
  if (settings.NOTIFY_LEASE_MS !== undefined && settings.NOTIFY_LEASE_MS <= 2 * settings.WEBHOOK_TIMEOUT_MS) {
    throw new Error(`NOTIFY_LEASE_MS (${settings.NOTIFY_LEASE_MS}) must be more than twice WEBHOOK_TIMEOUT_MS (${settings.WEBHOOK_TIMEOUT_MS}): a delivery under way must end well within its claim`);
  }
  return {
    databaseUrl: settings.DATABASE_URL,
    schema: settings.NOTIFICATIONS_SCHEMA,
    representativesSchema: settings.REPRESENTATIVES_SCHEMA,
    kafka: { ...loadKafkaConnection(env), groupId: settings.NOTIFIER_GROUP_ID, topic: settings.NOTIFIER_TOPIC, sessionTimeoutMs: settings.NOTIFIER_SESSION_TIMEOUT_MS },
    email,
    publicBaseUrl: settings.PUBLIC_BASE_URL ?? `http://${settings.HOST}:${settings.NOTIFIER_PORT}`,
    // The links open the website's survey page: without its address there is nowhere to send people.
    surveyLinkSecret: settings.PUBLIC_BASE_URL === undefined ? null : settings.FEEDBACK_SECRET,
    host: settings.HOST,
    port: settings.NOTIFIER_PORT,
    retry,
    webhookTimeoutMs: settings.WEBHOOK_TIMEOUT_MS,
    deliveryLeaseMs: settings.NOTIFY_LEASE_MS,
    safeguards: notificationSafeguardsFromEnvironment(env),
    healthPort: settings.HEALTH_PORT,
    healthHost: settings.HEALTH_HOST,
  };
}
