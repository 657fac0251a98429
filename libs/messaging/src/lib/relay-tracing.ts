import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { SpanKind, endWithError, readTraceContext, startSpan, traceContextOf, tracingEnabled, type Span } from '@case-status/logging';
import type { CaseStatusChange, CaseStatusPublisher } from './case-status-publisher.port';

/**
 * Publishes a batch with one `send case.status-changed.v1` span per change that carries the
 * trace context stored with its event (a child of the append's span), and sends that span's
 * context on the record instead (`ce_traceparent`), so the notifier continues the trace from
 * the publish. Every attempt of a retried batch has its spans; a failed one is marked an error.
 * With tracing off, publishes the batch as it is.
 */
export async function publishTraced(publisher: CaseStatusPublisher, changes: readonly CaseStatusChange[]): Promise<void> {
  if (!tracingEnabled()) return publisher.publish(changes);
  const spans: Span[] = [];
  const sent = changes.map((change): CaseStatusChange => {
    const stored = readTraceContext(change.attributes.traceparent, change.attributes.tracestate);
    if (!stored) return change;
    const span = startSpan(`send ${CASE_STATUS_CHANGED_V1.topic}`, {
      kind: SpanKind.PRODUCER,
      parent: stored,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': CASE_STATUS_CHANGED_V1.topic,
        'messaging.message.id': change.attributes.id,
        'event.type': change.data.eventType,
      },
    });
    spans.push(span);
    // The publish span's context replaces the stored one (a tracestate included).
    const attributes = { ...change.attributes };
    delete attributes.tracestate;
    return { ...change, attributes: { ...attributes, ...traceContextOf(span) } };
  });
  try {
    await publisher.publish(sent);
  } catch (error) {
    spans.forEach((span) => endWithError(span, error));
    throw error;
  }
  spans.forEach((span) => span.end());
}
