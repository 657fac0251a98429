import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@case-status/config';
import { describeKafkaConnection, KafkaConfigError, loadKafkaConnection } from './kafka-connection';

const dir = mkdtempSync(join(tmpdir(), 'kafka-connection-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
const caFile = file('ca.pem', CERT);
const certFile = file('client.pem', CERT);
const keyFile = file('client.key', KEY);
const passwordFile = file('password', 's3cret-from-file\n');

function load(env: NodeJS.ProcessEnv) {
  const warnings: string[] = [];
  const connection = loadKafkaConnection(env, (message) => warnings.push(message));
  return { connection, warnings };
}

function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadKafkaConnection(env, () => undefined);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadKafkaConnection', () => {
  describe('with nothing set', () => {
    it('is the local broker in plaintext, without a warning outside production', () => {
      expect(load({})).toEqual({ connection: { brokers: ['127.0.0.1:9092'] }, warnings: [] });
    });

    it('warns in production that records travel unencrypted', () => {
      expect(load({ NODE_ENV: 'production' }).warnings).toEqual([expect.stringContaining('KAFKA_SSL is not true')]);
    });
  });

  describe('TLS', () => {
    it('trusts the CA file, and presents a client certificate for mutual TLS', () => {
      const { connection } = load({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile, KAFKA_SSL_CERT_FILE: certFile, KAFKA_SSL_KEY_FILE: keyFile });
      expect(connection.ssl).toEqual({ ca: [CERT], cert: CERT, key: KEY });
    });

    it('uses the system CAs without a CA file, and never turns verification off', () => {
      const { connection } = load({ KAFKA_SSL: 'TRUE' });
      expect(connection.ssl).toEqual({});
      expect(connection.ssl).not.toHaveProperty('rejectUnauthorized');
    });

    it.each([
      ['KAFKA_SSL', 'must be "true" or "false", not "yes"', { KAFKA_SSL: 'yes' }],
      ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL is not true', { KAFKA_SSL_CA_FILE: caFile }],
      ['KAFKA_SSL_KEY_FILE', 'KAFKA_SSL is not true', { KAFKA_SSL: 'false', KAFKA_SSL_KEY_FILE: keyFile }],
      ['KAFKA_SSL_KEY_FILE', 'takes both', { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: certFile }],
      ['KAFKA_SSL_CERT_FILE', 'takes both', { KAFKA_SSL: 'true', KAFKA_SSL_KEY_FILE: keyFile }],
      ['KAFKA_SSL_CA_FILE', 'cannot read', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: join(dir, 'missing.pem') }],
      ['KAFKA_SSL_CA_FILE', 'no PEM certificate', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: keyFile }],
      ['KAFKA_SSL_KEY_FILE', 'no PEM private key', { KAFKA_SSL: 'true', KAFKA_SSL_CERT_FILE: certFile, KAFKA_SSL_KEY_FILE: certFile }],
    ])('refuses, naming %s: %s', (variable, reason, env) => {
      const error = refusal(env);
      expect(error.variable).toBe(variable);
      expect(error.message).toContain(reason);
    });
  });

  describe('SASL', () => {
    it.each(['scram-sha-256', 'SCRAM-SHA-512', 'plain'])('takes mechanism %s with a user and password', (mechanism) => {
      const { connection } = load({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'relay', KAFKA_SASL_PASSWORD: 'pw' });
      expect(connection.sasl).toEqual({ mechanism: mechanism.toLowerCase(), username: 'relay', password: 'pw' });
    });

    it('reads the password from KAFKA_SASL_PASSWORD_FILE without its final newline', () => {
      const { connection } = load({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'relay', KAFKA_SASL_PASSWORD_FILE: passwordFile });
      expect(connection.sasl?.password).toBe('s3cret-from-file');
    });

    it.each([
      ['KAFKA_SASL_MECHANISM', 'not one of scram-sha-256, scram-sha-512, plain', { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' }],
      ['KAFKA_SASL_USERNAME', 'is not set', { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_PASSWORD: 'p' }],
      ['KAFKA_SASL_PASSWORD', 'is not set', { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u' }],
      ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_MECHANISM is not', { KAFKA_SASL_USERNAME: 'u' }],
      ['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_MECHANISM is not', { KAFKA_SASL_PASSWORD: 'p' }],
      ['KAFKA_SASL_PASSWORD', 'both set', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SASL_PASSWORD_FILE: passwordFile }],
      ['KAFKA_SASL_PASSWORD_FILE', 'cannot read', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: join(dir, 'nope') }],
    ])('refuses, naming %s: %s', (variable, reason, env) => {
      const error = refusal(env);
      expect(error.variable).toBe(variable);
      expect(error.message).toContain(reason);
    });

    it('never puts the password in a refusal or in the description', () => {
      const env = { NODE_ENV: 'production', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'relay', KAFKA_SASL_PASSWORD: 'hunter2-secret' };
      expect(refusal(env).message).not.toContain('hunter2-secret');
      const { connection } = load({ ...env, KAFKA_SSL: 'true' });
      expect(describeKafkaConnection(connection)).toBe('127.0.0.1:9092 (TLS, SASL plain as relay)');
    });
  });

  describe('PLAIN without TLS', () => {
    const env = { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'relay', KAFKA_SASL_PASSWORD: 'pw' };

    it('is refused in production, naming KAFKA_SASL_MECHANISM and the cure', () => {
      const error = refusal({ ...env, NODE_ENV: 'production' });
      expect(error).toBeInstanceOf(KafkaConfigError);
      expect(error.variable).toBe('KAFKA_SASL_MECHANISM');
      expect(error.message).toContain('KAFKA_SSL=true');
    });

    it('is allowed outside production with a warning', () => {
      const { connection, warnings } = load(env);
      expect(connection.sasl?.mechanism).toBe('plain');
      expect(warnings).toEqual([expect.stringContaining('outside production only')]);
    });

    it('is accepted in production over TLS without a warning', () => {
      expect(load({ ...env, NODE_ENV: 'production', KAFKA_SSL: 'true' }).warnings).toEqual([]);
    });
  });

  it('refuses a broker list that is not host:port, naming KAFKA_BROKERS', () => {
    expect(() => loadKafkaConnection({ KAFKA_BROKERS: 'kafka.example' })).toThrow('KAFKA_BROKERS: "kafka.example" is not host:port');
  });
});
