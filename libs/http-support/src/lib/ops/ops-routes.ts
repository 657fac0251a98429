import Fastify, { type FastifyInstance } from 'fastify';
import { listeningUrl } from '../listening-url';
import { registerSecurityHeaders } from '../security-headers';
import { LATENCY_BUCKETS, type Metrics } from './metrics';
import { checkReadiness, type HealthAnswer, type ReadinessCheck } from './readiness';

/** Liveness: the process answers. It never depends on the database, so a restart of it does not get the process killed. */
const LIVE: HealthAnswer = { status: 'ok', info: {}, error: {}, details: {} };

/**
 * Counts every answer of `app` by route template (never the path itself: paths carry receipt
 * numbers and link tokens), method and status, with its duration; 429s are also counted as
 * rate-limit refusals. `server` names the surface (`intake`, `status`, `web`, ...).
 */
export function instrumentHttp(app: FastifyInstance, metrics: Metrics, server: string): void {
  const requests = metrics.histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests answered, by server, route template, method and status code, with their duration.',
    labelNames: ['server', 'route', 'method', 'status_code'],
    buckets: LATENCY_BUCKETS,
  });
  const refusals = metrics.counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused by a rate limit (HTTP 429 or a coded GraphQL refusal), by server and route template.',
    labelNames: ['server', 'route'],
  });
  app.addHook('onResponse', async (request, reply) => {
    // Unmatched paths are one series: a 404 for every made-up path must not add one each.
    const route = request.routeOptions.url ?? 'unmatched';
    const method = KNOWN_METHODS.has(request.method) ? request.method : 'OTHER';
    requests.observe({ server, route, method, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    if (reply.statusCode === 429) refusals.inc({ server, route });
  });
}

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface OpsRoutesOptions {
  /** What readiness depends on; none means ready while the process answers. */
  checks: readonly ReadinessCheck[];
  /** Serve `/metrics` from these; no `/metrics` without it. */
  metrics?: Metrics;
  /** Also serve `/health/live` and `/health/ready` (the Nest apps serve them through `@nestjs/terminus`). Default true. */
  health?: boolean;
}

/** `GET /metrics` (Prometheus' text format) and, unless `health: false`, `GET /health/live` and `GET /health/ready` (200 or 503). */
export function registerOpsRoutes(app: FastifyInstance, options: OpsRoutesOptions): void {
  const { checks, metrics } = options;
  if (metrics) {
    app.get('/metrics', async (_request, reply) => {
      const body = await metrics.scrape();
      return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(body);
    });
  }
  if (options.health === false) return;
  app.get('/health/live', async (_request, reply) => reply.header('cache-control', 'no-store').send(LIVE));
  app.get('/health/ready', async (_request, reply) => {
    const answer = await checkReadiness(checks);
    return reply
      .code(answer.status === 'ok' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(answer);
  });
}

export interface OpsServer {
  /** e.g. `http://127.0.0.1:9464`: `/health/live`, `/health/ready`, `/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * The small HTTP server of a service that has no other (projector, relay, notifier): health
 * and metrics only, on `HEALTH_PORT`. 0 picks a free port.
 */
export async function startOpsServer(options: Omit<OpsRoutesOptions, 'health'> & { metrics: Metrics; port: number; host: string; name: string }): Promise<OpsServer> {
  const app = Fastify({ logger: false });
  try {
    await registerSecurityHeaders(app, { defaultCacheControl: 'no-store' });
    instrumentHttp(app, options.metrics, options.name);
    registerOpsRoutes(app, options);
    await app.listen({ port: options.port, host: options.host });
    return { url: listeningUrl(app.server, options.host), close: () => app.close() };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}
