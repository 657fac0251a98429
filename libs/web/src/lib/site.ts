import { constants as zlib } from 'node:zlib';
import compress from '@fastify/compress';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { fastifyTrustProxy, listeningUrl, registerSecurityHeaders, type CspDirectives, type TrustedProxies } from '@case-status/http-support';
import { isLanguage, type Language } from '@case-status/case-domain';
import type { SiteAssets } from './assets/build-assets';
import { MESSAGES } from './i18n/messages';
import type { PageContext } from './pages/page-context';
import { pageNotFound, preferredLanguage, sendHtml, sendProblemPage } from './routes/render';

export interface SiteOptions {
  assets: SiteAssets;
  timeZone: string;
  trustProxy?: TrustedProxies;
  /** Page directives beyond the shared page policy, e.g. the status API's websocket in `connect-src`. */
  pageCsp?: CspDirectives;
  /** Who is signed in, when the site has sign-in (`null`: nobody); without it pages offer no sign-in. */
  viewer?: (request: FastifyRequest) => PageContext['viewer'];
  logger?: boolean;
}

export interface Site {
  app: FastifyInstance;
  context(request: FastifyRequest, language: Language): PageContext;
  /** Registers routes under `/{lang}`; an unknown language gets the not-found page. */
  localized(register: (site: FastifyInstance) => void): Promise<void>;
}

/**
 * What every server of the site's pages shares: compression, form bodies, the built assets,
 * the shared security headers, pages in the visitor's language, and the not-found and error
 * pages. The routes are the caller's.
 */
export async function createSite(options: SiteOptions): Promise<Site> {
  const { assets, timeZone } = options;
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

  // The shared page policy (own origin only), plus what the caller adds.
  await registerSecurityHeaders(app, { isPage: (path) => !path.startsWith('/assets/'), pageCsp: options.pageCsp });

  const context = (request: FastifyRequest, language: Language): PageContext => ({
    language,
    t: MESSAGES[language],
    path: request.url.slice(language.length + 1) || '/',
    assets,
    timeZone,
    now: new Date(),
    viewer: options.viewer?.(request),
  });

  app.setNotFoundHandler((request, reply) => {
    const first = request.url.split('/')[1];
    const language = isLanguage(first) ? first : preferredLanguage(request.headers['accept-language']);
    return sendHtml(reply, 404, pageNotFound({ ...context(request, language), path: '/' }));
  });
  app.setErrorHandler((error, request, reply) => {
    request.log.error(error);
    const first = request.url.split('/')[1];
    const language = isLanguage(first) ? first : 'en';
    return sendProblemPage(reply, context(request, language), error);
  });

  const localized = async (register: (site: FastifyInstance) => void) => {
    await app.register(
      async (site) => {
        site.addHook('onRequest', async (request: FastifyRequest<{ Params: { lang: string } }>, reply: FastifyReply) => {
          if (!isLanguage(request.params.lang)) {
            const language = preferredLanguage(request.headers['accept-language']);
            return sendHtml(reply, 404, pageNotFound(context(request, language)));
          }
        });
        register(site);
      },
      { prefix: '/:lang' },
    );
  };

  return { app, context, localized };
}

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on `port` (0 picks a free one) and `host`. */
export async function listenSite(app: FastifyInstance, port: number, host: string): Promise<SiteServer> {
  await app.listen({ port, host });
  return { url: listeningUrl(app.server, host), close: () => app.close() };
}
