import type { ReceivedCaseStatusChange } from '@case-status/integration-events';
import { SpanKind, endWithError, inSpan, readTraceContext, startSpan, traceContextOf, tracingEnabled, type Span } from '@case-status/logging';
import type { ClaimedDelivery } from './delivery-store';

/**
 * Records consumed changes with one `process case.status-changed.v1` span per change whose
 * record carried a well-formed trace context (a child of the relay's publish span). What is
 * queued keeps that span's context, not the one received, so the delivery (later, maybe in
 * another instance) continues from the consumption. A received context that is not
 * well-formed is dropped. With tracing off, records the changes as they are, without one.
 */
export async function recordTraced<T>(changes: readonly ReceivedCaseStatusChange[], topic: string, record: (changes: readonly ReceivedCaseStatusChange[]) => Promise<T>): Promise<T> {
  if (!tracingEnabled()) return record(changes.map(withoutTrace));
  const spans: Span[] = [];
  const traced = changes.map((received): ReceivedCaseStatusChange => {
    const change = withoutTrace(received);
    const parent = readTraceContext(received.trace?.traceparent, received.trace?.tracestate);
    if (!parent) return change;
    const span = startSpan(`process ${topic}`, {
      kind: SpanKind.CONSUMER,
      parent,
      attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': topic, 'messaging.message.id': change.eventId },
    });
    spans.push(span);
    const own = traceContextOf(span);
    return own ? { ...change, trace: own } : change;
  });
  try {
    const result = await record(traced);
    spans.forEach((span) => span.end());
    return result;
  } catch (error) {
    spans.forEach((span) => endWithError(span, error));
    throw error;
  }
}

/** The change without the trace context it was received with: only one the notifier made is kept. */
function withoutTrace(change: ReceivedCaseStatusChange): ReceivedCaseStatusChange {
  const kept = { ...change };
  delete kept.trace;
  return kept;
}

/**
 * Runs one delivery attempt in a `deliver <channel>` span continuing the trace kept with the
 * queued change; the webhook sender sends this span's `traceparent`. No address, URL or
 * subscriber as an attribute: traces leave the platform for a collector.
 */
export function deliverTraced(delivery: ClaimedDelivery, send: () => Promise<void>): Promise<void> {
  if (!tracingEnabled()) return send();
  const attributes = { 'notification.channel': delivery.target.channel, 'notification.attempt': delivery.attempts, 'messaging.message.id': delivery.change.eventId };
  return inSpan(`deliver ${delivery.target.channel}`, { kind: SpanKind.CLIENT, parent: delivery.change.trace ?? 'none', attributes }, send);
}
