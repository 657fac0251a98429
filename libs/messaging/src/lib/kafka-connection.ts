import { ConfigError, parsed, readConfig, text, trueFalse, type ConfigOf } from '@case-status/config';
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { DEFAULT_KAFKA_BROKERS, parseBrokers } from './kafka-client';

export const KAFKA_SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512', 'plain'] as const;
/** Every variable `loadKafkaConnection` reads besides `KAFKA_BROKERS`. */
export const KAFKA_CONNECTION_VARIABLES = [
  'KAFKA_SSL',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_USERNAME_FILE',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];
/** One member per mechanism, as kafkajs declares its SASL options. */
export type KafkaSasl = { [M in KafkaSaslMechanism]: { mechanism: M; username: string; password: string } }[KafkaSaslMechanism];

/** Where the brokers are and how to reach them: what every service that talks to Kafka needs. */
export interface KafkaConnection {
  brokers: string[];
  /** TLS towards the brokers (certificates verified, always); absent for plaintext. */
  ssl?: ConnectionOptions;
  sasl?: KafkaSasl;
}

/** A Kafka setting that is wrong, or wrong together with another, named by its environment variable. */
export class KafkaConfigError extends ConfigError {
  constructor(variable: string, message: string) {
    super([{ variable, message: `${variable}: ${message}` }]);
    this.name = 'KafkaConfigError';
  }
}

const KAFKA_FIELDS = {
  KAFKA_BROKERS: parsed((brokers) => parseBrokers(brokers ?? DEFAULT_KAFKA_BROKERS)),
  KAFKA_SSL: trueFalse(false),
  KAFKA_SSL_CA_FILE: text(),
  KAFKA_SSL_CERT_FILE: text(),
  KAFKA_SSL_KEY_FILE: text(),
  KAFKA_SASL_MECHANISM: parsed((mechanism) => (mechanism === undefined ? undefined : saslMechanism(mechanism))),
  KAFKA_SASL_USERNAME: text(),
  KAFKA_SASL_USERNAME_FILE: text(),
  KAFKA_SASL_PASSWORD: text(),
  KAFKA_SASL_PASSWORD_FILE: text(),
};
type KafkaSettings = ConfigOf<typeof KAFKA_FIELDS>;

/**
 * The Kafka connection settings of a service, from the environment (docs in libs/messaging's
 * README): KAFKA_BROKERS, KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE,
 * KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME(_FILE), KAFKA_SASL_PASSWORD(_FILE). Files are read
 * now, so a missing one stops the service at start rather than at its first reconnect. Throws
 * a ConfigError naming every wrong variable (a KafkaConfigError for settings wrong together);
 * never puts a secret in a message.
 * `warn` hears about settings that work but expose something (plaintext credentials).
 */
export function loadKafkaConnection(env: NodeJS.ProcessEnv = process.env, warn: (message: string) => void = console.warn): KafkaConnection {
  const production = env['NODE_ENV'] === 'production';
  const settings = readConfig(KAFKA_FIELDS, env);
  const brokers = settings.KAFKA_BROKERS;
  const ssl = loadSsl(settings);
  const sasl = loadSasl(settings);
  if (sasl?.mechanism === 'plain' && !ssl) {
    const why = 'plain sends the password to the brokers as it is; it needs KAFKA_SSL=true';
    if (production) throw new KafkaConfigError('KAFKA_SASL_MECHANISM', `${why} (refused with NODE_ENV=production)`);
    warn(`Kafka: KAFKA_SASL_MECHANISM=${why}; allowed outside production only`);
  } else if (production && !ssl) {
    warn('Kafka: KAFKA_SSL is not true, so records go to the brokers unencrypted');
  }
  return { brokers, ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}) };
}

/** For start-up logs: where and how, never the password. */
export function describeKafkaConnection(connection: KafkaConnection): string {
  const how = [connection.ssl ? 'TLS' : 'plaintext', connection.sasl ? `SASL ${connection.sasl.mechanism} as ${connection.sasl.username}` : null];
  return `${connection.brokers.join(',')} (${how.filter(Boolean).join(', ')})`;
}

