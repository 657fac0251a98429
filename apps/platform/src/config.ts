import { duration, onOff, parsed, port, readConfig, required, text, url } from '@case-status/config';
import { EVENT_STORE_FIELDS } from '@case-status/event-store';
import { readFileSync } from 'node:fs';
import { feedbackSecret } from '@case-status/feedback';
import type { AgencyKeys } from '@case-status/intake';
import { EMAIL_DELIVERY_FIELDS, notificationSafeguardsFromEnvironment } from '@case-status/notifications';
import { KAFKA_CONNECTION_VARIABLES, loadKafkaConnection, type KafkaConnection } from '@case-status/messaging';
import type { PlatformOptions } from '@case-status/platform';

/**
 * The one-process platform's settings, all from the environment (listed in the README).
 * With none set it runs on embedded PostgreSQL, hands status changes to the notifier in
 * process and writes email to an outbox directory; each backing service can be swapped for
 * a real one by setting its variable, with no change to the code.
 */
export function loadPlatformConfig(env: NodeJS.ProcessEnv = process.env): PlatformOptions {
  const production = env['NODE_ENV'] === 'production';
  const settings = readConfig(
    {
      INTAKE_AGENCY_KEYS_FILE: required('point it at a JSON file of agency public keys (see README)'),
      HOST: text('127.0.0.1'),
      DATABASE_URL: url({ protocols: ['postgres', 'postgresql'], example: 'postgres://postgres@127.0.0.1:5432/case_status' }),
      EVENTSTORE_URL: EVENT_STORE_FIELDS.EVENTSTORE_URL,
      SMTP_URL: EMAIL_DELIVERY_FIELDS.SMTP_URL,
      SMTP_FROM: text(),
      OUTBOX_DIR: text('.data/outbox'),
      PUBLIC_BASE_URL: url({ protocols: ['http', 'https'], example: 'https://status.example.gov' }),
      CASEWORKER_KEYS_FILE: text(),
      EMBEDDED_DATA_DIR: text('.data/embedded'),
      EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS: duration({ hint: '0 for no limit' }),
      EMBEDDED_TRANSACTION_TIMEOUT_MS: duration({ hint: '0 for no limit' }),
      KAFKA_BROKERS: text(),
      KAFKA_TOPIC: text(),
      WEBHOOK_ALLOW_INSECURE: text(),
      INTAKE_PORT: port(3001),
      STATUS_PORT: port(3002),
      LINKS_PORT: port(3004),
      WEB: onOff(true),
      WEB_PORT: port(3003),
      // Readiness of every part and /metrics; 0 picks a free port (printed when ready).
      OPS_PORT: port(0),
      // Sign-in through the local identity provider: development on the loopback address only.
      LOCAL_SIGN_IN: onOff(true),
      // Checked here: in production a missing or weak secret stops the start, naming the variable.
      FEEDBACK_SECRET: parsed((secret) => (feedbackSecret(secret, { production }).isDevelopmentDefault ? undefined : secret)),
    },
    env,
  );
  const host = settings.HOST;
  const safeguards = notificationSafeguardsFromEnvironment(env);
  const caseworkerKeysFile = settings.CASEWORKER_KEYS_FILE;
  return {
    dataDir: settings.EMBEDDED_DATA_DIR,
    embeddedLimits: {
      idleInTransactionTimeoutMs: settings.EMBEDDED_IDLE_IN_TRANSACTION_TIMEOUT_MS,
      transactionTimeoutMs: settings.EMBEDDED_TRANSACTION_TIMEOUT_MS,
    },
    databaseUrl: settings.DATABASE_URL,
    eventStoreDbUrl: settings.EVENTSTORE_URL,
    kafka: kafkaConnection(env, settings.KAFKA_BROKERS),
    kafkaTopic: settings.KAFKA_TOPIC,
    notifications: {
      smtpUrl: settings.SMTP_URL,
      outboxDir: settings.OUTBOX_DIR,
      from: settings.SMTP_FROM,
      publicBaseUrl: settings.PUBLIC_BASE_URL,
      // Webhooks to http:// and local addresses only while the platform listens locally, and never in production.
      allowInsecureWebhooks: settings.WEBHOOK_ALLOW_INSECURE ? safeguards.allowInsecureWebhooks : !production && isLoopback(host),
      keys: safeguards.keys,
      confirmationLimits: safeguards.confirmationLimits,
      maxWebhooksPerOwner: safeguards.maxWebhooksPerOwner,
    },
    intakePort: settings.INTAKE_PORT,
    statusPort: settings.STATUS_PORT,
    linksPort: settings.LINKS_PORT,
    opsPort: settings.OPS_PORT,
    webPort: settings.WEB ? settings.WEB_PORT : null,
    localSignIn: settings.LOCAL_SIGN_IN && !production && isLoopback(host),
    agencyKeys: JSON.parse(readFileSync(settings.INTAKE_AGENCY_KEYS_FILE, 'utf8')) as AgencyKeys,
    caseworkerKeys: caseworkerKeysFile ? (JSON.parse(readFileSync(caseworkerKeysFile, 'utf8')) as AgencyKeys) : undefined,
    host,
    feedbackSecret: settings.FEEDBACK_SECRET,
  };
}

/** Kafka only when KAFKA_BROKERS is set; its TLS and SASL settings alone would be silently unused. */
function kafkaConnection(env: NodeJS.ProcessEnv, brokers: string | undefined): KafkaConnection | undefined {
  if ((brokers ?? '').trim() !== '') return loadKafkaConnection(env);
  const stray = KAFKA_CONNECTION_VARIABLES.find((name) => !['', 'false'].includes((env[name] ?? '').trim().toLowerCase()));
  if (stray) throw new Error(`${stray} is set but KAFKA_BROKERS is not: the platform uses Kafka only with KAFKA_BROKERS`);
  return undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
