import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { loadKafkaConnection, type KafkaConnection } from '@case-status/messaging';
import { DEFAULT_RETRY_POLICY, assertRetryPolicy, notificationSafeguardsFromEnvironment, type EmailDelivery, type NotificationSafeguards, type RetryPolicy } from '@case-status/notifications';

export interface NotifierConfig {
  databaseUrl: string;
  schema: string;
  kafka: KafkaConnection & { groupId: string; topic: string };
  /** Email goes through SMTP, or is written to an outbox directory (development, demos). */
  email: EmailDelivery;
  publicBaseUrl: string;
  host: string;
  port: number;
  retry: RetryPolicy;
  webhookTimeoutMs: number;
  /** Keys, confirmation limits, webhooks per owner, and the development-only insecure webhooks switch. */
  safeguards: NotificationSafeguards;
}

/** Reads the environment; every setting is listed in docs/notifications.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): NotifierConfig {
  const smtpUrl = env['SMTP_URL'];
  const outboxDir = env['OUTBOX_DIR'];
  if (!smtpUrl && !outboxDir) {
    throw new Error('SMTP_URL is not set: the SMTP server to send email through, e.g. smtp://user:password@mail.example.gov:587 (or OUTBOX_DIR, a directory to write email to instead)');
  }
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const from = env['SMTP_FROM'] ?? 'Case Status <no-reply@case-status.example>';
  const host = env['HOST'] ?? '127.0.0.1';
  const port = integer(env, 'NOTIFIER_PORT', 3004, 0, 65535);
  const publicBaseUrl = env['PUBLIC_BASE_URL'] ?? `http://${host}:${port}`;
  if (!URL.canParse(publicBaseUrl)) throw new Error(`PUBLIC_BASE_URL is not an absolute URL: "${publicBaseUrl}"`);
  const retry: RetryPolicy = {
    maxAttempts: integer(env, 'NOTIFY_RETRY_MAX_ATTEMPTS', DEFAULT_RETRY_POLICY.maxAttempts, 1, 100),
    baseDelayMs: integer(env, 'NOTIFY_RETRY_BASE_MS', DEFAULT_RETRY_POLICY.baseDelayMs, 0, 86_400_000),
    maxDelayMs: integer(env, 'NOTIFY_RETRY_MAX_MS', DEFAULT_RETRY_POLICY.maxDelayMs, 0, 86_400_000),
    jitter: env['NOTIFY_RETRY_JITTER'] === undefined ? DEFAULT_RETRY_POLICY.jitter : Number(env['NOTIFY_RETRY_JITTER']),
  };
  try {
    assertRetryPolicy(retry);
  } catch (error) {
    throw new Error(`NOTIFY_RETRY_*: ${(error as Error).message}`);
  }
  return {
    databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status',
    schema: env['NOTIFICATIONS_SCHEMA'] ?? 'notifications',
    kafka: { ...loadKafkaConnection(env), groupId: env['NOTIFIER_GROUP_ID'] ?? 'notifier', topic: env['NOTIFIER_TOPIC'] ?? CASE_STATUS_CHANGED_V1.topic },
    email: smtpUrl ? { smtpUrl, from } : { outboxDir: outboxDir as string, from },
    publicBaseUrl,
    host,
    port,
    retry,
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    safeguards: notificationSafeguardsFromEnvironment(env),
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  return value;
}
