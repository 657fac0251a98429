import type { Server } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import { listeningUrl } from '../listening-url';
import { registerSecurityHeaders } from '../security-headers';
import { LATENCY_BUCKETS, type Metrics } from './metrics';
import { checkReadiness, type ReadinessCheck } from './readiness';

/**
 * `GET /health/live`: `{"status":"ok"}` while the process answers, nothing else. It never
 * depends on the database, so a restart of it does not get the process killed. The only
 * operations route a public port (intake, status API, website) serves; readiness and metrics
 * are on the operations server (`startOpsServer`).
 */
export function registerLiveness(app: FastifyInstance): void {
  app.get('/health/live', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));
}

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

export interface OpsServerOptions {
  /** What readiness depends on; none means ready while the process answers. */
  checks: readonly ReadinessCheck[];
  /** Served at `/metrics`; the server's own requests are counted into it under `server` = `name`. */
  metrics: Metrics;
  /** 0 picks a free port. */
  port: number;
  host: string;
  name: string;
}

/** `GET /metrics` (Prometheus' text format), `GET /health/live` and `GET /health/ready` (200 or 503, every check named). */
function registerOpsRoutes(app: FastifyInstance, options: OpsServerOptions): void {
  const { checks, metrics } = options;
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.scrape();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(body);
  });
  registerLiveness(app);
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
 * The operations server of every service: readiness with its details and metrics, for the
 * operator's load balancer and scraper only (`HEALTH_PORT` of the projector, relay and
 * notifier; `OPS_PORT` of the intake API, status API and website; `opsPort` of the platform).
 * Never routed from the internet: it names checks, lag and request counts.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
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

/** An application listening on its public port, and its operations server when it has one. */
export interface ServedApp {
  url: string;
  /** The operations server, or null when the app was served without one. */
  opsUrl: string | null;
  /** Closes the operations server, then the application. */
  stop(): Promise<void>;
}

/**
 * Serves a Nest application on its public port, with its operations server when `ops` is given
 * (the one-process platform serves one for all its parts instead). If either cannot listen,
 * both are closed before the error is thrown.
 */
export async function serveApp(
  app: { listen(port: number, host: string): Promise<unknown>; getHttpServer(): Pick<Server, 'address'>; close(): Promise<unknown> },
  at: { port: number; host: string },
  ops?: OpsServerOptions,
): Promise<ServedApp> {
  let opsServer: OpsServer | undefined;
  try {
    if (ops) opsServer = await startOpsServer(ops);
    await app.listen(at.port, at.host);
    return {
      url: listeningUrl(app.getHttpServer(), at.host),
      opsUrl: opsServer?.url ?? null,
      stop: async () => {
        await opsServer?.close();
        await app.close();
      },
    };
  } catch (error) {
    await opsServer?.close().catch(() => undefined);
    await app.close().catch(() => undefined);
    throw error;
  }
}
