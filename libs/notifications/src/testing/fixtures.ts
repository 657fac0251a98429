import { randomUUID } from 'node:crypto';
import { encodeCaseStatusChanged, type CaseStatusChangedV1, type OutgoingKafkaRecord } from '@case-status/integration-events';
import { changeOf } from '@case-status/integration-events/testing';

export { statusChanged } from '@case-status/integration-events/testing';

/** A Kafka message exactly as the relay produces it: CloudEvents binary mode, key = stream id. */
export function statusChangedKafkaMessage(data: CaseStatusChangedV1, id: string = randomUUID()): OutgoingKafkaRecord {
  return encodeCaseStatusChanged(changeOf(data, id));
}
