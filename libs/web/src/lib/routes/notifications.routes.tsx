/** @jsxRuntime automatic @jsxImportSource preact */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLanguage, type Language } from '@case-status/case-domain';
import { ConfirmSubscriptionCodeDocument, ConfirmSubscriptionDocument, SubscribeToCaseDocument, UnsubscribeDocument } from '../api/operations.generated';
import { answered, type StatusApiClient } from '../api/status-api.client';
import { LookupPage } from '../pages/lookup';
import { MessagePage } from '../pages/message';
import { TokenActionPage } from '../pages/notification-links';
import type { PageContext } from '../pages/page-context';
import { CheckEmailPage, SubscribePage, type SubscribeFormState } from '../pages/subscribe';
import { checkReceiptNumber } from '../receipt-number';
import type { WebDeps } from '../web.app';
import { isProblem, pageNotFound, preferredLanguage, sendHtml, sendProblemPage } from './render';

type Params = { lang?: string; receipt?: string };
type Body = Record<string, string | undefined>;
type Request = FastifyRequest<{ Params: Params; Querystring: { token?: string }; Body: Body | undefined }>;

/** A plausible address; the status API is the judge, this only catches what is plainly not one. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a confirm or unsubscribe link does: through the status API on the website, straight on the subscriptions where the notifier serves the links. */
export interface NotificationLinkActions {
  confirmSubscription(token: string, clientIp: string | undefined): Promise<{ receiptNumber: string }>;
  unsubscribe(token: string, clientIp: string | undefined): Promise<{ receiptNumber: string; unsubscribedNow: boolean }>;
}

/** What the link pages need. */
export interface NotificationLinkDeps {
  links: NotificationLinkActions;
  context: WebDeps['context'];
}

/** The link actions as the website does them: through the status API. */
export function notificationLinksThrough(api: StatusApiClient): NotificationLinkActions {
  return {
    confirmSubscription: async (token, clientIp) => answered((await api.send(ConfirmSubscriptionDocument, { token }, clientIp)).confirmSubscription, 'confirmSubscription'),
    unsubscribe: async (token, clientIp) => answered((await api.send(UnsubscribeDocument, { token }, clientIp)).unsubscribe, 'unsubscribe'),
  };
}

const languageOf = (request: Request): Language => (isLanguage(request.params.lang) ? request.params.lang : preferredLanguage(request.headers['accept-language']));

const caseLink = (context: PageContext, receipt: string) => (
  <p class="margin-top-4">
    <a class="usa-button" href={`/${context.language}/case/${encodeURIComponent(receipt)}`}>
      {context.t.subscribe.backToCase}
    </a>
  </p>
);

/**
 * The pages the confirm and unsubscribe links of emails open. With `unprefixed`, the link
 * paths without a language (as emails carry them) are registered instead. A GET only shows a
 * button and its POST does the work: mail scanners open every link and must not confirm or
 * unsubscribe anyone.
 */
export function registerNotificationLinkRoutes(app: FastifyInstance, deps: NotificationLinkDeps, { unprefixed = false } = {}): void {
  const contextOf = (request: Request) => deps.context(request, languageOf(request));

  const linkAction = (kind: 'confirm' | 'unsubscribe') => async (request: Request, reply: FastifyReply) => {
    const context = contextOf(request);
    const { t } = context;
    const token = request.query.token ?? '';
    if (token === '') return sendHtml(reply, 400, <MessagePage context={context} title={t[kind].title} type="error" body={t.confirm.missingToken} />, 'no-store');
    try {
      if (kind === 'confirm') {
        const done = await deps.links.confirmSubscription(token, request.ip);
        return sendHtml(reply, 200, <MessagePage context={context} title={t.subscribe.confirmedTitle} type="success" body={t.subscribe.confirmedBody(done.receiptNumber)}>{caseLink(context, done.receiptNumber)}</MessagePage>, 'no-store');
      }
      const done = await deps.links.unsubscribe(token, request.ip);
      const body = done.unsubscribedNow ? t.unsubscribe.doneBody(done.receiptNumber) : t.unsubscribe.alreadyDone(done.receiptNumber);
      return sendHtml(reply, 200, <MessagePage context={context} title={t.unsubscribe.doneTitle} type="success" body={body} />, 'no-store');
    } catch (error) {
      if (isProblem(error, 'INVALID_TOKEN', 'NOT_FOUND', 'BAD_USER_INPUT')) {
        return sendHtml(reply, 400, <MessagePage context={context} title={t[kind].title} type="error" body={t[kind].invalidToken} />, 'no-store');
      }
      if (isProblem(error, 'TOKEN_EXPIRED')) return sendHtml(reply, 400, <MessagePage context={context} title={t[kind].title} type="error" body={t.confirm.expiredToken} />, 'no-store');
      if (isProblem(error, 'NOTIFICATIONS_UNAVAILABLE')) return sendHtml(reply, 503, <MessagePage context={context} title={t[kind].title} type="error" body={t.subscribe.unavailable} />, 'no-store');
      return sendProblemPage(reply, context, error);
    }
  };

  for (const kind of ['confirm', 'unsubscribe'] as const) {
    if (unprefixed) {
      // A bare link from an email: on to the page in the reader's language. The POST is what
      // one-click unsubscribe sends (RFC 8058), so it is answered here directly.
      app.get(`/notifications/${kind}`, async (request: Request, reply) => {
        const query = request.query.token === undefined ? '' : `?token=${encodeURIComponent(request.query.token)}`;
        return reply.header('cache-control', 'no-store').redirect(`/${languageOf(request)}/notifications/${kind}${query}`, 302);
      });
    } else {
      app.get(`/notifications/${kind}`, async (request: Request, reply) => {
        const context = contextOf(request);
        const token = request.query.token ?? '';
        if (token === '') return sendHtml(reply, 400, <MessagePage context={context} title={context.t[kind].title} type="error" body={context.t.confirm.missingToken} />, 'no-store');
        return sendHtml(reply, 200, <TokenActionPage context={context} kind={kind} token={token} />, 'no-store');
      });
    }
    app.post(`/notifications/${kind}`, linkAction(kind));
    app.route({
      method: ['PUT', 'PATCH', 'DELETE'],
      url: `/notifications/${kind}`,
      handler: async (request: Request, reply) => sendHtml(reply.header('allow', 'GET, HEAD, POST'), 405, pageNotFound(contextOf(request)), 'no-store'),
    });
  }
}

