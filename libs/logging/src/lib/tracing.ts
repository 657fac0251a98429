import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import { redactEmailAddresses } from './redact';

export { SpanKind };
export type { Span };

/**
 * A span's W3C trace context (https://www.w3.org/TR/trace-context/) as text: what is stored in
 * an event's metadata, carried on a Kafka record as the CloudEvents distributed-tracing
 * extension (`ce_traceparent`, `ce_tracestate`), kept with a queued delivery and sent as the
 * `traceparent` header of a webhook.
 */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

export interface TracingOptions {
  /** `service.name` of every span (e.g. `intake-api`). */
  serviceName: string;
  /** `otlp`: OTLP/HTTP to `OTEL_EXPORTER_OTLP_ENDPOINT` (the exporter reads the standard variables); or an exporter of the caller's. */
  exporter: 'otlp' | SpanExporter;
}

/** The process's tracing, once started. */
export interface Tracing {
  /** Exports every span ended so far. */
  flush(): Promise<void>;
  /** Exports what is left and stops tracing: spans started after are not recorded. */
  stop(): Promise<void>;
}

const TRACER_NAME = 'case-status';
const propagator = new W3CTraceContextPropagator();
let provider: TracerProvider | undefined;

/**
 * Starts tracing for this process: spans are recorded and exported in batches, the active span
 * follows async calls, and trace contexts are read and written as W3C `traceparent`. Until it
 * is called (tracing is off by default) every helper here does nothing and costs nothing.
 * One per process: a second call while one runs is refused.
 */
export function startTracing(options: TracingOptions): Tracing {
  if (provider) throw new Error('tracing is already started in this process');
  const exporter = options.exporter === 'otlp' ? new OTLPTraceExporter() : options.exporter;
  const started = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(propagator);
  trace.setGlobalTracerProvider(started);
  provider = started;
  return {
    flush: () => started.forceFlush(),
    stop: async () => {
      if (provider !== started) return;
      provider = undefined;
      await started.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

/** Whether spans are being recorded in this process. */
export function tracingEnabled(): boolean {
  return provider !== undefined;
}

export interface SpanStart {
  kind?: SpanKind;
  /**
   * The span continues this trace (e.g. one stored with an event); `'none'` starts a new trace
   * whatever is active (work that no single request caused: a projection batch); left out, the
   * active span's trace, or a new one.
   */
  parent?: TraceContext | 'none';
  /** Spans this one follows from without being their child (a batch's events, a caller not trusted as parent). */
  links?: readonly Link[];
  attributes?: Attributes;
}

/**
 * Runs `work` in a new span, active for everything `work` awaits: ended when `work` settles,
 * marked as an error (with the error's message, email addresses redacted) when it throws.
 * With tracing off, runs `work` with a span that records nothing.
 */
export async function inSpan<T>(name: string, start: SpanStart, work: (span: Span) => Promise<T>): Promise<T> {
  if (!provider) return work(trace.wrapSpanContext(INVALID));
  const span = startSpan(name, start);
  try {
    const result = await withActiveSpan(span, () => work(span));
    span.end();
    return result;
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
}

/** A span the caller ends (`span.end()`, or `endWithError`), for work that does not fit one call. Records nothing with tracing off. */
export function startSpan(name: string, start: SpanStart): Span {
  if (!provider) return trace.wrapSpanContext(INVALID);
  const parent = start.parent === 'none' ? ROOT_CONTEXT : start.parent ? contextOf(start.parent) : context.active();
  return trace.getTracer(TRACER_NAME).startSpan(name, { kind: start.kind ?? SpanKind.INTERNAL, links: start.links ? [...start.links] : undefined, attributes: start.attributes }, parent);
}

/** Runs `work` with `span` active: spans started inside it (and what it awaits) are its children. */
export function withActiveSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Marks the span as failed, names the error's type and ends it. */
export function endWithError(span: Span, error: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: redactEmailAddresses(error instanceof Error ? error.message : String(error)).slice(0, 500) });
  span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
  span.end();
}

/** The trace context of `span` (default: the active one), or undefined when there is none (tracing off). */
export function traceContextOf(span: Span | undefined = trace.getActiveSpan()): TraceContext | undefined {
  if (!provider || !span || !trace.isSpanContextValid(span.spanContext())) return undefined;
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, { set: (c, key, value) => (c[key] = value) });
  return carrier['traceparent'] ? { traceparent: carrier['traceparent'], ...(carrier['tracestate'] ? { tracestate: carrier['tracestate'] } : {}) } : undefined;
}

/**
 * The trace context carried by untrusted text (a record's headers, a stored row): only a
 * well-formed `traceparent` is kept (and then a well-formed `tracestate`); anything else reads
 * as none. The W3C propagator does the parsing.
 */
export function readTraceContext(traceparent: unknown, tracestate?: unknown): TraceContext | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const remote = spanContextOf({ traceparent, tracestate: typeof tracestate === 'string' ? tracestate : undefined });
  if (!remote) return undefined;
  const state = remote.traceState?.serialize();
  return { traceparent: traceparent.trim(), ...(state ? { tracestate: state } : {}) };
}

/** A link to the span a trace context names, or none when it names none: how a batch refers to what it covers, or a span to a caller it does not continue. */
export function linkTo(carrier: TraceContext | undefined, attributes?: Attributes): Link[] {
  const remote = carrier && spanContextOf(carrier);
  return remote ? [{ context: remote, attributes }] : [];
}

/** The ids the logs carry: those of the active span, when one records. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  if (!provider) return undefined;
  const active = trace.getActiveSpan()?.spanContext();
  return active && trace.isSpanContextValid(active) ? { traceId: active.traceId, spanId: active.spanId } : undefined;
}

function contextOf(carrier: TraceContext): Context {
  return propagator.extract(ROOT_CONTEXT, carrier, {
    get: (c, key) => (key === 'traceparent' ? c.traceparent : key === 'tracestate' ? c.tracestate : undefined),
    keys: () => ['traceparent', 'tracestate'],
  });
}

function spanContextOf(carrier: TraceContext): SpanContext | undefined {
  const remote = trace.getSpanContext(contextOf(carrier));
  return remote && trace.isSpanContextValid(remote) ? remote : undefined;
}

const INVALID: SpanContext = { traceId: '00000000000000000000000000000000', spanId: '0000000000000000', traceFlags: 0 };
