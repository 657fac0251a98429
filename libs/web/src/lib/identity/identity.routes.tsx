/** @jsxRuntime automatic @jsxImportSource preact */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLanguage, type Language } from '@case-status/case-domain';
import {
  clearedSessionCookie,
  csrfTokenMatches,
  sessionCookie,
  sessionIdFromCookies,
  SignInError,
  type Account,
  type PersonAssertionSigner,
  type PostgresSessionStore,
  type RelyingParty,
  type Session,
} from '@case-status/identity';
import { MessagePage } from '../pages/message';
import { href, type PageContext } from '../pages/page-context';
import { preferredLanguage, sendHtml } from '../routes/render';
import { AccountPage } from './account.page';
import { IDENTITY_MESSAGES } from './identity-messages';

/** Sign-in for the website: where the provider is, where sessions are kept. */
export interface WebIdentityOptions {
  relyingParty: RelyingParty;
  sessions: PostgresSessionStore;
  /**
   * The site as browsers reach it, e.g. https://status.example.gov: the provider sends people
   * back to `<publicBaseUrl>/sign-in/callback` and, after sign-out, to `<publicBaseUrl>/<lang>/signed-out`.
   */
  publicBaseUrl: string;
  /** `Secure` session cookies; off only for plain-http development on the loopback address. */
  secureCookies: boolean;
  /** Signs the assertion of who is asking that the status API reads "My cases" for (docs/identity.md). */
  assertions: PersonAssertionSigner;
}

/** What the request's cookie says: the session, or why it ended. */
interface IdentityState {
  session: Session | null;
  ended?: 'idle' | 'absolute';
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: IdentityState | null;
  }
}

export interface IdentityDeps {
  context(request: FastifyRequest, language: Language): PageContext;
}

type LangRequest = FastifyRequest<{ Params: { lang: Language }; Querystring: { return?: string; level?: string }; Body: Record<string, string | undefined> | undefined }>;

/** Where a sign-in may send the person afterwards: a path of this site, never another site (`//evil.example`, `/\evil`). */
export function safeReturnPath(value: string | undefined): string | null {
  if (value === undefined || !/^\/[A-Za-z0-9\-._~/?=&%]*$/.test(value) || value.startsWith('//')) return null;
  return value;
}

/** Who the page shows as signed in: the name (or e-mail) and the sign-out form's token. */
export function viewerOf(request: FastifyRequest): PageContext['viewer'] {
  const data = request.identity?.session?.data;
  if (data?.kind !== 'signed-in') return null;
  return { name: data.account.name ?? data.account.email ?? data.account.subject, csrfToken: request.identity?.session?.csrfToken ?? '' };
}

/**
 * Reads the session cookie of every page request into `request.identity`; an ended session
 * is deleted and its cookie cleared. Static files are not looked up.
 */
export function loadSessions(app: FastifyInstance, options: WebIdentityOptions, skip: (path: string) => boolean): void {
  const cookies = { secure: options.secureCookies };
  app.decorateRequest('identity', null);
  app.addHook('onRequest', async (request, reply) => {
    if (skip(request.url)) return;
    const id = sessionIdFromCookies(request.headers.cookie, cookies);
    if (id === undefined) {
      request.identity = { session: null };
      return;
    }
    const found = await options.sessions.find(id);
    if (found.status === 'active') {
      request.identity = { session: found.session };
      return;
    }
    reply.header('set-cookie', clearedSessionCookie(cookies));
    request.identity = { session: null, ended: found.status === 'expired' ? found.reason : undefined };
  });
}

/** The signed-in pages and sign-in and sign-out, under `/{lang}`. */
export function registerIdentityRoutes(site: FastifyInstance, deps: IdentityDeps, options: WebIdentityOptions): void {
  const cookies = { secure: options.secureCookies };

  site.get('/sign-in', async (request: LangRequest, reply) => {
    const { lang } = request.params;
    const returnTo = `/${lang}${safeReturnPath(request.query.return) ?? '/account'}`;
    const level = request.query.level === '2' ? 2 : 1;
    try {
      const { url, pending } = await options.relyingParty.beginSignIn({ level, returnTo });
      const session = await options.sessions.start({ kind: 'signing-in', pending });
      return reply.header('set-cookie', sessionCookie(session.id, cookies)).header('cache-control', 'no-store').redirect(url, 303);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      request.log.warn({ err: error }, 'sign-in could not start');
      return signInFailedPage(reply, deps.context(request, lang), error.code);
    }
  });

  site.post('/sign-out', async (request: LangRequest, reply) => {
    const { lang } = request.params;
    const session = request.identity?.session;
    if (!session || session.data.kind !== 'signed-in') return reply.redirect(`/${lang}/`, 303);
    if (!csrfTokenMatches(session.csrfToken, request.body?.['csrf'])) return csrfRefused(reply, deps.context(request, lang));
    await options.sessions.end(session.id);
    reply.header('set-cookie', clearedSessionCookie(cookies));
    try {
      return reply.redirect(await options.relyingParty.signOutUrl(session.data.idToken, `${options.publicBaseUrl}/${lang}/signed-out`), 303);
    } catch {
      // Signed out here at least; the provider's session ends on its own.
      return reply.redirect(`/${lang}/signed-out`, 303);
    }
  });

  site.get('/signed-out', async (request: LangRequest, reply) => {
    const context = deps.context(request, request.params.lang);
    const t = IDENTITY_MESSAGES[context.language];
    return sendHtml(reply, 200, <MessagePage context={context} title={t.signedOut.title} type="success" body={t.signedOut.body} />, 'no-store');
  });

  site.get('/account', async (request: LangRequest, reply) => {
    const account = accountOrRefusal(deps, request, reply, 1, '/account');
    if (!account) return reply;
    return sendHtml(reply, 200, <AccountPage context={deps.context(request, request.params.lang)} account={account} />, 'no-store');
  });
}

