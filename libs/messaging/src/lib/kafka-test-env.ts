import { logLevel } from 'kafkajs';
import { createKafka, DEFAULT_KAFKA_BROKERS, parseBrokers } from './kafka-client';

/** A client of the broker `npm test` starts (infra/kafka; KAFKA_BROKERS overrides), quiet unless KAFKAJS_LOG is set. */
export function testKafka(clientId: string) {
  const brokers = parseBrokers(process.env['KAFKA_BROKERS'] ?? DEFAULT_KAFKA_BROKERS);
  return createKafka({ brokers, clientId, logLevel: process.env['KAFKAJS_LOG'] ? logLevel.INFO : logLevel.NOTHING, maxRetryTimeMs: 500 });
}
