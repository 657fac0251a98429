import Fastify, { type FastifyInstance } from 'fastify';
import { SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { inSpan, startTracing, traceContextOf, type Tracing } from '@case-status/logging';
import { traceHttp } from './http-tracing';

const CALLER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let app: FastifyInstance;
let seenInHandler: string | undefined;

beforeAll(async () => {
  tracing = startTracing({ serviceName: 'http-tracing-spec', exporter });
  app = Fastify({ logger: false });
  traceHttp(app, 'intake');
  app.post('/v1/cases/:receiptNumber/events', async (request) => {
    // Awaiting after the body was parsed: the request's span is still the active one.
    await new Promise((resolve) => setImmediate(resolve));
    return inSpan('event-store append', {}, async (span) => {
      seenInHandler = traceContextOf(span)?.traceparent;
      return { received: (request.body as { type: string }).type };
    });
  });
  app.get('/broken', async () => {
    throw new Error('database gone');
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await tracing.stop();
});
beforeEach(() => exporter.reset());

async function spans() {
  await tracing.flush();
  return exporter.getFinishedSpans();
}

describe('traceHttp', () => {
  it('gives each request a server span named by route template, the parent of what the handler does', async () => {
    const answer = await app.inject({ method: 'POST', url: '/v1/cases/IOE0912345678/events', payload: { type: 'CaseReceived' } });
    expect(answer.statusCode).toBe(200);
    const [append, request] = await spans();
    expect(request.name).toBe('POST /v1/cases/:receiptNumber/events');
    expect(request.attributes).toEqual({ 'http.request.method': 'POST', 'http.route': '/v1/cases/:receiptNumber/events', 'case_status.server': 'intake', 'http.response.status_code': 200 });
    expect(append.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(seenInHandler).toContain(request.spanContext().traceId);
    expect(JSON.stringify([request.name, request.attributes])).not.toContain('IOE0912345678');
  });

  it("links a caller's traceparent and starts a trace of its own", async () => {
    await app.inject({
      method: 'POST',
      url: '/v1/cases/IOE0912345678/events',
      payload: { type: 'CaseReceived' },
      headers: { traceparent: `00-${CALLER_TRACE_ID}-00f067aa0ba902b7-01`, tracestate: 'agency=secret' },
    });
    const [append, request] = await spans();
    expect(request.spanContext().traceId).not.toBe(CALLER_TRACE_ID);
    expect(request.parentSpanContext).toBeUndefined();
    expect(request.links.map((link) => link.context.traceId)).toEqual([CALLER_TRACE_ID]);
    expect(append.spanContext().traceState).toBeUndefined();
  });

  it('ignores a malformed traceparent', async () => {
    await app.inject({ method: 'POST', url: '/v1/cases/IOE0912345678/events', payload: { type: 'CaseReceived' }, headers: { traceparent: 'x'.repeat(4000) } });
    const [, request] = await spans();
    expect(request.links).toEqual([]);
  });

  it('marks a 5xx answer as an error and names unmatched paths as one route', async () => {
    expect((await app.inject({ method: 'GET', url: '/broken' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/no/such/IOE0912345678' })).statusCode).toBe(404);
    const [broken, unmatched] = await spans();
    expect(broken.status).toEqual({ code: SpanStatusCode.ERROR, message: 'HTTP 500' });
    expect(unmatched.name).toBe('GET unmatched');
    expect(unmatched.status.code).toBe(SpanStatusCode.UNSET);
  });
});
