import { SpanKind, inSpan, traceContextOf, tracingEnabled } from '@case-status/logging';
import type { EventStore, EventToAppend } from './event-store.port';
import { withAppend } from './instrumented-event-store';

/**
 * The same store, with every append in an `event-store append` span (a child of the active
 * one, e.g. the intake request's) whose trace context is stored in each appended event's
 * metadata (`traceparent`, `tracestate`). The projector and the relay, other processes and
 * later, continue the trace from there. With tracing off, appends are passed on untouched.
 */
export function traceEventStore(store: EventStore): EventStore {
  const appendToStream: EventStore['appendToStream'] = (streamId, events, options) => {
    if (!tracingEnabled()) return store.appendToStream(streamId, events, options);
    // No stream id or receipt number as an attribute: traces leave the platform for a collector.
    return inSpan('event-store append', { kind: SpanKind.CLIENT, attributes: { 'event_store.events': events.length } }, async (span) => {
      const trace = traceContextOf(span);
      const traced: EventToAppend[] = trace ? events.map((event) => ({ ...event, metadata: { ...event.metadata, ...trace } })) : events;
      const result = await store.appendToStream(streamId, traced, options);
      span.setAttribute('event_store.position', `${result.position.commit}:${result.position.prepare}`);
      return result;
    });
  };
  return withAppend(store, appendToStream);
}