/**
 * Email updates: subscribing to a case (the API emails a code and a link), confirming with
 * the code on the page or with the link, and the one-click unsubscribe.
 */
export function registerNotificationRoutes(app: FastifyInstance, deps: WebDeps): void {
  const contextOf = (request: Request) => deps.context(request, languageOf(request));
  registerNotificationLinkRoutes(app, deps);

  app.get('/case/:receipt/updates', async (request: Request, reply) => {
    const context = contextOf(request);
    const checked = checkReceiptNumber(request.params.receipt ?? '');
    if (!checked.ok) return sendHtml(reply, 400, <LookupPage context={context} value={request.params.receipt} error={context.t.receiptProblem(checked.problem)} />);
    return sendHtml(reply, 200, <SubscribePage context={context} receiptNumber={checked.receiptNumber} state={{}} />);
  });

  app.post('/case/:receipt/updates', async (request: Request, reply) => {
    const context = contextOf(request);
    const { t } = context;
    const checked = checkReceiptNumber(request.params.receipt ?? '');
    if (!checked.ok) return sendHtml(reply, 400, <LookupPage context={context} value={request.params.receipt} error={t.receiptProblem(checked.problem)} />);
    const receiptNumber = checked.receiptNumber;
    const email = (request.body?.['email'] ?? '').trim();
    const emailLanguage = request.body?.['language'] === 'es' ? 'es' : request.body?.['language'] === 'en' ? 'en' : context.language;
    const form = (state: SubscribeFormState, status: number) =>
      sendHtml(reply, status, <SubscribePage context={context} receiptNumber={receiptNumber} state={{ email, emailLanguage, ...state }} />, 'no-store');
    if (email === '') return form({ emailError: t.subscribe.emailEmpty }, 400);
    if (!EMAIL.test(email) || email.length > 254) return form({ emailError: t.subscribe.emailInvalid }, 400);
    try {
      await deps.api.send(SubscribeToCaseDocument, { receiptNumber, email, language: emailLanguage === 'es' ? 'ES' : 'EN' }, request.ip);
      return sendHtml(reply, 200, <CheckEmailPage context={context} receiptNumber={receiptNumber} email={email} />, 'no-store');
    } catch (error) {
      if (isProblem(error, 'INVALID_EMAIL', 'BAD_USER_INPUT')) return form({ emailError: t.subscribe.emailInvalid }, 400);
      if (isProblem(error, 'RATE_LIMITED')) {
        reply.header('retry-after', String(error.retryAfterSeconds ?? 60));
        return form({ problem: t.serviceError.tooMany(Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60))) }, 429);
      }
      if (isProblem(error, 'NOTIFICATIONS_UNAVAILABLE')) return form({ problem: t.subscribe.unavailable }, 503);
      if (isProblem(error, 'INVALID_RECEIPT_NUMBER')) return sendHtml(reply, 400, <LookupPage context={context} value={receiptNumber} error={t.receiptProblem({ kind: 'unrecognized' })} />);
      request.log.warn({ err: error }, 'subscribe failed');
      return sendProblemPage(reply, context, error);
    }
  });

  app.post('/case/:receipt/updates/confirm-code', async (request: Request, reply) => {
    const context = contextOf(request);
    const { t } = context;
    const receiptNumber = request.params.receipt ?? '';
    const email = (request.body?.['email'] ?? '').trim();
    const code = (request.body?.['code'] ?? '').replace(/\s+/g, '');
    const again = (codeError: string) =>
      sendHtml(reply, 400, <CheckEmailPage context={context} receiptNumber={receiptNumber} email={email} code={code} codeError={codeError} />, 'no-store');
    if (code === '') return again(t.subscribe.codeEmpty);
    if (!/^\d{6}$/.test(code)) return again(t.subscribe.codeInvalid);
    try {
      const done = answered((await deps.api.send(ConfirmSubscriptionCodeDocument, { receiptNumber, email, code }, request.ip)).confirmSubscriptionCode, 'confirmSubscriptionCode');
      return sendHtml(reply, 200, <MessagePage context={context} title={t.subscribe.confirmedTitle} type="success" body={t.subscribe.confirmedBody(done.receiptNumber)}>{caseLink(context, done.receiptNumber)}</MessagePage>, 'no-store');
    } catch (error) {
      if (isProblem(error, 'INVALID_CODE', 'BAD_USER_INPUT')) return again(t.subscribe.codeInvalid);
      const refusal = (body: string) => sendHtml(reply, 400, <MessagePage context={context} title={t.subscribe.title} type="error" body={body}>{caseLink(context, receiptNumber)}</MessagePage>, 'no-store');
      if (isProblem(error, 'TOO_MANY_ATTEMPTS')) return refusal(t.subscribe.tooManyAttempts);
      if (isProblem(error, 'TOKEN_EXPIRED')) return refusal(t.confirm.expiredToken);
      if (isProblem(error, 'INVALID_TOKEN', 'NOT_FOUND')) return refusal(t.confirm.invalidToken);
      return sendProblemPage(reply, context, error);
    }
  });
}
