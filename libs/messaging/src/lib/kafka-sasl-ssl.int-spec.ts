import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { logLevel } from 'kafkajs';
import { consumeCaseStatusChanged, createTestTopics, describeCaseStatusPublisherContract } from '../testing';
import { createKafka } from './kafka-client';
import { loadKafkaConnection, type KafkaConnection } from './kafka-connection';
import { KafkaCaseStatusPublisher } from './kafka-case-status-publisher';

// Jest's project-level testTimeout is not applied in the root multi-project run; a busy broker
// can take longer than the default 5 s to create topics and hand out a consumer's partitions.
jest.setTimeout(30_000);

/**
 * The SASL_SSL listener of the broker infra/kafka/start.sh runs, reached with the settings it
 * writes into its run directory (tools/test.sh exports where; otherwise the default broker's).
 */
function saslSslEnv(): NodeJS.ProcessEnv {
  const cache = process.env['KAFKA_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'case-status');
  const file = process.env['KAFKA_SASL_SSL_ENV_FILE'] ?? join(cache, `kafka-${process.env['KAFKA_VERSION'] ?? '4.4.0'}`, 'run-9092', 'sasl-ssl.env');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: start the broker with infra/kafka/start.sh (it writes the SASL_SSL listener's client settings there), or set KAFKA_SASL_SSL_ENV_FILE`);
  }
  return parseEnv(readFileSync(file, 'utf8'));
}

const env = saslSslEnv();
const connection = loadKafkaConnection(env);
const kafka = (clientId: string, settings: KafkaConnection = connection) =>
  createKafka({ ...settings, clientId, logLevel: logLevel.NOTHING, maxRetryTimeMs: 500 });

describeCaseStatusPublisherContract('Kafka over TLS with SASL/SCRAM-SHA-256', async () => {
  const client = kafka('sasl-ssl-contract');
  const { topic, deleteTopics } = await createTestTopics(client, 'sasl-ssl');
  const publisher = await KafkaCaseStatusPublisher.connect({ kafka: client, topic });
  return {
    publisher,
    readBack: (count) => consumeCaseStatusChanged({ kafka: client, topic, count, timeoutMs: 10_000 }),
    cleanup: async () => {
      await publisher.close();
      await deleteTopics();
    },
  };
});

describe('the SASL_SSL listener', () => {
  it('is TLS with SASL, as the settings written for it say', () => {
    expect(connection.ssl?.ca).toHaveLength(1);
    expect(connection.sasl).toMatchObject({ mechanism: 'scram-sha-256', username: expect.any(String) });
  });

  it.each(['scram-sha-512', 'plain'])('lets the same user in with %s', async (mechanism) => {
    const admin = kafka(`sasl-ssl-${mechanism}`, loadKafkaConnection({ ...env, KAFKA_SASL_MECHANISM: mechanism })).admin();
    await admin.connect();
    try {
      expect((await admin.describeCluster()).brokers).toEqual([expect.objectContaining({ port: Number(connection.brokers[0].split(':')[1]) })]);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses a wrong password, saying the credentials are invalid', async () => {
    const admin = kafka('sasl-ssl-wrong-password', loadKafkaConnection({ ...env, KAFKA_SASL_PASSWORD: 'not-the-password' })).admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA256 authentication failed: .*invalid credentials/);
    await admin.disconnect();
  });

  it('refuses an unknown user the same way', async () => {
    const admin = kafka('sasl-ssl-wrong-user', loadKafkaConnection({ ...env, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'nobody' })).admin();
    await expect(admin.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed: .*invalid credentials/);
    await admin.disconnect();
  });

  it('is not reached by a client that does not trust its CA (the system CAs only)', async () => {
    const admin = kafka('sasl-ssl-untrusted', loadKafkaConnection({ ...env, KAFKA_SSL_CA_FILE: undefined })).admin();
    await expect(admin.connect()).rejects.toThrow(/self[- ]signed certificate in certificate chain/);
    await admin.disconnect();
    // kafkajs retries a failed TLS handshake as a connection error before it gives up.
  }, 30_000);
});