function loadSsl(settings: KafkaSettings): ConnectionOptions | undefined {
  const enabled = settings.KAFKA_SSL;
  const caFile = settings.KAFKA_SSL_CA_FILE;
  const certFile = settings.KAFKA_SSL_CERT_FILE;
  const keyFile = settings.KAFKA_SSL_KEY_FILE;
  const files = { KAFKA_SSL_CA_FILE: caFile, KAFKA_SSL_CERT_FILE: certFile, KAFKA_SSL_KEY_FILE: keyFile };
  const given = Object.entries(files).find(([, value]) => value !== undefined);
  if (!enabled) {
    if (given) throw new KafkaConfigError(given[0], 'is set but KAFKA_SSL is not true; set KAFKA_SSL=true to connect over TLS');
    return undefined;
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const missing = certFile === undefined ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE';
    throw new KafkaConfigError(missing, 'is needed too: a client certificate (mutual TLS) takes both KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE');
  }
  // rejectUnauthorized stays Node's default (true): there is no setting to turn verification off.
  return {
    ...(caFile ? { ca: [pemFile('KAFKA_SSL_CA_FILE', caFile, 'CERTIFICATE')] } : {}),
    ...(certFile ? { cert: pemFile('KAFKA_SSL_CERT_FILE', certFile, 'CERTIFICATE') } : {}),
    ...(keyFile ? { key: pemFile('KAFKA_SSL_KEY_FILE', keyFile, 'PRIVATE KEY') } : {}),
  };
}

function loadSasl(settings: KafkaSettings): KafkaSasl | undefined {
  const mechanism = settings.KAFKA_SASL_MECHANISM;
  const username = secret(settings, 'KAFKA_SASL_USERNAME');
  const password = secret(settings, 'KAFKA_SASL_PASSWORD');
  if (mechanism === undefined) {
    if (username !== undefined) throw new KafkaConfigError('KAFKA_SASL_USERNAME', 'is set but KAFKA_SASL_MECHANISM is not; give one of scram-sha-256, scram-sha-512, plain');
    if (password !== undefined) throw new KafkaConfigError('KAFKA_SASL_PASSWORD', 'is set but KAFKA_SASL_MECHANISM is not; give one of scram-sha-256, scram-sha-512, plain');
    return undefined;
  }
  if (username === undefined) throw new KafkaConfigError('KAFKA_SASL_USERNAME', `is not set (or KAFKA_SASL_USERNAME_FILE); SASL ${mechanism} needs a user`);
  if (password === undefined) throw new KafkaConfigError('KAFKA_SASL_PASSWORD', `is not set (or KAFKA_SASL_PASSWORD_FILE); SASL ${mechanism} needs a password`);
  return { mechanism, username, password };
}

/** NAME, or the contents of the file NAME_FILE points at (e.g. a mounted secret), without its final newline. */
function secret(settings: KafkaSettings, name: 'KAFKA_SASL_USERNAME' | 'KAFKA_SASL_PASSWORD'): string | undefined {
  const value = settings[name];
  const file = settings[`${name}_FILE`];
  if (value !== undefined && file !== undefined) throw new KafkaConfigError(name, `and ${name}_FILE are both set; give one`);
  if (file === undefined) return value;
  const text = read(`${name}_FILE`, file).replace(/\r?\n$/, '');
  if (text === '') throw new KafkaConfigError(`${name}_FILE`, `${file} is empty`);
  return text;
}

/** Any case, e.g. SCRAM-SHA-512. */
function saslMechanism(text: string): KafkaSaslMechanism {
  const mechanism = KAFKA_SASL_MECHANISMS.find((known) => known === text.trim().toLowerCase());
  if (!mechanism) throw new Error(`KAFKA_SASL_MECHANISM: "${text}" is not one of ${KAFKA_SASL_MECHANISMS.join(', ')}`);
  return mechanism;
}

function pemFile(variable: string, path: string, label: string): string {
  const text = read(variable, path);
  // "PRIVATE KEY" also matches "RSA PRIVATE KEY" and "EC PRIVATE KEY".
  if (!text.includes(`${label}-----`)) throw new KafkaConfigError(variable, `${path} holds no PEM ${label.toLowerCase()}`);
  return text;
}

function read(variable: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new KafkaConfigError(variable, `cannot read ${path} (${code})`);
  }
}
