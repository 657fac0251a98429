/** @jsxRuntime automatic @jsxImportSource preact */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '@case-status/case-domain';
import { csrfTokenMatches, type Account } from '@case-status/identity';
import { AcceptHelperInvitationDocument, InviteHelperDocument, RevokeHelperDocument, SharedWithMeDocument } from '../api/operations.generated';
import type { StatusApiClient } from '../api/status-api.client';
import { accountOrRefusal, csrfRefused, type IdentityDeps, type WebIdentityOptions } from '../identity/identity.routes';
import { checkReceiptNumber } from '../receipt-number';
import { isProblem, sendHtml, sendProblemPage } from '../routes/render';
import { ACCESS_DURATIONS, HELPERS_MESSAGES, type AccessDuration } from './helpers-messages';
import { AcceptInvitationPage, SharedWithMePage, type InviteFormState } from './helpers.page';

interface HelpersDeps extends IdentityDeps {
  api: StatusApiClient;
}

export type HelpersRequest = FastifyRequest<{ Params: { lang: Language }; Querystring: { token?: string; accepted?: string; invited?: string; revoked?: string; linked?: string }; Body: Record<string, string | undefined> | undefined }>;

const DAY = 24 * 3600_000;
const DURATION_MS: Record<Exclude<AccessDuration, 'until'>, number> = { '7d': 7 * DAY, '30d': 30 * DAY, '90d': 90 * DAY, '1y': 365 * DAY };
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Helpers: the applicant's invite and revoke forms (on My cases, which shows the page again
 * after a refusal), the page an invitation e-mail links to, and "Shared with me". The status
 * API decides everything from the person the site's assertion names.
 */
