/**
 * One trace from an agency's intake request to the webhook POST, on the real parts: the intake
 * HTTP app, the PostgreSQL event store, the case read models' projection runner, the relay to
 * the Kafka broker, the notifier consuming the topic and a webhook receiver over HTTP. Spans
 * are collected by the OpenTelemetry SDK's in-memory exporter (in place of an OTLP collector).
 * The parts share this process, but each continues the trace only from what travelled with
 * the event: its metadata in the store, the Kafka record's `ce_traceparent`, the notifier's
 * queued row, the webhook's `traceparent` header.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { SpanKind } from '@opentelemetry/api';
import { startTracing, type Tracing } from '@case-status/logging';
import { ProjectionRunner } from '@case-status/projection-runner';
import { caseReadModels } from '@case-status/read-models';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import { aCaseLife, eventually, FanoutHarness, newReceiptNumber, type Flow } from './fixtures/fanout-harness';

jest.setTimeout(60_000);

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
const harness = new FanoutHarness();

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'fanout-e2e', exporter });
  await harness.start();
}, 120_000);
afterAll(async () => {
  await harness.stop();
  await tracing.stop();
});

/** The agency's own trace: intake links to it and never continues it. */
const AGENCY_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const AGENCY_HEADERS = { traceparent: `00-${AGENCY_TRACE_ID}-00f067aa0ba902b7-01`, tracestate: 'agency=internal-queue-7' };

const named = (spans: readonly ReadableSpan[], name: string) => spans.filter((span) => span.name === name);
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

async function finishedSpans(): Promise<ReadableSpan[]> {
  await tracing.flush();
  return exporter.getFinishedSpans();
}

describe('one intake request, traced to the webhook it causes', () => {
  let flow: Flow;
  let projector: ProjectionRunner;
  const receiptNumber = newReceiptNumber();
  let path: string;

  beforeAll(async () => {
    flow = await harness.flow('traces');
    path = await flow.webhook('/hook', receiptNumber);
    await flow.startRelay();
    projector = new ProjectionRunner(caseReadModels, { pool: harness.pool, source: flow.store, schema: `${flow.eventSchema}_rm`, pollIntervalMs: 50 });
    harness.onStop(() => harness.pool.query(`DROP SCHEMA IF EXISTS "${flow.eventSchema}_rm" CASCADE`));
    await projector.init();
    const running = projector.start();
    harness.onStop(async () => {
      await projector.stop();
      await running;
    });
  }, 120_000);

  it('gives intake, append, projection, relay publish, notifier and webhook delivery spans of one trace, and the receiver its traceparent', async () => {
    const [received] = aCaseLife();
    const answer = await flow.post(receiptNumber, received, { headers: AGENCY_HEADERS });
    expect(answer.status).toBe(201);
    await harness.receiver.until(() => harness.receiver.at(path).length === 1);
    const spans = await eventually(finishedSpans, (all) => named(all, 'deliver webhook').length === 1 && named(all, 'projection apply case-read-models').length >= 1);

    const [intake] = named(spans, 'POST /v1/cases/:receiptNumber/events');
    expect(intake).toBeDefined();
    const traceId = intake.spanContext().traceId;
    const ofTrace = spans.filter((span) => span.spanContext().traceId === traceId);
    const one = (name: string) => {
      const found = named(ofTrace, name);
      expect(found.map((span) => span.name)).toEqual([name]);
      return found[0];
    };
    const append = one('event-store append');
    const projection = one('projection apply case-read-models');
    const publish = one(`send ${CASE_STATUS_CHANGED_V1.topic}`);
    const consume = one(`process ${CASE_STATUS_CHANGED_V1.topic}`);
    const deliver = one('deliver webhook');

    // Each continues the one before it, across the store, Kafka and the notifier's queue.
    expect(parentOf(intake)).toBeUndefined();
    expect(parentOf(append)).toBe(intake.spanContext().spanId);
    expect(parentOf(projection)).toBe(append.spanContext().spanId);
    expect(parentOf(publish)).toBe(append.spanContext().spanId);
    expect(parentOf(consume)).toBe(publish.spanContext().spanId);
    expect(parentOf(deliver)).toBe(consume.spanContext().spanId);
    expect([intake.kind, append.kind, publish.kind, consume.kind, deliver.kind]).toEqual([SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER, SpanKind.CLIENT]);
    expect(intake.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.route': '/v1/cases/:receiptNumber/events', 'http.response.status_code': 201 });
    expect(deliver.attributes).toMatchObject({ 'notification.channel': 'webhook', 'notification.attempt': 1, 'messaging.message.id': received.eventId });

    // The projection batch is a trace of its own, linked to the events it covered.
    const [batch] = named(spans, 'projection batch case-read-models').filter((span) => span.links.some((link) => link.context.spanId === append.spanContext().spanId));
    expect(batch.spanContext().traceId).not.toBe(traceId);
    expect(projection.links.map((link) => link.context.spanId)).toEqual([batch.spanContext().spanId]);

    // The trace context travelled with the event: in the store, on the record, in the header.
    const [stored] = await flow.store.readStream(`case-USCIS-${receiptNumber}`);
    expect(stored.metadata['traceparent']).toBe(`00-${traceId}-${append.spanContext().spanId}-01`);
    const [webhook] = harness.receiver.at(path);
    expect(webhook.verified.ok).toBe(true);
    expect(webhook.headers['traceparent']).toBe(`00-${traceId}-${deliver.spanContext().spanId}-01`);

    // Nothing names the case or a person: no receipt number in any span of the trace.
    for (const span of ofTrace) expect(JSON.stringify({ name: span.name, attributes: span.attributes })).not.toContain(receiptNumber);
  });

  it("links the agency's traceparent but never continues it, and passes none of its tracestate on", async () => {
    const spans = await finishedSpans();
    const [intake] = named(spans, 'POST /v1/cases/:receiptNumber/events');
    expect(intake.spanContext().traceId).not.toBe(AGENCY_TRACE_ID);
    expect(intake.links.map((link) => link.context.traceId)).toEqual([AGENCY_TRACE_ID]);
    expect(spans.filter((span) => span.spanContext().traceId === AGENCY_TRACE_ID)).toEqual([]);
    const [stored] = await flow.store.readStream(`case-USCIS-${receiptNumber}`);
    expect(JSON.stringify(stored.metadata)).not.toContain('agency=');
    const [webhook] = harness.receiver.at(path);
    expect(webhook.headers['tracestate']).toBeUndefined();
    expect(JSON.stringify(webhook.headers)).not.toContain(AGENCY_TRACE_ID);
  });
});
