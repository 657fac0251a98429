import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { HelmetOptions } from 'helmet';

/** Content-Security-Policy directives, each with its source list. */
export type CspDirectives = Record<string, string[]>;

/** JSON answers load nothing and may be framed by no one. */
const API_CSP: Readonly<CspDirectives> = {
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** Server-rendered pages: their own scripts, styles and images; forms and fetches to their own origin only. */
const PAGE_CSP: Readonly<CspDirectives> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'form-action': ["'self'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
};

export type SurfaceKind = 'api' | 'page';

/** Helmet's settings for one kind of answer; `pageCsp` replaces the named page directives. */
function securityHeaderSettings(kind: SurfaceKind, pageCsp: CspDirectives = {}): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives: kind === 'api' ? { ...API_CSP } : { ...PAGE_CSP, ...pageCsp } },
    // Confirm and unsubscribe links carry a token in the URL, case pages a receipt number: never pass them on.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true },
    xFrameOptions: { action: 'deny' },
  };
}

export interface SecurityHeadersOptions {
  /** Which paths answer with HTML pages (they get PAGE_CSP); every other answer gets API_CSP. Default: none. */
  isPage?: (path: string) => boolean;
  /** Page directives that differ from PAGE_CSP, e.g. a websocket origin in `connect-src`. */
  pageCsp?: CspDirectives;
  /**
   * Cache-Control for answers that set none themselves. `no-store` where answers carry personal
   * data (case status, subscriptions, caseworker answers), so no shared cache or disk keeps them.
   */
  defaultCacheControl?: string;
}

/**
 * Security headers on every answer of a Fastify app (404s and errors included): a strict CSP,
 * HSTS, nosniff, `Referrer-Policy: no-referrer`, no framing, no `X-Powered-By`, and the default
 * Cache-Control. Register it before the app's routes (for Nest: before `app.init()`).
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: SecurityHeadersOptions = {}): Promise<void> {
  await app.register(fastifyHelmet, { ...securityHeaderSettings('api'), global: true });
  const { isPage, defaultCacheControl } = options;
  if (isPage) {
    const page = securityHeaderSettings('page', options.pageCsp);
    app.addHook('onRequest', async (request, reply) => {
      if (isPage(request.url.split('?', 1)[0])) reply.helmet(page);
    });
  }
  app.addHook('onSend', async (_request, reply, payload) => {
    // Helmet removes it before the handler runs; a handler or plugin could set it again.
    reply.removeHeader('x-powered-by');
    if (defaultCacheControl && !reply.hasHeader('cache-control')) reply.header('cache-control', defaultCacheControl);
    return payload;
  });
}
