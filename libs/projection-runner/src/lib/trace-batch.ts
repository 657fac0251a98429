import type { RecordedEvent } from '@case-status/event-contract';
import { endWithError, inSpan, linkTo, readTraceContext, startSpan, traceContextOf, tracingEnabled, type Span } from '@case-status/logging';

/**
 * Runs one projection batch in a `projection batch <name>` span linked to the events it covers,
 * and gives each event that carries a trace context (stored with it at the append) a
 * `projection apply <name>` span in that event's trace, linked to the batch: the trace of an
 * intake request shows when its events were projected. The event spans last as long as the
 * batch, whose transaction applies them together. With tracing off, just runs the batch.
 */
export function traceBatch<T>(projection: string, events: readonly RecordedEvent[], work: () => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return work();
  const carried = events.flatMap((event) => {
    const trace = readTraceContext(event.metadata['traceparent'], event.metadata['tracestate']);
    return trace ? [{ event, trace }] : [];
  });
  const attributes = { 'projection.name': projection, 'projection.events': events.length };
  return inSpan(`projection batch ${projection}`, { parent: 'none', attributes, links: carried.flatMap(({ trace }) => linkTo(trace)) }, async (batch) => {
    const eventSpans: Span[] = carried.map(({ event, trace }) =>
      startSpan(`projection apply ${projection}`, {
        parent: trace,
        links: linkTo(traceContextOf(batch)),
        attributes: { 'projection.name': projection, 'event.type': event.type, 'event.id': event.id },
      }),
    );
    try {
      const result = await work();
      eventSpans.forEach((span) => span.end());
      return result;
    } catch (error) {
      eventSpans.forEach((span) => endWithError(span, error));
      throw error;
    }
  });
}