export function registerHelpersRoutes(site: FastifyInstance, deps: HelpersDeps, options: WebIdentityOptions, showMyCases: (request: HelpersRequest, reply: FastifyReply, account: Account, status: number, invite: InviteFormState) => Promise<FastifyReply>): void {
  const asking = async (account: Account) => `Bearer ${await options.assertions.sign(account)}`;
  /** The signed-in person at IAL2 who sent this form with its CSRF token, or null (the refusal is sent). */
  const formSender = (request: HelpersRequest, reply: FastifyReply, path: string): Account | null => {
    const account = accountOrRefusal(deps, request, reply, 2, path);
    if (!account) return null;
    if (csrfTokenMatches(request.identity?.session?.csrfToken ?? '', request.body?.['csrf'])) return account;
    void csrfRefused(reply, deps.context(request, request.params.lang));
    return null;
  };

  site.post('/my-cases/helpers/invite', async (request: HelpersRequest, reply) => {
    const account = formSender(request, reply, '/my-cases');
    if (!account) return reply;
    const context = deps.context(request, request.params.lang);
    const t = HELPERS_MESSAGES[context.language];
    const receipt = checkReceiptNumber((request.body?.['receiptNumber'] ?? '').slice(0, 40));
    if (!receipt.ok) return sendProblemPage(reply, context, new Error('the invite form named no receipt number'));
    const email = (request.body?.['email'] ?? '').trim().slice(0, 254);
    const duration = (ACCESS_DURATIONS as readonly string[]).includes(request.body?.['duration'] ?? '') ? (request.body?.['duration'] as AccessDuration) : '30d';
    const until = (request.body?.['until'] ?? '').trim().slice(0, 10);
    const form: InviteFormState = { receiptNumber: receipt.receiptNumber, email, duration, until };
    let accessUntil: string;
    if (duration === 'until') {
      if (until === '') return showMyCases(request, reply, account, 422, { ...form, untilError: t.untilMissing });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until))) return showMyCases(request, reply, account, 422, { ...form, untilError: t.untilBad });
      accessUntil = until;
    } else {
      accessUntil = new Date(Date.now() + DURATION_MS[duration]).toISOString();
    }
    try {
      await deps.api.send(InviteHelperDocument, { receiptNumber: receipt.receiptNumber, email, accessUntil, language: context.language === 'es' ? 'ES' : 'EN' }, request.ip, await asking(account));
    } catch (error) {
      if (isProblem(error, 'BAD_USER_INPUT') && error.argument === 'email') return showMyCases(request, reply, account, 422, { ...form, emailError: error.message });
      if (isProblem(error, 'BAD_USER_INPUT') && error.argument === 'accessUntil') return showMyCases(request, reply, account, 422, { ...form, untilError: t.untilBad });
      if (isProblem(error, 'HELPER_LIMIT_REACHED')) return showMyCases(request, reply, account, 409, { ...form, refusal: t.tooMany });
      request.log.warn({ err: error }, 'a helper could not be invited');
      return sendProblemPage(reply, context, error);
    }
    return reply.redirect(`/${context.language}/my-cases?invited=1`, 303);
  });

  site.post('/my-cases/helpers/revoke', async (request: HelpersRequest, reply) => {
    const account = formSender(request, reply, '/my-cases');
    if (!account) return reply;
    const context = deps.context(request, request.params.lang);
    try {
      await deps.api.send(RevokeHelperDocument, { invitationId: (request.body?.['invitationId'] ?? '').slice(0, 64) }, request.ip, await asking(account));
    } catch (error) {
      request.log.warn({ err: error }, 'a helper’s access could not be revoked');
      return sendProblemPage(reply, context, error);
    }
    return reply.redirect(`/${context.language}/my-cases?revoked=1`, 303);
  });

  site.get('/helpers/accept', async (request: HelpersRequest, reply) => {
    const context = deps.context(request, request.params.lang);
    const token = request.query.token ?? '';
    const t = HELPERS_MESSAGES[context.language];
    if (!TOKEN.test(token)) return sendHtml(reply, 404, <AcceptInvitationPage context={context} token="" csrfToken="" refusal={t.refusals['NOT_FOUND']} />, 'no-store');
    // Signing in brings the person back here, with the link's token.
    const account = accountOrRefusal(deps, request, reply, 2, `/helpers/accept?token=${token}`);
    if (!account) return reply;
    return sendHtml(reply, 200, <AcceptInvitationPage context={context} token={token} csrfToken={request.identity?.session?.csrfToken ?? ''} />, 'no-store');
  });

  site.post('/helpers/accept', async (request: HelpersRequest, reply) => {
    const token = (request.body?.['token'] ?? '').slice(0, 64);
    const account = formSender(request, reply, TOKEN.test(token) ? `/helpers/accept?token=${token}` : '/shared-with-me');
    if (!account) return reply;
    const context = deps.context(request, request.params.lang);
    const t = HELPERS_MESSAGES[context.language];
    try {
      await deps.api.send(AcceptHelperInvitationDocument, { token }, request.ip, await asking(account));
    } catch (error) {
      const refusal = isProblem(error, 'NOT_FOUND') ? 'NOT_FOUND' : isProblem(error, 'INVITATION_NOT_ACCEPTED') ? (error.reason ?? '') : '';
      if (t.refusals[refusal]) return sendHtml(reply, refusal === 'NOT_FOUND' ? 404 : 409, <AcceptInvitationPage context={context} token="" csrfToken="" refusal={t.refusals[refusal]} />, 'no-store');
      request.log.warn({ err: error }, 'an invitation could not be accepted');
      return sendProblemPage(reply, context, error);
    }
    return reply.redirect(`/${context.language}/shared-with-me?accepted=1`, 303);
  });

  site.get('/shared-with-me', async (request: HelpersRequest, reply) => {
    const account = accountOrRefusal(deps, request, reply, 2, '/shared-with-me');
    if (!account) return reply;
    const context = deps.context(request, request.params.lang);
    try {
      const { sharedWithMe } = await deps.api.send(SharedWithMeDocument, {}, request.ip, await asking(account));
      return sendHtml(reply, 200, <SharedWithMePage context={context} cases={sharedWithMe} accepted={request.query.accepted === '1'} />, 'no-store');
    } catch (error) {
      request.log.warn({ err: error }, 'shared cases could not be read');
      return sendProblemPage(reply, context, error);
    }
  });
}
