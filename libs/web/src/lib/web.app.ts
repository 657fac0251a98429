import type { FastifyInstance, FastifyRequest } from 'fastify';
import { instrumentHttp, Metrics, traceHttp, registerLiveness, startOpsServer, type ReadinessCheck, type TrustedProxies } from '@case-status/http-support';
import { buildAssets, type SiteAssets } from './assets/build-assets';
import type { Language } from '@case-status/case-domain';
import type { PageContext } from './pages/page-context';
import { registerFeedbackRoutes } from './feedback/feedback.routes';
import { registerCaseRoutes } from './routes/case.routes';
import { notificationLinksThrough, registerNotificationLinkRoutes, registerNotificationRoutes, type NotificationLinkActions } from './routes/notifications.routes';
import { registerProcessingTimesRoutes } from './routes/processing-times.routes';
import { preferredLanguage } from './routes/render';
import { createSite, listenSite, type SiteServer } from './site';
import { httpTransport, inProcessTransport, StatusApiClient } from './api/status-api.client';
import { registerConsoleRoutes } from './console/console.routes';
import { registerMyCasesRoutes } from './my-cases/my-cases.routes';
import { registerMyClientsRoutes } from './my-clients/my-clients.routes';
import { loadSessions, registerIdentityRoutes, registerSignInCallback, viewerOf, type WebIdentityOptions } from './identity/identity.routes';

export interface WebAppOptions {
  /** The status API the server asks (GraphQL over HTTP), e.g. http://127.0.0.1:3002. */
  statusApiUrl: string;
  /**
   * The status API's Fastify instance when it runs in this process (the one-process
   * platform): the site's requests go into it through `inject` (no socket, the same hooks
   * and limits) instead of over HTTP to `statusApiUrl`, which then only names it to browsers.
   */
  statusApiInProcess?: Pick<FastifyInstance, 'inject'>;
  /**
   * The status API as browsers reach it, for live updates over graphql-ws; default
   * `statusApiUrl`. Differs when the site and the API sit behind a proxy.
   */
  publicStatusApiUrl?: string;
  /** Instants are shown in this time zone; default America/New_York. */
  timeZone?: string;
  /** Where built CSS and JavaScript are kept between starts; default `dist/web-assets`. */
  assetsCacheDir?: string;
  /** Already built assets (tests and the benchmark build once and share them). */
  assets?: SiteAssets;
  /**
   * The customer feedback survey a decided case links to (OMB A-11 Section 280), or null.
   * Without it the case page offers none.
   */
  feedbackSurvey?: (decidedCase: { receiptNumber: string; agency: string; formType: string; language: Language }) => string | null;
  /**
   * The proxies in front whose X-Forwarded-For is believed (Fastify's `trustProxy`): their
   * number (hops) or their addresses/CIDRs. Default none.
   */
  trustProxy?: TrustedProxies;
  /** Sent with each visitor's address so the status API believes it (the status API's `forwardingKey`). */
  statusApiForwardingKey?: string;
  /** Sign-in through an OpenID provider; without it the site has no sign-in and shows no link to it. */
  identity?: WebIdentityOptions;
  logger?: boolean;
  /** Requests are measured into these (served by the operations server); none without it. */
  metrics?: Metrics;
}

/** What the routes share. */
export interface WebDeps {
  api: StatusApiClient;
  /** What the confirm and unsubscribe links do: through `api`. */
  links: NotificationLinkActions;
  liveUrl: string;
  feedbackSurvey: NonNullable<WebAppOptions['feedbackSurvey']>;
  context(request: FastifyRequest, language: Language): PageContext;
}

