import { LATENCY_BUCKETS, probeCheck, type Metrics, type ReadinessCheck } from '@case-status/http-support';
import { WrongExpectedRevisionError, type EventStore } from './event-store.port';

/**
 * The same store, timing every append (`event_store_append_duration_seconds`, by outcome) and
 * counting optimistic-concurrency conflicts (`event_store_append_conflicts_total`). Labels are
 * outcomes only, never stream ids (they carry receipt numbers).
 */
export function instrumentEventStore(store: EventStore, metrics: Metrics): EventStore {
  const appends = metrics.histogram({
    name: 'event_store_append_duration_seconds',
    help: 'Appends to the event store (one call, of one stream or several), by outcome (appended, conflict, failed), with their duration.',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
  });
  const conflicts = metrics.counter({ name: 'event_store_append_conflicts_total', help: 'Appends refused because the stream had moved on (expected revision did not hold).' });
  const timed = async <T>(append: () => Promise<T>): Promise<T> => {
    const end = appends.startTimer();
    try {
      const result = await append();
      end({ outcome: 'appended' });
      return result;
    } catch (error) {
      const conflict = error instanceof WrongExpectedRevisionError;
      end({ outcome: conflict ? 'conflict' : 'failed' });
      if (conflict) conflicts.inc();
      throw error;
    }
  };
  return withAppend(store, {
    appendToStream: (streamId, events, options) => timed(() => store.appendToStream(streamId, events, options)),
    appendToStreams: (streamAppends) => timed(() => store.appendToStreams(streamAppends)),
  });
}

type Appends = Pick<EventStore, 'appendToStream' | 'appendToStreams'>;

/** `store` with its appends replaced; everything else (reads, subscriptions, the PostgreSQL store's appendChannel) is the store's own. */
export function withAppend(store: EventStore, appends: Appends): EventStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendToStream' || property === 'appendToStreams') return appends[property];
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The stream readiness reads: it never exists, so reading it is one cheap query that must reach the database. */
const PROBE_STREAM = 'readiness-probe';

/** Readiness of a service that writes or reads the event store: up while a read reaches it. */
export function eventStoreCheck(store: EventStore, name = 'database'): ReadinessCheck {
  return probeCheck(name, () => store.readStream(PROBE_STREAM, { maxCount: 1 }));
}
