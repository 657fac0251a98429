/** @jsxRuntime automatic @jsxImportSource preact */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import type { Language } from '@case-status/case-domain';
import { CaseDetails, CasePage } from '../pages/case';
import { CaseNotFoundPage, LookupPage } from '../pages/lookup';
import { checkReceiptNumber } from '../receipt-number';
import { lookUpCase, type CaseView } from '../api/case-lookup';
import type { WebDeps } from '../web.app';
import { isProblem, pageNotFound, sendHtml, sendMarkup, sendProblemPage } from './render';

type LangRequest<T = object> = FastifyRequest<{ Params: { lang: Language } & T; Querystring: { receiptNumber?: string } }>;

/** Looking a case up, and the case page with the fragment its live updates swap in. */
export function registerCaseRoutes(site: FastifyInstance, deps: WebDeps): void {
  const surveyFor = (view: CaseView, language: Language) =>
    view.decision ? deps.feedbackSurvey({ receiptNumber: view.receiptNumber, agency: view.agency, formType: view.formType, language }) : null;

  site.get('/', async (request: LangRequest, reply) => sendHtml(reply, 200, <LookupPage context={deps.context(request, request.params.lang)} />));

  // The lookup form is a GET: a mistyped number comes back with the reason; a good one goes to its page.
  site.get('/case', async (request: LangRequest, reply) => {
    const { lang } = request.params;
    const typed = request.query.receiptNumber ?? '';
    const checked = checkReceiptNumber(typed);
    const context = deps.context(request, lang);
    if (!checked.ok) return sendHtml(reply, 400, <LookupPage context={context} value={typed} error={context.t.receiptProblem(checked.problem)} />);
    return reply.redirect(`/${lang}/case/${encodeURIComponent(checked.receiptNumber)}`, 303);
  });

  site.get('/case/:receipt', async (request: LangRequest<{ receipt: string }>, reply) => {
    const { lang, receipt } = request.params;
    const context = deps.context(request, lang);
    const checked = checkReceiptNumber(receipt);
    if (!checked.ok) return sendHtml(reply, 400, <LookupPage context={context} value={receipt} error={context.t.receiptProblem(checked.problem)} />);
    if (checked.receiptNumber !== receipt) return reply.redirect(`/${lang}/case/${encodeURIComponent(checked.receiptNumber)}`, 301);
    try {
      const view = await lookUpCase(deps.api, checked.receiptNumber, request.ip);
      return sendHtml(reply, 200, <CasePage context={context} view={view} liveUrl={deps.liveUrl} surveyHref={surveyFor(view, lang)} />);
    } catch (error) {
      if (isProblem(error, 'NOT_FOUND')) return sendHtml(reply, 404, <CaseNotFoundPage context={context} receiptNumber={checked.receiptNumber} />);
      if (isProblem(error, 'INVALID_RECEIPT_NUMBER')) {
        return sendHtml(reply, 400, <LookupPage context={context} value={receipt} error={context.t.receiptProblem({ kind: 'unrecognized' })} />);
      }
      request.log.warn({ err: error }, 'case lookup failed');
      return sendProblemPage(reply, context, error);
    }
  });

  // Only the part of the case page that changes with the status, for the browser to swap in.
  site.get('/case/:receipt/details', async (request: LangRequest<{ receipt: string }>, reply) => {
    const { lang, receipt } = request.params;
    const context = deps.context(request, lang);
    const checked = checkReceiptNumber(receipt);
    if (!checked.ok) return sendHtml(reply, 404, pageNotFound(context));
    try {
      const view = await lookUpCase(deps.api, checked.receiptNumber, request.ip);
      return sendMarkup(reply.header('cache-control', 'no-store'), renderToString(<CaseDetails context={context} view={view} surveyHref={surveyFor(view, lang)} />));
    } catch (error) {
      if (isProblem(error, 'NOT_FOUND', 'INVALID_RECEIPT_NUMBER')) return sendHtml(reply, 404, pageNotFound(context));
      return sendProblemPage(reply, context, error);
    }
  });
}
