import { describeEventStoreContract } from '../../testing';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const url = process.env.EVENTSTORE_URL;

if (url) {
  jest.setTimeout(30_000);
  describeEventStoreContract(
    'EventStoreDB',
    async () => {
      const store = new EventStoreDbEventStore(url);
      return { store, cleanup: () => store.close() };
    },
    { detectsEventIdsReusedInOtherStreams: false },
  );
} else {
  const reason = 'EventStoreDB contract skipped: EVENTSTORE_URL is not set (e.g. EVENTSTORE_URL=esdb://localhost:2113?tls=false)';
  console.warn(reason);
  it.skip(reason, () => undefined);
}
