import { parseForwardingKey, parseTrustProxy, type TrustedProxies } from '@case-status/http-support';
import { readFileSync } from 'node:fs';
import { checkAgencyKeys, type AgencyKeys } from '@case-status/agency-auth';
import { feedbackSecret } from '@case-status/feedback';
import { notificationSafeguardsFromEnvironment, type EmailDelivery, type NotificationSafeguards } from '@case-status/notifications';

export interface StatusApiConfig {
  port: number;
  host: string;
  databaseUrl: string;
  readModelSchema: string;
  /** Survey answers are appended to the event store; the feedback projection is read. */
  feedback: {
    eventStore: { kind: 'postgres'; schema: string } | { kind: 'eventstoredb'; url: string };
    schema: string;
    secret: string;
    /** True when FEEDBACK_SECRET is not set and a development default is used. */
    developmentSecret: boolean;
  };
  /** Serve the GraphQL console at /graphiql (GRAPHIQL=on|off; default on, off in production). */
  graphiql: boolean;
  /** Null when CASEWORKER_KEYS_FILE is not set: then no caseworker token is accepted. */
  caseworkerKeys: AgencyKeys | null;
  rateLimit: { max: number; timeWindow: number };
  /** The proxies in front whose X-Forwarded-For is believed: how many, or their addresses/CIDRs; false for none. */
  trustProxy: TrustedProxies;
  /** The key a front end (the website) sends beside the visitor's address; undefined: none is believed. */
  forwardingKey: string | undefined;
  /** Redis holding the rate limits' counts, shared by every instance; undefined: in memory. */
  redisUrl: string | undefined;
  /** subscribeToCase calls per client per hour (each sends an email). */
  subscribeRateLimit: { max: number; timeWindow: number };
  /** Null when SMTP_URL is not set: then subscriptions, webhooks and the delivery log are off. */
  notifications: {
    schema: string;
    /** Email goes through SMTP, or is written to an outbox directory (development, demos). */
    email: EmailDelivery;
    /** Base of the confirm and unsubscribe links in emails: where the notifier serves them. */
    publicBaseUrl: string;
    /** Keys, confirmation limits, webhooks per owner, and the development-only insecure webhooks switch. */
    safeguards: NotificationSafeguards;
  } | null;
}

/** Reads the environment; every setting is documented in docs/api/graphql.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StatusApiConfig {
  const keysFile = env['CASEWORKER_KEYS_FILE'];
  const host = env['HOST'] ?? '127.0.0.1';
  return {
    port: whole(env, 'STATUS_PORT', 3002, 0, 65535),
    host,
    databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status',
    readModelSchema: env['READ_MODEL_SCHEMA'] ?? 'read_models',
    feedback: feedbackConfig(env),
    graphiql: onOff(env, 'GRAPHIQL', env['NODE_ENV'] !== 'production'),
    caseworkerKeys: keysFile ? caseworkerKeys(keysFile, env) : null,
    rateLimit: { max: whole(env, 'STATUS_RATE_LIMIT_PER_MINUTE', 120, 1, 1_000_000), timeWindow: 60_000 },
    trustProxy: parseTrustProxy(env['TRUST_PROXY']),
    forwardingKey: parseForwardingKey(env['FORWARDING_KEY']),
    redisUrl: redisUrl(env),
    subscribeRateLimit: { max: whole(env, 'STATUS_SUBSCRIBE_LIMIT_PER_HOUR', 10, 1, 1_000_000), timeWindow: 3_600_000 },
    notifications: notificationsConfig(env, host),
  };
}

/** Checked here, so a bad file stops the API at start-up naming the setting (issuers, https key URLs). */
function caseworkerKeys(file: string, env: NodeJS.ProcessEnv): AgencyKeys {
  try {
    return checkAgencyKeys(JSON.parse(readFileSync(file, 'utf8')), env['NODE_ENV'] === 'production');
  } catch (error) {
    throw new Error(`CASEWORKER_KEYS_FILE (${file}): ${(error as Error).message}`);
  }
}

function feedbackConfig(env: NodeJS.ProcessEnv): StatusApiConfig['feedback'] {
  const kind = env['EVENT_STORE'] ?? 'postgres';
  if (kind !== 'postgres' && kind !== 'eventstoredb') throw new Error(`EVENT_STORE must be "postgres" or "eventstoredb", not "${kind}"`);
  const url = env['EVENTSTORE_URL'];
  if (kind === 'eventstoredb' && !url) throw new Error('EVENTSTORE_URL is not set, and EVENT_STORE is "eventstoredb"');
  const { secret, isDevelopmentDefault } = feedbackSecret(env['FEEDBACK_SECRET'], { production: env['NODE_ENV'] === 'production' });
  return {
    eventStore: kind === 'postgres' ? { kind, schema: env['EVENT_STORE_SCHEMA'] ?? 'event_store' } : { kind, url: url as string },
    schema: env['FEEDBACK_SCHEMA'] ?? 'feedback',
    secret,
    developmentSecret: isDevelopmentDefault,
  };
}

function notificationsConfig(env: NodeJS.ProcessEnv, host: string): StatusApiConfig['notifications'] {
  const smtpUrl = env['SMTP_URL'];
  const outboxDir = env['OUTBOX_DIR'];
  if (!smtpUrl && !outboxDir) return null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error('SMTP_URL must start with smtp:// or smtps://');
  const from = env['SMTP_FROM'] ?? 'Case Status <no-reply@case-status.example>';
  // The notifier serves the links; by default it listens on NOTIFIER_PORT of the same host.
  const publicBaseUrl = env['PUBLIC_BASE_URL'] ?? `http://${host}:${whole(env, 'NOTIFIER_PORT', 3004, 0, 65535)}`;
  if (!URL.canParse(publicBaseUrl)) throw new Error(`PUBLIC_BASE_URL is not an absolute URL: "${publicBaseUrl}"`);
  return {
    schema: env['NOTIFICATIONS_SCHEMA'] ?? 'notifications',
    email: smtpUrl ? { smtpUrl, from } : { outboxDir: outboxDir as string, from },
    publicBaseUrl,
    safeguards: notificationSafeguardsFromEnvironment(env),
  };
}

function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  if (text !== 'on' && text !== 'off') throw new Error(`${name} must be "on" or "off", not "${text}"`);
  return text === 'on';
}

function redisUrl(env: NodeJS.ProcessEnv): string | undefined {
  const url = env['REDIS_URL'];
  if (url === undefined || url === '') return undefined;
  if (!/^rediss?:\/\//.test(url) || !URL.canParse(url)) throw new Error('REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379');
  return url;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}
