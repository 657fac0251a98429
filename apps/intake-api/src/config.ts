import { readFileSync } from 'node:fs';
import type { AgencyKeys } from '@case-status/intake';

export interface IntakeApiConfig {
  port: number;
  host: string;
  eventStore: { kind: 'postgres'; databaseUrl: string; schema: string } | { kind: 'eventstoredb'; url: string };
  agencyKeys: AgencyKeys;
}

/** Reads the environment; every setting is documented in the README's configuration table. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): IntakeApiConfig {
  const keysFile = env['INTAKE_AGENCY_KEYS_FILE'];
  if (!keysFile) throw new Error('INTAKE_AGENCY_KEYS_FILE is not set: point it at a JSON file of agency public keys (see README)');
  const kind = env['EVENT_STORE'] ?? 'postgres';
  if (kind !== 'postgres' && kind !== 'eventstoredb') throw new Error(`EVENT_STORE must be "postgres" or "eventstoredb", not "${kind}"`);
  const port = Number(env['INTAKE_PORT'] ?? 3001);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`INTAKE_PORT is not a port number: "${env['INTAKE_PORT']}"`);
  return {
    port,
    host: env['HOST'] ?? '127.0.0.1',
    eventStore:
      kind === 'postgres'
        ? { kind, databaseUrl: env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status', schema: env['EVENT_STORE_SCHEMA'] ?? 'event_store' }
        : { kind, url: required(env, 'EVENTSTORE_URL') },
    agencyKeys: JSON.parse(readFileSync(keysFile, 'utf8')) as AgencyKeys,
  };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
