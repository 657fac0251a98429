import { readFileSync } from 'node:fs';
import type { AgencyKeys } from '@case-status/agency-auth';

export interface StatusApiConfig {
  port: number;
  host: string;
  databaseUrl: string;
  readModelSchema: string;
  /** Null when CASEWORKER_KEYS_FILE is not set: then no caseworker token is accepted. */
  caseworkerKeys: AgencyKeys | null;
  rateLimit: { max: number; timeWindow: number };
  trustProxy: boolean;
}

/** Reads the environment; every setting is documented in docs/api/graphql.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): StatusApiConfig {
  const keysFile = env['CASEWORKER_KEYS_FILE'];
  return {
    port: whole(env, 'STATUS_PORT', 3002, 0, 65535),
    host: env['HOST'] ?? '127.0.0.1',
    databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status',
    readModelSchema: env['READ_MODEL_SCHEMA'] ?? 'read_models',
    caseworkerKeys: keysFile ? (JSON.parse(readFileSync(keysFile, 'utf8')) as AgencyKeys) : null,
    rateLimit: { max: whole(env, 'STATUS_RATE_LIMIT_PER_MINUTE', 120, 1, 1_000_000), timeWindow: 60_000 },
    trustProxy: env['TRUST_PROXY'] === 'true',
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}
