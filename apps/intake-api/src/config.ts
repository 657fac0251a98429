import { parseTrustProxy, type TrustedProxies } from '@case-status/http-support';
import { readFileSync } from 'node:fs';
import { checkAgencyKeys } from '@case-status/agency-auth';
import type { AgencyKeys, IntakeRateLimitOptions } from '@case-status/intake';

export interface IntakeApiConfig {
  port: number;
  host: string;
  eventStore: { kind: 'postgres'; databaseUrl: string; schema: string } | { kind: 'eventstoredb'; url: string };
  agencyKeys: AgencyKeys;
  rateLimit: IntakeRateLimitOptions;
  trustProxy: TrustedProxies;
  /** Applied on the PostgreSQL event store only. */
  refusalRetention: { maxAgeDays: number; maxPerAgency: number };
}

/** Reads the environment; every setting is documented in docs/api/intake.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): IntakeApiConfig {
  const keysFile = env['INTAKE_AGENCY_KEYS_FILE'];
  if (!keysFile) throw new Error('INTAKE_AGENCY_KEYS_FILE is not set: point it at a JSON file of agency public keys (see README)');
  const kind = env['EVENT_STORE'] ?? 'postgres';
  if (kind !== 'postgres' && kind !== 'eventstoredb') throw new Error(`EVENT_STORE must be "postgres" or "eventstoredb", not "${kind}"`);
  const port = Number(env['INTAKE_PORT'] ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`INTAKE_PORT is not a port number: "${env['INTAKE_PORT']}"`);
  let agencyKeys: AgencyKeys;
  try {
    agencyKeys = checkAgencyKeys(JSON.parse(readFileSync(keysFile, 'utf8')), env['NODE_ENV'] === 'production');
  } catch (error) {
    throw new Error(`INTAKE_AGENCY_KEYS_FILE (${keysFile}): ${(error as Error).message}`);
  }
  return {
    port,
    host: env['HOST'] ?? '127.0.0.1',
    eventStore:
      kind === 'postgres'
        ? { kind, databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status', schema: env['EVENT_STORE_SCHEMA'] ?? 'event_store' }
        : { kind, url: required(env, 'EVENTSTORE_URL') },
    agencyKeys,
    rateLimit: {
      requestsPerAgency: whole(env, 'INTAKE_RATE_LIMIT_PER_MINUTE', 1200),
      eventsPerAgency: whole(env, 'INTAKE_EVENT_LIMIT_PER_MINUTE', 30_000),
      unverifiedPerAddress: whole(env, 'INTAKE_UNVERIFIED_LIMIT_PER_MINUTE', 120),
      timeWindowMs: 60_000,
      ...(env['REDIS_URL'] ? { redisUrl: env['REDIS_URL'] } : {}),
    },
    trustProxy: parseTrustProxy(env['TRUST_PROXY']),
    refusalRetention: {
      maxAgeDays: whole(env, 'INTAKE_REFUSAL_RETENTION_DAYS', 90),
      maxPerAgency: whole(env, 'INTAKE_REFUSALS_KEPT_PER_AGENCY', 100_000),
    },
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 100_000_000) throw new Error(`${name} must be a whole number from 1 to 100000000, not "${text}"`);
  return value;
}
