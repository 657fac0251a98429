import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { SpanKind, inSpan, linkTo, readTraceContext, startSpan, startTracing, traceContextOf, tracingEnabled, type Tracing } from './tracing';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('with tracing off (the default)', () => {
  it('runs the work, records nothing and gives no trace context to store or send', async () => {
    expect(tracingEnabled()).toBe(false);
    const seen = await inSpan('append', {}, async (span) => ({ recording: span.isRecording(), context: traceContextOf(span) }));
    expect(seen).toEqual({ recording: false, context: undefined });
    expect(traceContextOf(startSpan('publish', { parent: { traceparent: TRACEPARENT } }))).toBeUndefined();
  });
});

describe('readTraceContext', () => {
  it('keeps a well-formed traceparent and tracestate', () => {
    expect(readTraceContext(TRACEPARENT, 'vendor=abc')).toEqual({ traceparent: TRACEPARENT, tracestate: 'vendor=abc' });
    expect(readTraceContext(TRACEPARENT)).toEqual({ traceparent: TRACEPARENT });
  });

  it.each([
    ['not text', 42],
    ['empty', ''],
    ['garbage', 'hello'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-b7ad6b7169203331-01'],
    ['an all-zero span id', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01'],
    ['version ff', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['too long', `${TRACEPARENT}-${'a'.repeat(5000)}`],
  ])('reads %s as no trace context', (_what, value) => {
    expect(readTraceContext(value)).toBeUndefined();
  });

  it('drops a tracestate that is not well-formed but keeps the traceparent', () => {
    expect(readTraceContext(TRACEPARENT, 'not a list entry!')).toEqual({ traceparent: TRACEPARENT });
  });
});

describe('with tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(() => (tracing = startTracing({ serviceName: 'tracing-spec', exporter })));
  afterAll(() => tracing.stop());
  beforeEach(() => exporter.reset());

  it('refuses to start twice in one process', () => {
    expect(() => startTracing({ serviceName: 'again', exporter })).toThrow('already started');
  });

  it('continues a stored trace context: same trace, the stored span as parent', async () => {
    const stored = await inSpan('append', { kind: SpanKind.CLIENT }, async (span) => traceContextOf(span));
    expect(stored?.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const child = await inSpan('projection', { parent: stored }, async (span) => span.spanContext());
    await tracing.flush();
    const [append, projection] = exporter.getFinishedSpans();
    expect(projection.spanContext().traceId).toBe(append.spanContext().traceId);
    expect(projection.parentSpanContext?.spanId).toBe(append.spanContext().spanId);
    expect(child.traceId).toBe(append.spanContext().traceId);
  });

  it('makes the span active for what the work awaits, so a nested span is its child', async () => {
    await inSpan('outer', {}, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await inSpan('inner', {}, async () => undefined);
    });
    await tracing.flush();
    const [inner, outer] = exporter.getFinishedSpans();
    expect(inner.parentSpanContext?.spanId).toBe(outer.spanContext().spanId);
  });

  it('marks a span whose work throws as an error, without the email address in the message, and rethrows', async () => {
    await expect(
      inSpan('deliver', {}, async () => {
        throw new TypeError('550 <maria@example.org> rejected');
      }),
    ).rejects.toThrow('550 <maria@example.org> rejected');
    await tracing.flush();
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: '550 <[address]> rejected' });
    expect(span.attributes['error.type']).toBe('TypeError');
  });

  it('links to a context without continuing it', async () => {
    await inSpan('request', { links: linkTo({ traceparent: TRACEPARENT }) }, async () => undefined);
    await tracing.flush();
    const [span] = exporter.getFinishedSpans();
    expect(span.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links.map((link) => link.context.traceId)).toEqual(['0af7651916cd43dd8448eb211c80319c']);
    expect(linkTo(undefined)).toEqual([]);
    expect(linkTo({ traceparent: 'junk' })).toEqual([]);
  });
});
