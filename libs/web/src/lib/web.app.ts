import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { fastifyTrustProxy, registerSecurityHeaders, type TrustedProxies } from '@case-status/http-support';
import { buildAssets, type SiteAssets } from './assets/build-assets';
import { isLanguage, type Language } from '@case-status/case-domain';
import { MESSAGES } from './i18n/messages';
import type { PageContext } from './pages/page-context';
import { registerFeedbackRoutes } from './feedback/feedback.routes';
import { registerCaseRoutes } from './routes/case.routes';
import { registerNotificationRoutes } from './routes/notifications.routes';
import { registerProcessingTimesRoutes } from './routes/processing-times.routes';
import { pageNotFound, preferredLanguage, sendHtml, sendProblemPage } from './routes/render';
import { httpTransport, inProcessTransport, StatusApiClient } from './api/status-api.client';

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
  logger?: boolean;
}

/** What the routes share. */
export interface WebDeps {
  api: StatusApiClient;
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
  const timeZone = options.timeZone ?? 'America/New_York';
  const app = Fastify({ logger: options.logger ?? false, trustProxy: fastifyTrustProxy(options.trustProxy) });

  await app.register(compress, {
    global: true,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    // Pages are made per request: a fast Brotli level compresses them nearly as well at a fraction of the CPU.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(formbody);
  // RFC 8058 one-click unsubscribe may come as multipart; its body says nothing the URL does not.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));

  const immutable = { immutable: true, maxAge: '365d', cacheControl: true } as const;
  await app.register(fastifyStatic, { root: assets.dir, prefix: '/assets/', preCompressed: true, ...immutable, index: false, allowedPath: (path) => !path.endsWith('manifest.json') });
  for (const kind of ['fonts', 'img'] as const) {
    await app.register(fastifyStatic, { root: `${assets.uswdsDist}/${kind}`, prefix: `${assets.uswdsPath}/${kind}/`, decorateReply: false, index: false, ...immutable });
  }

  // The shared page policy (own origin only), plus the status API's live updates.
  await registerSecurityHeaders(app, {
    isPage: (path) => !path.startsWith('/assets/'),
    pageCsp: { 'connect-src': ["'self'", new URL(liveUrl).origin.replace(/^http/, 'ws')] },
  });

  const deps: WebDeps = {
    api: new StatusApiClient({
      transport: options.statusApiInProcess ? inProcessTransport(options.statusApiInProcess) : httpTransport(options.statusApiUrl),
      forwardingKey: options.statusApiForwardingKey,
    }),
    liveUrl,
    feedbackSurvey: options.feedbackSurvey ?? (() => null),
    context: (request, language) => ({
      language,
      t: MESSAGES[language],
      path: request.url.slice(language.length + 1) || '/',
      assets,
      timeZone,
      now: new Date(),
    }),
  };

  app.addHook('onClose', async () => deps.api.close());

  app.get('/', async (request, reply) => reply.redirect(`/${preferredLanguage(request.headers['accept-language'])}/`, 302));
  app.get('/healthz', async () => ({ status: 'ok' }));

  await app.register(
    async (site) => {
      site.addHook('onRequest', async (request: FastifyRequest<{ Params: { lang: string } }>, reply: FastifyReply) => {
        if (!isLanguage(request.params.lang)) {
          const language = preferredLanguage(request.headers['accept-language']);
          return sendHtml(reply, 404, pageNotFound(deps.context(request, language)));
        }
      });
      registerCaseRoutes(site, deps);
      registerNotificationRoutes(site, deps);
      registerProcessingTimesRoutes(site, deps);
      registerFeedbackRoutes(site, deps);
    },
    { prefix: '/:lang' },
  );
  // The links in emails have no language prefix (they may point at the notifier as well as here).
  registerNotificationRoutes(app, deps, { unprefixed: true });

  app.setNotFoundHandler((request, reply) => {
    const first = request.url.split('/')[1];
    const language = isLanguage(first) ? first : preferredLanguage(request.headers['accept-language']);
    return sendHtml(reply, 404, pageNotFound({ ...deps.context(request, language), path: '/' }));
  });
  app.setErrorHandler((error, request, reply) => {
    request.log.error(error);
    const first = request.url.split('/')[1];
    const language = isLanguage(first) ? first : 'en';
    return sendProblemPage(reply, deps.context(request, language), error);
  });
  return app;
}

export interface WebServerOptions extends WebAppOptions {
  /** 0 picks a free port; default 3003. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

/** Builds the assets if needed and serves the site; what `apps/web` and the one-process platform call. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const app = await createWebApp(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? 3003, host });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`, close: () => app.close() };
}
