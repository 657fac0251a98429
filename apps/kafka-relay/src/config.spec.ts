import { ConfigError } from '@case-status/config';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('creates topics with one replica by default, for the single development broker', () => {
    const config = loadConfig({});
    expect(config.partitions).toBe(6);
    expect(config.replicationFactor).toBe(1);
    expect(config.minInsyncReplicas).toBe(1);
  });

  it('reads the replication of the topics it creates', () => {
    const config = loadConfig({ KAFKA_TOPIC_REPLICATION_FACTOR: '3', KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '2', KAFKA_BROKERS: '10.0.0.1:9092,10.0.0.2:9092,10.0.0.3:9092' });
    expect(config.replicationFactor).toBe(3);
    expect(config.minInsyncReplicas).toBe(2);
    expect(config.kafka.brokers).toEqual(['10.0.0.1:9092', '10.0.0.2:9092', '10.0.0.3:9092']);
  });

  it.each([
    ['KAFKA_TOPIC_REPLICATION_FACTOR', '0'],
    ['KAFKA_TOPIC_REPLICATION_FACTOR', 'three'],
    ['KAFKA_TOPIC_MIN_INSYNC_REPLICAS', '-1'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`${variable} must be a positive whole number, not "${value}"`));
  });

  it('refuses more in-sync replicas than replicas: no write could ever be acknowledged', () => {
    const error = (() => {
      try {
        loadConfig({ KAFKA_TOPIC_REPLICATION_FACTOR: '2', KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '3' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('KAFKA_TOPIC_MIN_INSYNC_REPLICAS');
    expect((error as Error).message).toBe('KAFKA_TOPIC_MIN_INSYNC_REPLICAS (3) must not exceed KAFKA_TOPIC_REPLICATION_FACTOR (2)');
  });
});