/** The wss:// or ws:// URL of the status API's graphql-ws endpoint. */
function liveEndpoint(statusUrl: string): string {
  const url = new URL('/graphql', statusUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** The public website as a Fastify app, ready to listen (or to `inject` into). */
export async function createWebApp(options: WebAppOptions): Promise<FastifyInstance> {
  const assets = options.assets ?? (await buildAssets({ cacheDir: options.assetsCacheDir }));
  const liveUrl = liveEndpoint(options.publicStatusApiUrl ?? options.statusApiUrl);
  const { identity } = options;
  const { app, context, localized } = await createSite({
    assets,
    timeZone: options.timeZone ?? 'America/New_York',
    trustProxy: options.trustProxy,
    pageCsp: {
      // The status API's live updates.
      'connect-src': ["'self'", new URL(liveUrl).origin.replace(/^http/, 'ws')],
      // Signing out is a form whose answer redirects to the provider's end-session page.
      ...(identity && { 'form-action': ["'self'", identity.relyingParty.issuerOrigin] }),
    },
    viewer: identity && viewerOf,
    logger: options.logger,
  });

  const api = new StatusApiClient({
    transport: options.statusApiInProcess ? inProcessTransport(options.statusApiInProcess) : httpTransport(options.statusApiUrl),
    forwardingKey: options.statusApiForwardingKey,
  });
  const deps: WebDeps = {
    api,
    links: notificationLinksThrough(api),
    liveUrl,
    feedbackSurvey: options.feedbackSurvey ?? (() => null),
    context,
  };

  app.addHook('onClose', async () => deps.api.close());

  app.get('/', async (request, reply) => reply.redirect(`/${preferredLanguage(request.headers['accept-language'])}/`, 302));
  if (options.metrics) instrumentHttp(app, options.metrics, 'web');
  traceHttp(app, 'web');
  // Only liveness here: readiness and `/metrics` are on the operations server (startWebServer's `ops`).
  registerLiveness(app);

  if (identity) {
    loadSessions(app, identity, (path) => path.startsWith('/assets/') || path.startsWith(`${assets.uswdsPath}/`) || path.startsWith('/health/'));
    registerSignInCallback(app, deps, identity);
  }
  await localized((site) => {
    if (identity) {
      registerIdentityRoutes(site, deps, identity);
      registerConsoleRoutes(site, deps);
      registerMyCasesRoutes(site, deps, identity);
      registerMyClientsRoutes(site, deps, identity);
    }
    registerCaseRoutes(site, deps);
    registerNotificationRoutes(site, deps);
    registerProcessingTimesRoutes(site, deps);
    registerFeedbackRoutes(site, deps, identity);
  });
  // The links in emails have no language prefix.
  registerNotificationLinkRoutes(app, deps, { unprefixed: true });
  return app;
}

export interface WebServerOptions extends WebAppOptions {
  /** 0 picks a free port; default 3003. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve readiness and `/metrics` on this operations server (0 picks a free port); none without it (the platform serves one for all its parts). */
  ops?: { port: number; host: string };
}

export interface WebServer extends SiteServer {
  /** The operations server (`/health/ready`, `/metrics`), or null without `ops`. */
  opsUrl: string | null;
}

/**
 * Ready while the status API it asks answers (its public `/health/live`, the only operations
 * route it serves publicly); the status API's own readiness is its operator's load balancer's.
 */
function statusApiCheck(statusApiUrl: string): ReadinessCheck {
  return {
    name: 'status-api',
    check: async () => {
      const { status } = await fetch(new URL('/health/live', statusApiUrl), { signal: AbortSignal.timeout(2_000) });
      return status === 200 ? { status: 'up' } : { status: 'down', detail: `the status API answered ${status} to /health/live` };
    },
  };
}

/** Builds the assets if needed and serves the site; what `apps/web` and the one-process platform call. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const app = await createWebApp(options);
  const ops = options.ops
    ? await startOpsServer({ checks: [statusApiCheck(options.statusApiUrl)], metrics: options.metrics ?? new Metrics(), name: 'web-ops', ...options.ops }).catch(async (error: unknown) => {
        await app.close();
        throw error;
      })
    : undefined;
  try {
    const site = await listenSite(app, options.port ?? 3003, options.host ?? '127.0.0.1');
    return {
      url: site.url,
      opsUrl: ops?.url ?? null,
      close: async () => {
        await ops?.close();
        await site.close();
      },
    };
  } catch (error) {
    await ops?.close().catch(() => undefined);
    throw error;
  }
}
