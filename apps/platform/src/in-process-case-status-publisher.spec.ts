import { decodeCaseStatusChanged, type IncomingKafkaRecord } from '@case-status/integration-events';
import { aCaseStatusChange, describeCaseStatusPublisherContract } from '@case-status/messaging/testing';
import { InProcessCaseStatusPublisher } from '@case-status/platform';

/** The in-process hand-off keeps the publisher port's contract, like the Kafka publisher. */
describeCaseStatusPublisherContract('in process', async () => {
  const handedOver: IncomingKafkaRecord[] = [];
  const publisher = new InProcessCaseStatusPublisher({
    accept: async (messages) => {
      handedOver.push(...messages);
    },
  });
  return {
    publisher,
    readBack: async () =>
      handedOver.map((message) => {
        const decoded = decodeCaseStatusChanged(message);
        return { key: decoded.streamId, id: decoded.eventId, data: decoded.data };
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
