import { duration, integer, onOff, parsed, port, readConfig, text, url } from '@case-status/config';
import { EVENT_STORE_FIELDS, eventStoreSettingsFrom, type EventStoreSettings } from '@case-status/event-store';
import { parseForwardingKey, parseTrustProxy, type TrustedProxies } from '@case-status/http-support';
import { readFileSync } from 'node:fs';
import type { JSONWebKeySet } from 'jose';
import { checkAgencyKeys, type AgencyKeys } from '@case-status/agency-auth';
import { feedbackSecret } from '@case-status/feedback';
import { EMAIL_DELIVERY_FIELDS, emailDeliveryFrom, notificationSafeguardsFromEnvironment, type EmailDelivery, type NotificationSafeguards } from '@case-status/notifications';

export interface StatusApiConfig {
  port: number;
  host: string;
  /** Readiness and /metrics, for the operator only (OPS_PORT, default 9462, on OPS_HOST, default loopback). */
  ops: { port: number; host: string };
  databaseUrl: string;
  /** Lookups read from this hot standby of DATABASE_URL (READ_REPLICA_URL), ready while at most READ_REPLICA_MAX_LAG_MS behind; null: from the primary. */
  readReplica: { url: string; maxLagMs: number } | null;
  readModelSchema: string;
  /** The record of served estimates whose accuracy is published (SERVED_ESTIMATES_SCHEMA). */
  servedSchema: string;
  /** The weekly case flow projection's schema, as the projector keeps it (its WEEKLY_CASE_FLOW_SCHEMA). */
  flowSchema: string;
  /** The event store, read for a case's full record (caseworkers' `caseEvents`). */
  eventStore: EventStoreSettings;
  /** Survey answers are appended to the event store; the feedback projection is read. */
  feedback: {
    eventStore: EventStoreSettings;
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
  /** "My cases" (docs/identity.md): null when PERSON_ASSERTION_PUBLIC_KEYS is not set, and its fields answer LINKING_UNAVAILABLE. */
  myCases: { assertionKeys: JSONWebKeySet; linksSchema: string; attemptsSchema: string; helperGrantsSchema: string; eventStore: EventStoreSettings } | null;
  /** The representatives projection (the projector fills it): "My clients" and who may watch a case by webhook as its representative. */
  representativesSchema: string;
  /** The access audit of private reads (migrated at start). */
  accessAuditSchema: string;
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
  const production = env['NODE_ENV'] === 'production';
  const settings = readConfig(
    {
      ...EVENT_STORE_FIELDS,
      ...EMAIL_DELIVERY_FIELDS,
      STATUS_PORT: port(3002),
      HOST: text('127.0.0.1'),
      OPS_PORT: port(9462),
      OPS_HOST: text('127.0.0.1'),
      DATABASE_URL: text('postgres://postgres@127.0.0.1:5432/case_status'),
      READ_REPLICA_URL: url({ protocols: ['postgres', 'postgresql'], example: 'postgres://reader@standby.internal:5432/case_status' }),
      READ_REPLICA_MAX_LAG_MS: duration({ fallback: 30_000, min: 100, max: 3_600_000 }),
      READ_MODEL_SCHEMA: text('read_models'),
      SERVED_ESTIMATES_SCHEMA: text('served_estimates'),
      WEEKLY_CASE_FLOW_SCHEMA: text('weekly_case_flow'),
      FEEDBACK_SCHEMA: text('feedback'),
      FEEDBACK_SECRET: parsed((secret) => feedbackSecret(secret, { production })),
      GRAPHIQL: onOff(!production),
      CASEWORKER_KEYS_FILE: text(),
      PERSON_ASSERTION_PUBLIC_KEYS: parsed(publicKeySet),
      CASE_LINKS_SCHEMA: text('case_links'),
      HELPER_GRANTS_SCHEMA: text('helper_grants'),
      REPRESENTATIVES_SCHEMA: text('representatives'),
      ACCESS_AUDIT_SCHEMA: text('access_audit'),
      ACCESS_CODE_ATTEMPTS_SCHEMA: text('access_codes'),
      STATUS_RATE_LIMIT_PER_MINUTE: integer({ fallback: 120, max: 1_000_000 }),
      STATUS_SUBSCRIBE_LIMIT_PER_HOUR: integer({ fallback: 10, max: 1_000_000 }),
      TRUST_PROXY: parsed(parseTrustProxy),
      FORWARDING_KEY: parsed(parseForwardingKey),
      REDIS_URL: url({ protocols: ['redis', 'rediss'], example: 'redis://127.0.0.1:6379' }),
      NOTIFICATIONS_SCHEMA: text('notifications'),
      NOTIFIER_PORT: port(3004),
      PUBLIC_BASE_URL: url({ protocols: ['http', 'https'], example: 'https://status.example.gov' }),
    },
    env,
  );
  const keysFile = settings.CASEWORKER_KEYS_FILE;
  const email = emailDeliveryFrom(settings);
  return {
    port: settings.STATUS_PORT,
    host: settings.HOST,
    ops: { port: settings.OPS_PORT, host: settings.OPS_HOST },
    databaseUrl: settings.DATABASE_URL,
    readReplica: settings.READ_REPLICA_URL ? { url: settings.READ_REPLICA_URL, maxLagMs: settings.READ_REPLICA_MAX_LAG_MS } : null,
    readModelSchema: settings.READ_MODEL_SCHEMA,
    servedSchema: settings.SERVED_ESTIMATES_SCHEMA,
    flowSchema: settings.WEEKLY_CASE_FLOW_SCHEMA,
    eventStore: eventStoreSettingsFrom(settings),
    feedback: {
      eventStore: eventStoreSettingsFrom(settings),
      schema: settings.FEEDBACK_SCHEMA,
      secret: settings.FEEDBACK_SECRET.secret,
      developmentSecret: settings.FEEDBACK_SECRET.isDevelopmentDefault,
    },
    graphiql: settings.GRAPHIQL,
    caseworkerKeys: keysFile ? caseworkerKeys(keysFile, production) : null,
    myCases: settings.PERSON_ASSERTION_PUBLIC_KEYS
      ? { assertionKeys: settings.PERSON_ASSERTION_PUBLIC_KEYS, linksSchema: settings.CASE_LINKS_SCHEMA, attemptsSchema: settings.ACCESS_CODE_ATTEMPTS_SCHEMA, helperGrantsSchema: settings.HELPER_GRANTS_SCHEMA, eventStore: eventStoreSettingsFrom(settings) }
      : null,
    representativesSchema: settings.REPRESENTATIVES_SCHEMA,
    accessAuditSchema: settings.ACCESS_AUDIT_SCHEMA,
    rateLimit: { max: settings.STATUS_RATE_LIMIT_PER_MINUTE, timeWindow: 60_000 },
    trustProxy: settings.TRUST_PROXY,
    forwardingKey: settings.FORWARDING_KEY,
    redisUrl: settings.REDIS_URL,
    subscribeRateLimit: { max: settings.STATUS_SUBSCRIBE_LIMIT_PER_HOUR, timeWindow: 3_600_000 },
    notifications: email && {
      schema: settings.NOTIFICATIONS_SCHEMA,
      email,
      // The notifier serves the links; by default it listens on NOTIFIER_PORT of the same host.
      publicBaseUrl: settings.PUBLIC_BASE_URL ?? `http://${settings.HOST}:${settings.NOTIFIER_PORT}`,
      safeguards: notificationSafeguardsFromEnvironment(env),
    },
  };
}

/** The website's public person assertion keys: a JWKS in JSON, public keys only. */
function publicKeySet(text: string | undefined): JSONWebKeySet | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('PERSON_ASSERTION_PUBLIC_KEYS must be a JWKS in JSON: {"keys":[{...public key with "kid"}]}');
  }
  const keys = (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0 || keys.some((key) => typeof key !== 'object' || key === null || !('kid' in key))) {
    throw new Error('PERSON_ASSERTION_PUBLIC_KEYS must be a JWKS with at least one key, each with "kid"');
  }
  if (keys.some((key) => 'd' in key)) throw new Error('PERSON_ASSERTION_PUBLIC_KEYS holds a private key: give the status API the public half only');
  return parsed as JSONWebKeySet;
}

/** Checked here, so a bad file stops the API at start-up naming the setting (issuers, https key URLs). */
function caseworkerKeys(file: string, production: boolean): AgencyKeys {
  try {
    return checkAgencyKeys(JSON.parse(readFileSync(file, 'utf8')), production);
  } catch (error) {
    throw new Error(`CASEWORKER_KEYS_FILE (${file}): ${(error as Error).message}`);
  }
}
