import { SpanKind, inSpan, traceContextOf, tracingEnabled } from '@case-status/logging';
import type { EventStore, EventToAppend, GlobalPosition, StreamAppend } from './event-store.port';
import { withAppend } from './instrumented-event-store';

/**
 * The same store, with every append in an `event-store append` span (a child of the active
 * one, e.g. the intake request's) whose trace context is stored in each appended event's
 * metadata (`traceparent`, `tracestate`). The projector and the relay, other processes and
 * later, continue the trace from there. With tracing off, appends are passed on untouched.
 */
export function traceEventStore(store: EventStore): EventStore {
  const traced = <T>(appends: StreamAppend[], append: (appends: StreamAppend[]) => Promise<T>, lastPosition: (result: T) => GlobalPosition): Promise<T> => {
    if (!tracingEnabled()) return append(appends);
    // No stream id or receipt number as an attribute: traces leave the platform for a collector.
    const events = appends.reduce((n, a) => n + a.events.length, 0);
    return inSpan('event-store append', { kind: SpanKind.CLIENT, attributes: { 'event_store.events': events, 'event_store.streams': appends.length } }, async (span) => {
      const trace = traceContextOf(span);
      const withTrace = trace ? appends.map((a) => ({ ...a, events: a.events.map((event): EventToAppend => ({ ...event, metadata: { ...event.metadata, ...trace } })) })) : appends;
      const result = await append(withTrace);
      const { commit, prepare } = lastPosition(result);
      span.setAttribute('event_store.position', `${commit}:${prepare}`);
      return result;
    });
  };
  return withAppend(store, {
    appendToStream: (streamId, events, options) =>
      traced([{ streamId, events, expectedRevision: options.expectedRevision }], ([a]) => store.appendToStream(a.streamId, a.events, options), (result) => result.position),
    appendToStreams: (appends) => traced(appends, (withTrace) => store.appendToStreams(withTrace), (results) => results[results.length - 1].position),
  });
}
