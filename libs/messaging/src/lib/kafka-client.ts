import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { KafkaConnection } from './kafka-connection';

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

/**
 * How every service's kafkajs client retries a request (5 times, from 100 ms doubling to at most
 * 5 s). kafkajs' own default waits up to 30 s between tries: after a broker is lost, a consumer
 * would then keep asking it for that long before it restarts and finds the new leaders.
 */
export const KAFKA_CLIENT_RETRY = { initialRetryTime: 100, maxRetryTime: 5000 } as const;

/** `host:port[,host:port...]` (e.g. `KAFKA_BROKERS`) into a broker list; throws naming the bad entry. */
export function parseBrokers(text: string | undefined, name = 'KAFKA_BROKERS'): string[] {
  const entries = (text ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  if (entries.length === 0) throw new TypeError(`${name} is empty; expected host:port[,host:port...]`);
  return entries.map((broker) => {
    const match = /^([^\s:]+):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65_535) {
      throw new TypeError(`${name}: "${broker}" is not host:port`);
    }
    return broker;
  });
}

/** Brokers, TLS and SASL as `loadKafkaConnection` reads them, and the client's own settings. */
export interface KafkaClientOptions extends KafkaConnection {
  clientId: string;
  /** kafkajs' own logging; it logs every retried connection error. Default WARN. */
  logLevel?: logLevel;
  /** Longest wait between two retries of one request; kafkajs backs off up to it. Default 5000. */
  maxRetryTimeMs?: number;
}

export function createKafka(options: KafkaClientOptions): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    ...(options.ssl ? { ssl: options.ssl } : {}),
    ...(options.sasl ? { sasl: options.sasl } : {}),
    logLevel: options.logLevel ?? logLevel.WARN,
    connectionTimeout: 3000,
    retry: { ...KAFKA_CLIENT_RETRY, maxRetryTime: options.maxRetryTimeMs ?? KAFKA_CLIENT_RETRY.maxRetryTime },
  };
  return new Kafka(config);
}
