import { integer, parsed, port, readConfig, required, text, url } from '@case-status/config';
import { EVENT_STORE_FIELDS, eventStoreSettingsFrom, type EventStoreSettings } from '@case-status/event-store';
import { parseTrustProxy, type TrustedProxies } from '@case-status/http-support';
import { readFileSync } from 'node:fs';
import { checkAgencyKeys } from '@case-status/agency-auth';
import type { AgencyKeys, IntakeRateLimitOptions } from '@case-status/intake';

export interface IntakeApiConfig {
  port: number;
  host: string;
  /** Readiness and /metrics, for the operator only (OPS_PORT, default 9461, on OPS_HOST, default loopback). */
  ops: { port: number; host: string };
  eventStore: EventStoreSettings;
  /** The PostgreSQL database (events, when kept there). */
  databaseUrl: string;
  agencyKeys: AgencyKeys;
  rateLimit: IntakeRateLimitOptions;
  trustProxy: TrustedProxies;
  /** Applied on the PostgreSQL event store only. */
  refusalRetention: { maxAgeDays: number; maxPerAgency: number };
}

const perMinute = (fallback: number) => integer({ fallback, max: 100_000_000 });

/** Reads the environment; every setting is documented in docs/api/intake.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): IntakeApiConfig {
  const production = env['NODE_ENV'] === 'production';
  const settings = readConfig(
    {
      INTAKE_AGENCY_KEYS_FILE: required('point it at a JSON file of agency public keys (see README)'),
      ...EVENT_STORE_FIELDS,
      DATABASE_URL: text('postgres://postgres@127.0.0.1:5432/case_status'),
      INTAKE_PORT: port(3001),
      HOST: text('127.0.0.1'),
      OPS_PORT: port(9461),
      OPS_HOST: text('127.0.0.1'),
      INTAKE_RATE_LIMIT_PER_MINUTE: perMinute(1200),
      INTAKE_EVENT_LIMIT_PER_MINUTE: perMinute(30_000),
      INTAKE_UNVERIFIED_LIMIT_PER_MINUTE: perMinute(120),
      REDIS_URL: url({ protocols: ['redis', 'rediss'], example: 'redis://127.0.0.1:6379' }),
      TRUST_PROXY: parsed(parseTrustProxy),
      INTAKE_REFUSAL_RETENTION_DAYS: perMinute(90),
      INTAKE_REFUSALS_KEPT_PER_AGENCY: perMinute(100_000),
    },
    env,
  );
  const keysFile = settings.INTAKE_AGENCY_KEYS_FILE;
  let agencyKeys: AgencyKeys;
  try {
    agencyKeys = checkAgencyKeys(JSON.parse(readFileSync(keysFile, 'utf8')), production);
  } catch (error) {
    throw new Error(`INTAKE_AGENCY_KEYS_FILE (${keysFile}): ${(error as Error).message}`);
  }
  return {
    port: settings.INTAKE_PORT,
    host: settings.HOST,
    ops: { port: settings.OPS_PORT, host: settings.OPS_HOST },
    eventStore: eventStoreSettingsFrom(settings),
    databaseUrl: settings.DATABASE_URL,
    agencyKeys,
    rateLimit: {
      requestsPerAgency: settings.INTAKE_RATE_LIMIT_PER_MINUTE,
      eventsPerAgency: settings.INTAKE_EVENT_LIMIT_PER_MINUTE,
      unverifiedPerAddress: settings.INTAKE_UNVERIFIED_LIMIT_PER_MINUTE,
      timeWindowMs: 60_000,
      ...(settings.REDIS_URL ? { redisUrl: settings.REDIS_URL } : {}),
    },
    trustProxy: settings.TRUST_PROXY,
    refusalRetention: { maxAgeDays: settings.INTAKE_REFUSAL_RETENTION_DAYS, maxPerAgency: settings.INTAKE_REFUSALS_KEPT_PER_AGENCY },
  };
}
