import { decodeCaseStatusChanged } from '@case-status/messaging';
import { aCaseStatusChange, describeCaseStatusPublisherContract } from '@case-status/messaging/testing';
import type { RawKafkaMessage } from '@case-status/notifications';
import { InProcessCaseStatusPublisher } from '@case-status/platform';

/** The in-process hand-off keeps the publisher port's contract, like the Kafka publisher. */
describeCaseStatusPublisherContract('in process', async () => {
  const handedOver: RawKafkaMessage[] = [];
  const publisher = new InProcessCaseStatusPublisher({
    accept: async (messages) => {
      handedOver.push(...messages);
    },
  });
  return {
    publisher,
    readBack: async () =>
      handedOver.map((message) => {
        const decoded = decodeCaseStatusChanged({
          key: message.key === null ? null : Buffer.from(message.key),
          value: message.value === null ? null : Buffer.from(message.value),
          headers: message.headers as Record<string, string>,
        });
        return { key: decoded.key, id: decoded.event.id, data: decoded.data };
      }),
    cleanup: async () => undefined,
  };
});

describe('in-process publisher', () => {
  it('hands nothing over and fails the batch when the notifier cannot record it, so the relay retries', async () => {
    const publisher = new InProcessCaseStatusPublisher({
      accept: () => Promise.reject(new Error('database unavailable')),
    });
    await expect(publisher.publish([aCaseStatusChange()])).rejects.toThrow('database unavailable');
  });
});