/**
 * The account of a signed-in person with at least `level`; otherwise null, with the page that
 * says what to do sent (sign in, sign in again after a timeout, or raise the level).
 */
export function accountOrRefusal(deps: IdentityDeps, request: FastifyRequest<{ Params: { lang: Language } }>, reply: FastifyReply, level: 1 | 2, path: string): Account | null {
  const { lang } = request.params;
  const context = deps.context(request, lang);
  const t = IDENTITY_MESSAGES[lang];
  const state = request.identity;
  const data = state?.session?.data;
  if (data?.kind !== 'signed-in') {
    if (state?.ended) {
      const signIn = <SignInLink context={context} path={path} level={level} label={t.sessionEnded.signInAgain} />;
      void sendHtml(reply, 401, <MessagePage context={context} title={t.sessionEnded.title} type="warning" body={t.sessionEnded[state.ended]}>{signIn}</MessagePage>, 'no-store');
      return null;
    }
    void reply.redirect(signInHref(context, path, level), 303);
    return null;
  }
  if (data.account.assuranceLevel < level) {
    const signIn = <SignInLink context={context} path={path} level={level} label={t.needsLevel.verify} />;
    void sendHtml(reply, 403, <MessagePage context={context} title={t.needsLevel.title} type="warning" body={t.needsLevel.body}>{signIn}</MessagePage>, 'no-store');
    return null;
  }
  return data.account;
}

/**
 * Where the provider sends the person back (no language in the path: it is registered with the
 * provider once). The pending sign-in must be this browser's, and the session id changes.
 */
export function registerSignInCallback(app: FastifyInstance, deps: IdentityDeps, options: WebIdentityOptions): void {
  const cookies = { secure: options.secureCookies };
  app.get('/sign-in/callback', async (request, reply) => {
    const session = request.identity?.session;
    const pending = session?.data.kind === 'signing-in' ? session.data.pending : null;
    const language = pending ? languageOfPath(pending.returnTo) : preferredLanguage(request.headers['accept-language']);
    // The callback's own path (with the code) is not a page to link to in the other language.
    const context = { ...deps.context(request, language), path: '/' };
    if (!session || !pending) return signInFailedPage(reply, context, 'STATE_MISMATCH');
    try {
      const { account, idToken, apiToken } = await options.relyingParty.completeSignIn(new URL(request.url, options.publicBaseUrl), pending);
      const signedIn = await options.sessions.rotate(session.id, { kind: 'signed-in', account, idToken, ...(apiToken && { apiToken }) });
      if (!signedIn) return signInFailedPage(reply, context, 'STATE_MISMATCH');
      return reply.header('set-cookie', sessionCookie(signedIn.id, cookies)).header('cache-control', 'no-store').redirect(pending.returnTo, 303);
    } catch (error) {
      if (!(error instanceof SignInError)) throw error;
      request.log.warn({ err: error, code: error.code }, 'sign-in refused');
      // A sign-in fails once: a new attempt starts from the site.
      await options.sessions.end(session.id);
      reply.header('set-cookie', clearedSessionCookie(cookies));
      return signInFailedPage(reply, context, error.code);
    }
  });
}

const languageOfPath = (path: string): Language => {
  const first = path.split('/')[1];
  return isLanguage(first) ? first : 'en';
};

export const signInHref = (context: PageContext, path: string, level: 1 | 2) => href(context, `/sign-in?return=${encodeURIComponent(path)}${level === 2 ? '&level=2' : ''}`);

function SignInLink({ context, path, level, label }: { context: PageContext; path: string; level: 1 | 2; label: string }) {
  return (
    <p class="margin-top-4">
      <a class="usa-button" href={signInHref(context, path, level)}>
        {label}
      </a>
    </p>
  );
}

function signInFailedPage(reply: FastifyReply, context: PageContext, code: SignInError['code']): FastifyReply {
  const t = IDENTITY_MESSAGES[context.language].signInFailed;
  const body = { STATE_MISMATCH: t.expired, PROVIDER_REFUSED: t.refused, TOKEN_REJECTED: t.rejected, PROVIDER_UNAVAILABLE: t.unavailable }[code];
  const status = code === 'PROVIDER_UNAVAILABLE' ? 503 : 400;
  return sendHtml(reply, status, <MessagePage context={context} title={t.title} type="error" body={body}><SignInLink context={context} path="/account" level={1} label={t.tryAgain} /></MessagePage>, 'no-store');
}

export function csrfRefused(reply: FastifyReply, context: PageContext): FastifyReply {
  const t = IDENTITY_MESSAGES[context.language].csrf;
  return sendHtml(reply, 403, <MessagePage context={context} title={t.title} type="error" body={t.body} />, 'no-store');
}
