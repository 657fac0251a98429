import { logLevel } from 'kafkajs';
import { createKafka } from './kafka-client';
import { loadKafkaConnection } from './kafka-connection';

/** A client of the broker `npm test` starts (infra/kafka; KAFKA_BROKERS, KAFKA_SSL... override), quiet unless KAFKAJS_LOG is set. */
export function testKafka(clientId: string) {
  return createKafka({ ...loadKafkaConnection(process.env), clientId, logLevel: process.env['KAFKAJS_LOG'] ? logLevel.INFO : logLevel.NOTHING, maxRetryTimeMs: 500 });
}
