import { readFileSync } from 'node:fs';
import { feedbackSecret } from '@case-status/feedback';
import type { AgencyKeys } from '@case-status/intake';
import { notificationSafeguardsFromEnvironment } from '@case-status/notifications';
import { KAFKA_CONNECTION_VARIABLES, loadKafkaConnection, type KafkaConnection } from '@case-status/messaging';
import type { PlatformOptions } from '@case-status/platform';

/**
 * The one-process platform's settings, all from the environment (listed in the README).
 * With none set it runs on embedded PostgreSQL, hands status changes to the notifier in
 * process and writes email to an outbox directory; each backing service can be swapped for
 * a real one by setting its variable, with no change to the code.
 */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): PlatformOptions {
  const keysFile = env['INTAKE_AGENCY_KEYS_FILE'];
  if (!keysFile) throw new Error('INTAKE_AGENCY_KEYS_FILE is not set: point it at a JSON file of agency public keys (see README)');
  const host = env['HOST'] ?? '127.0.0.1';
  const databaseUrl = url(env, 'DATABASE_URL', /^postgres(ql)?:$/);
  const eventStoreDbUrl = url(env, 'EVENTSTORE_URL', /^(esdb|esdb\+discover|kurrentdb|kurrentdb\+discover):$/);
  const smtpUrl = url(env, 'SMTP_URL', /^smtps?:$/);
  const publicBaseUrl = url(env, 'PUBLIC_BASE_URL', /^https?:$/);
  const caseworkerKeysFile = env['CASEWORKER_KEYS_FILE'];
  const safeguards = notificationSafeguardsFromEnvironment(env);
  return {
    dataDir: env['EMBEDDED_DATA_DIR'] ?? '.data/embedded',
    embeddedLimits: {
      idleInTransactionTimeoutMs: milliseconds(env, 'EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS'),
      transactionTimeoutMs: milliseconds(env, 'EMBEDDED_TRANSACTION_TIMEOUT_MS'),
    },
    databaseUrl,
    eventStoreDbUrl,
    kafka: kafkaConnection(env),
    kafkaTopic: env['KAFKA_TOPIC'] || undefined,
    notifications: {
      smtpUrl,
      outboxDir: env['OUTBOX_DIR'] ?? '.data/outbox',
      from: env['SMTP_FROM'] || undefined,
      publicBaseUrl,
      // Webhooks to http:// and local addresses only while the platform listens locally, and never in production.
      allowInsecureWebhooks: env['WEBHOOK_ALLOW_INSECURE'] ? safeguards.allowInsecureWebhooks : env['NODE_ENV'] !== 'production' && isLoopback(host),
      keys: safeguards.keys,
      confirmationLimits: safeguards.confirmationLimits,
      maxWebhooksPerOwner: safeguards.maxWebhooksPerOwner,
    },
    intakePort: port(env, 'INTAKE_PORT', 3001),
    statusPort: port(env, 'STATUS_PORT', 3002),
    linksPort: port(env, 'LINKS_PORT', 3004),
    webPort: env['WEB'] === 'off' ? null : port(env, 'WEB_PORT', 3003),
    agencyKeys: JSON.parse(readFileSync(keysFile, 'utf8')) as AgencyKeys,
    caseworkerKeys: caseworkerKeysFile ? (JSON.parse(readFileSync(caseworkerKeysFile, 'utf8')) as AgencyKeys) : undefined,
    host,
    // Checked here: in production a missing or weak secret stops the start, naming the variable.
    feedbackSecret: feedbackSecret(env['FEEDBACK_SECRET'], { production: env['NODE_ENV'] === 'production' }).isDevelopmentDefault ? undefined : env['FEEDBACK_SECRET'],
  };
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} is not a port number: "${raw}"`);
  return value;
}

/** Unset: the default of the component that takes it; 0 turns the limit off. */
function milliseconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} is not a whole number of milliseconds (0 for no limit): "${raw}"`);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, protocol: RegExp): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  if (!URL.canParse(raw) || !protocol.test(new URL(raw).protocol)) throw new Error(`${name} is not a ${protocol.source.replace(/[\^$\\]/g, '').replace(/:/g, '')} URL: "${raw}"`);
  return raw;
}

/** Kafka only when KAFKA_BROKERS is set; its TLS and SASL settings alone would be silently unused. */
function kafkaConnection(env: NodeJS.ProcessEnv): KafkaConnection | undefined {
  if ((env['KAFKA_BROKERS'] ?? '').trim() !== '') return loadKafkaConnection(env);
  const stray = KAFKA_CONNECTION_VARIABLES.find((name) => !['', 'false'].includes((env[name] ?? '').trim().toLowerCase()));
  if (stray) throw new Error(`${stray} is set but KAFKA_BROKERS is not: the platform uses Kafka only with KAFKA_BROKERS`);
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
