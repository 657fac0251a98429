import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SpanKind, endWithError, linkTo, readTraceContext, startSpan, tracingEnabled, withActiveSpan, type Span } from '@case-status/logging';

/**
 * One `SERVER` span per request of `app`, named by method and route template (never the path:
 * paths carry receipt numbers), active for the handler so what it calls (the event store's
 * append) is its child. A `traceparent` sent by the caller (an agency's system) is linked, not
 * continued: a caller does not get to choose our trace ids, nor to pass its `tracestate` on
 * to webhook receivers downstream. With tracing off, no hook does anything.
 */
export function traceHttp(app: FastifyInstance, server: string): void {
  const spans = new WeakMap<FastifyRequest, Span>();
  app.addHook('onRequest', (request, _reply, done) => {
    if (tracingEnabled()) {
      const caller = readTraceContext(request.headers.traceparent);
      const route = request.routeOptions.url ?? 'unmatched';
      spans.set(
        request,
        startSpan(`${request.method} ${route}`, {
          kind: SpanKind.SERVER,
          links: linkTo(caller, { 'link.reason': 'caller' }),
          attributes: { 'http.request.method': request.method, 'http.route': route, 'case_status.server': server },
        }),
      );
    }
    done();
  });
  // After the body is parsed: the handler runs (and awaits) inside the span.
  app.addHook('preHandler', (request, _reply, done) => {
    const span = spans.get(request);
    if (span) withActiveSpan(span, done);
    else done();
  });
  app.addHook('onResponse', async (request, reply) => {
    const span = spans.get(request);
    if (!span) return;
    spans.delete(request);
    span.setAttribute('http.response.status_code', reply.statusCode);
    if (reply.statusCode >= 500) endWithError(span, new Error(`HTTP ${reply.statusCode}`));
    else span.end();
  });
  app.addHook('onRequestAbort', async (request) => {
    const span = spans.get(request);
    spans.delete(request);
    span?.end();
  });
}
