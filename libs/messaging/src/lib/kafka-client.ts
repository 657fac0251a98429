import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';

export const DEFAULT_KAFKA_BROKERS = '127.0.0.1:9092';

/** `host:port[,host:port...]` (e.g. `KAFKA_BROKERS`) into a broker list; throws naming the bad entry. */
export function parseBrokers(text: string | undefined, name = 'KAFKA_BROKERS'): string[] {
  const value = (text ?? '').trim();
  if (value === '') throw new TypeError(`${name} is empty; expected host:port[,host:port...]`);
  return value.split(',').map((entry) => {
    const broker = entry.trim();
    const match = /^([^\s:]+):(\d{1,5})$/.exec(broker);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65_535) {
      throw new TypeError(`${name}: "${broker}" is not host:port`);
    }
    return broker;
  });
}

export interface KafkaClientOptions {
  brokers: string[];
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
    logLevel: options.logLevel ?? logLevel.WARN,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 100, maxRetryTime: options.maxRetryTimeMs ?? 5000 },
  };
  return new Kafka(config);
}
