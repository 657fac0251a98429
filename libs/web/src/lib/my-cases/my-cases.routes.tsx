/** @jsxRuntime automatic @jsxImportSource preact */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '@case-status/case-domain';
import { csrfTokenMatches, type Account } from '@case-status/identity';
import { normalizeAccessCode } from '@case-status/intake-contract';
import { LinkCaseDocument, MyCasesDocument, UnlinkCaseDocument } from '../api/operations.generated';
import type { StatusApiClient } from '../api/status-api.client';
import { registerHelpersRoutes } from '../helpers/helpers.routes';
import type { InviteFormState } from '../helpers/helpers.page';
import { accountOrRefusal, csrfRefused, type IdentityDeps, type WebIdentityOptions } from '../identity/identity.routes';
import type { PageContext } from '../pages/page-context';
import { checkReceiptNumber } from '../receipt-number';
import { isProblem, sendHtml, sendProblemPage } from '../routes/render';
import { MY_CASES_MESSAGES } from './my-cases-messages';
import { MyCasesPage, type LinkFormState } from './my-cases.page';

interface MyCasesDeps extends IdentityDeps {
  api: StatusApiClient;
}

type MyCasesRequest = FastifyRequest<{ Params: { lang: Language }; Querystring: { linked?: string; unlinked?: string; invited?: string; revoked?: string }; Body: Record<string, string | undefined> | undefined }>;

/**
 * "My cases" (`/{lang}/my-cases`) and its link form (`POST /{lang}/my-cases/link`), for
 * people signed in at IAL2. The status API decides what the page shows: each request carries
 * the site's signed assertion of who is asking, never a choice of case.
 */
export function registerMyCasesRoutes(site: FastifyInstance, deps: MyCasesDeps, options: WebIdentityOptions): void {
  const asking = async (account: Account) => `Bearer ${await options.assertions.sign(account)}`;

  async function showPage(request: MyCasesRequest, reply: FastifyReply, account: Account, status: number, form: LinkFormState, notice: { linked?: string; unlinked?: string } = {}, invite?: InviteFormState): Promise<FastifyReply> {
    const context = deps.context(request, request.params.lang);
    const helpersNotice = request.method === 'GET' ? (request.query.invited === '1' ? 'invited' : request.query.revoked === '1' ? 'revoked' : undefined) : undefined;
    try {
      const { myCases } = await deps.api.send(MyCasesDocument, {}, request.ip, await asking(account));
      const page = <MyCasesPage context={context} cases={myCases} csrfToken={request.identity?.session?.csrfToken ?? ''} form={form} {...notice} invite={invite} helpersNotice={helpersNotice} />;
      return sendHtml(reply, status, page, 'no-store');
    } catch (error) {
      request.log.warn({ err: error }, 'my cases could not be read');
      return sendProblemPage(reply, context, error);
    }
  }

  site.get('/my-cases', async (request: MyCasesRequest, reply) => {
    const account = accountOrRefusal(deps, request, reply, 2, '/my-cases');
    if (!account) return reply;
    const named = (value: string | undefined) => {
      const checked = value === undefined ? undefined : checkReceiptNumber(value);
      return checked?.ok ? checked.receiptNumber : undefined;
    };
    return showPage(request, reply, account, 200, {}, { linked: named(request.query.linked), unlinked: named(request.query.unlinked) });
  });

  site.post('/my-cases/unlink', async (request: MyCasesRequest, reply) => {
    const account = accountOrRefusal(deps, request, reply, 2, '/my-cases');
    if (!account) return reply;
    const context = deps.context(request, request.params.lang);
    if (!csrfTokenMatches(request.identity?.session?.csrfToken ?? '', request.body?.['csrf'])) return csrfRefused(reply, context);
    const receipt = checkReceiptNumber((request.body?.['receiptNumber'] ?? '').slice(0, 40));
    // The form names a case of the page; anything else is answered with the page as it is.
    if (!receipt.ok) return showPage(request, reply, account, 422, {});
    try {
      await deps.api.send(UnlinkCaseDocument, { receiptNumber: receipt.receiptNumber }, request.ip, await asking(account));
    } catch (error) {
      request.log.warn({ err: error }, 'a case could not be unlinked');
      return sendProblemPage(reply, context, error);
    }
    return reply.redirect(`/${context.language}/my-cases?unlinked=${encodeURIComponent(receipt.receiptNumber)}`, 303);
  });

  site.post('/my-cases/link', async (request: MyCasesRequest, reply) => {
    const account = accountOrRefusal(deps, request, reply, 2, '/my-cases');
    if (!account) return reply;
    const context = deps.context(request, request.params.lang);
    if (!csrfTokenMatches(request.identity?.session?.csrfToken ?? '', request.body?.['csrf'])) return csrfRefused(reply, context);

    const typedReceipt = (request.body?.['receiptNumber'] ?? '').slice(0, 40);
    const typedCode = (request.body?.['accessCode'] ?? '').slice(0, 40);
    const form = checkForm(context, typedReceipt, typedCode);
    if (form.receiptError || form.codeError) return showPage(request, reply, account, 422, form);
    const receipt = checkReceiptNumber(typedReceipt);
    if (!receipt.ok) return showPage(request, reply, account, 422, form);

    const t = MY_CASES_MESSAGES[context.language];
    try {
      await deps.api.send(LinkCaseDocument, { receiptNumber: receipt.receiptNumber, accessCode: typedCode }, request.ip, await asking(account));
    } catch (error) {
      if (isProblem(error, 'ACCESS_CODE_NOT_ACCEPTED')) return showPage(request, reply, account, 422, { receiptNumber: typedReceipt, refusal: t.notAccepted });
      if (isProblem(error, 'ACCESS_CODE_ALREADY_USED')) return showPage(request, reply, account, 409, { receiptNumber: typedReceipt, refusal: t.alreadyUsed });
      if (isProblem(error, 'TOO_MANY_ATTEMPTS')) {
        const retryAfter = error.retryAfterSeconds ?? 3600;
        reply.header('retry-after', String(retryAfter));
        return showPage(request, reply, account, 429, { receiptNumber: typedReceipt, refusal: t.tooMany(Math.max(1, Math.ceil(retryAfter / 60))) });
      }
      request.log.warn({ err: error }, 'a case could not be linked');
      return sendProblemPage(reply, context, error);
    }
    return reply.redirect(`/${context.language}/my-cases?linked=${encodeURIComponent(receipt.receiptNumber)}`, 303);
  });

  registerHelpersRoutes(site, deps, options, (request, reply, account, status, invite) => showPage(request, reply, account, status, {}, {}, invite));
}

/** What is wrong with the form as typed, before asking the API; the code itself is never shown back. */
function checkForm(context: PageContext, typedReceipt: string, typedCode: string): LinkFormState {
  const t = MY_CASES_MESSAGES[context.language];
  const receipt = checkReceiptNumber(typedReceipt);
  return {
    receiptNumber: typedReceipt,
    receiptError: receipt.ok ? undefined : context.t.receiptProblem(receipt.problem),
    codeError: typedCode.trim() === '' ? t.codeMissing : normalizeAccessCode(typedCode) === null ? t.codeFormat : undefined,
  };
}
