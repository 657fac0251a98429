import type { Producer } from 'kafkajs';
import type { CaseStatusChangedV1 } from '@case-status/integration-events';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import type { ReceivedCaseStatusChange } from '@case-status/integration-events';
import type { DeliveryChannel } from './delivery-store';

/** The dead-letter topic next to a topic: `<topic>.dlq`. */
export const deadLetterTopicFor = (topic: string) => `${topic}.dlq`;

/** The JSON value of a dead-letter message. No personal data: subscriptions appear by id only. */
export type DeadLetter =
  | {
      reason: 'delivery_failed';
      deliveryId: string;
      subscriptionId: string;
      channel: DeliveryChannel;
      attempts: number;
      lastError: string;
      failedAt: string;
      original: OriginalMessage;
    }
  | {
      reason: 'invalid_message';
      lastError: string;
      failedAt: string;
      original: { topic: string; partition: number; offset: string; key: string | null; headers: Record<string, string>; value: string | null };
    };

interface OriginalMessage {
  topic: string;
  key: string;
  headers: Record<string, string>;
  value: CaseStatusChangedV1;
}

export interface DeadLetterPublisher {
  publish(key: string | null, deadLetter: DeadLetter): Promise<void>;
}

/** The original CloudEvent as it was on the topic (binary mode), rebuilt from what was stored. */
export function originalMessage(topic: string, change: ReceivedCaseStatusChange): OriginalMessage {
  return {
    topic,
    key: change.streamId,
    headers: {
      ce_specversion: '1.0',
      ce_id: change.eventId,
      ce_type: CASE_STATUS_CHANGED_V1.type,
      ce_source: change.source,
      ce_subject: change.data.receiptNumber,
      ce_time: change.time,
      'content-type': 'application/json',
    },
    value: change.data,
  };
}

/** Publishes with acks from all in-sync replicas; resolves only once Kafka has the letter. */
export class KafkaDeadLetterPublisher implements DeadLetterPublisher {
  constructor(
    private readonly producer: Producer,
    readonly topic: string,
  ) {}

  async publish(key: string | null, deadLetter: DeadLetter): Promise<void> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'dlq-reason': deadLetter.reason,
      'dlq-error': deadLetter.lastError.slice(0, 500),
      'dlq-failed-at': deadLetter.failedAt,
    };
    if (deadLetter.reason === 'delivery_failed') {
      headers['dlq-subscription-id'] = deadLetter.subscriptionId;
      headers['dlq-attempts'] = String(deadLetter.attempts);
      headers['dlq-original-id'] = deadLetter.original.headers['ce_id'];
    }
    await this.producer.send({ topic: this.topic, acks: -1, messages: [{ key, value: JSON.stringify(deadLetter), headers }] });
  }
}
