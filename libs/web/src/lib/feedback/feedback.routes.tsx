/** @jsxRuntime automatic @jsxImportSource preact */
import { AGENCIES } from '@case-status/case-domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '@case-status/case-domain';
import { LookupPage } from '../pages/lookup';
import { MessagePage } from '../pages/message';
import { href, type PageContext } from '../pages/page-context';
import { lookUpCase } from '../api/case-lookup';
import { FeedbackResultsDocument, FeedbackSurveyDocument, SubmitFeedbackDocument, type FeedbackAnswersInput } from '../api/operations.generated';
import { answered, type StatusApiClient } from '../api/status-api.client';
import { checkReceiptNumber } from '../receipt-number';
import { apiAnswerHeaders, isProblem, sendHtml, sendProblemPage } from '../routes/render';
import type { WebDeps } from '../web.app';
import { FEEDBACK_MESSAGES } from './feedback-messages';
import { ResultsPage } from './results.page';
import { FIELD_OF, SurveyPage, type SurveyFormState } from './survey.page';

type Body = Record<string, string | undefined>;
type SurveyRequest = FastifyRequest<{ Params: { lang: Language; receipt: string }; Body: Body | undefined }>;
type ResultsRequest = FastifyRequest<{ Params: { lang: Language }; Querystring: { selection?: string; agency?: string; service?: string } }>;

/** Where the case page links to after a decision (`WebAppOptions.feedbackSurvey`). */
export function feedbackSurveyHref(decidedCase: { receiptNumber: string; language: Language }): string {
  return `/${decidedCase.language}/case/${encodeURIComponent(decidedCase.receiptNumber)}/feedback`;
}

/** What the status API accepts as a comment (`feedbackSurvey.freeText.maxLength`). */
const MAX_FREE_TEXT = 2000;

const apiLanguage = (language: Language) => (language === 'es' ? 'ES' : 'EN');

/** The survey's questions in the page's language, naming the agency. */
async function surveyOf(api: StatusApiClient, language: Language, agency: string, clientIp: string | undefined) {
  return (await api.send(FeedbackSurveyDocument, { language: apiLanguage(language), agency }, clientIp)).feedbackSurvey;
}

/**
 * The customer feedback survey (OMB A-11 Section 280) on the site: the survey of a decided
 * case, the thank-you page, the published results per agency and service, and their CSV.
 * Every page works without JavaScript; answers are sent with a plain form POST.
 */
export function registerFeedbackRoutes(site: FastifyInstance, deps: WebDeps): void {
  const { api } = deps;

  /** A message page with a way back to the case. */
  const message = (reply: FastifyReply, context: PageContext, status: number, title: string, body: string, receiptNumber: string) =>
    sendHtml(
      reply,
      status,
      <MessagePage context={context} title={title} type="info" body={body} section="case">
        <p class="margin-top-4">
          <a class="usa-button" href={href(context, `/case/${encodeURIComponent(receiptNumber)}`)}>
            {FEEDBACK_MESSAGES[context.language].survey.backToCase}
          </a>
        </p>
      </MessagePage>,
      'no-store',
    );

  /** The survey for a case that has a decision; otherwise a page saying why there is none. */
  const surveyOrRefusal = async (request: SurveyRequest, reply: FastifyReply, state: SurveyFormState, status = 200) => {
    const context = deps.context(request, request.params.lang);
    const m = FEEDBACK_MESSAGES[context.language].survey;
    const checked = checkReceiptNumber(request.params.receipt);
    if (!checked.ok) return sendHtml(reply, 400, <LookupPage context={context} value={request.params.receipt} error={context.t.receiptProblem(checked.problem)} />);
    const view = await lookUpCase(api, checked.receiptNumber, request.ip);
    if (!view.decision) return message(reply, context, 409, m.notDecidedTitle, m.notDecidedBody, view.receiptNumber);
    const survey = await surveyOf(api, context.language, view.agency, request.ip);
    return sendHtml(reply, status, <SurveyPage context={context} receiptNumber={view.receiptNumber} survey={survey} state={state} />, 'no-store');
  };

  const refusals = (request: SurveyRequest, reply: FastifyReply, error: unknown) => {
    const context = deps.context(request, request.params.lang);
    const m = FEEDBACK_MESSAGES[context.language].survey;
    const receipt = request.params.receipt;
    if (isProblem(error, 'NOT_FOUND')) return sendHtml(reply, 404, <LookupPage context={context} value={receipt} error={context.t.receiptProblem({ kind: 'unrecognized' })} />);
    if (isProblem(error, 'CASE_NOT_DECIDED')) return message(reply, context, 409, m.notDecidedTitle, m.notDecidedBody, receipt);
    if (isProblem(error, 'FEEDBACK_ALREADY_SUBMITTED')) return message(reply, context, 409, m.alreadyTitle, m.alreadyBody, receipt);
    if (isProblem(error, 'FEEDBACK_UNAVAILABLE')) return message(reply, context, 503, m.notDecidedTitle, m.unavailable, receipt);
    request.log.warn({ err: error }, 'feedback survey failed');
    return sendProblemPage(reply, context, error);
  };

  site.get('/case/:receipt/feedback', async (request: SurveyRequest, reply) => {
    try {
      return await surveyOrRefusal(request, reply, {});
    } catch (error) {
      return refusals(request, reply, error);
    }
  });

  site.post('/case/:receipt/feedback', async (request: SurveyRequest, reply) => {
    const context = deps.context(request, request.params.lang);
    const m = FEEDBACK_MESSAGES[context.language].survey;
    const body = request.body ?? {};
    const chosen: Record<string, string> = {};
    const answers: FeedbackAnswersInput = {};
    for (const field of Object.values(FIELD_OF)) {
      const value = body[field];
      if (value === undefined || value === '') continue;
      chosen[field] = value;
      if (/^[1-5]$/.test(value)) answers[field] = Number(value);
    }
    const freeText = (body['freeText'] ?? '').trim();
    const state: SurveyFormState = { answers: chosen, freeText };
    const checked = checkReceiptNumber(request.params.receipt);
    try {
      if (!checked.ok) return await surveyOrRefusal(request, reply, state);
      if (Object.keys(answers).length === 0) return await surveyOrRefusal(request, reply, { ...state, error: { field: 'answers', message: m.noAnswer } }, 400);
      const submitted = await api.send(SubmitFeedbackDocument, { receiptNumber: checked.receiptNumber, answers: { ...answers, ...(freeText && { freeText }) }, language: apiLanguage(context.language) }, request.ip);
      answered(submitted.submitFeedback, 'submitFeedback');
      // Post/redirect/get: a reload of the thank-you page sends nothing again, and its URL names no case.
      return reply.header('cache-control', 'no-store').redirect(href(context, '/feedback/thanks'), 303);
    } catch (error) {
      if (isProblem(error, 'INVALID_ANSWER')) {
        const field = error.argument === 'answers.freeText' ? 'freeText' : 'answers';
        const text = field === 'freeText' ? m.tooLong(MAX_FREE_TEXT) : m.noAnswer;
        try {
          return await surveyOrRefusal(request, reply, { ...state, error: { field, message: text } }, 400);
        } catch (again) {
          return refusals(request, reply, again);
        }
      }
      return refusals(request, reply, error);
    }
  });

  site.get('/feedback/thanks', async (request: FastifyRequest<{ Params: { lang: Language } }>, reply) => {
    const context = deps.context(request, request.params.lang);
    const m = FEEDBACK_MESSAGES[context.language].thanks;
    return sendHtml(
      reply,
      200,
      <MessagePage context={context} title={m.title} type="success" body={m.body}>
        <p class="margin-top-4">
          <a class="usa-link" href={href(context, '/feedback/results')}>
            {m.results}
          </a>
        </p>
      </MessagePage>,
    );
  });

  site.get('/feedback/results', async (request: ResultsRequest, reply) => {
    const context = deps.context(request, request.params.lang);
    const [agencyCode, service] = (request.query.selection ?? `${request.query.agency ?? ''}:${request.query.service ?? ''}`).split(':');
    const agency = agencyCode ? AGENCIES[agencyCode] : undefined;
    const known = agency && (!service || agency.formTypes.some((form) => form.code === service));
    if (!agency || !known) return sendHtml(reply, request.query.selection || request.query.agency ? 400 : 200, <ResultsPage context={context} selected={null} />);
    try {
      const [results, survey] = await Promise.all([
        api.send(FeedbackResultsDocument, { agency: agency.code, service: service || null }, request.ip).then((answer) => answered(answer.feedbackResults, 'feedbackResults')),
        surveyOf(api, context.language, agency.code, request.ip),
      ]);
      return sendHtml(reply, 200, <ResultsPage context={context} selected={{ agency: agency.code, ...(service && { service }), results, survey }} />);
    } catch (error) {
      if (isProblem(error, 'FEEDBACK_UNAVAILABLE')) {
        return sendHtml(reply, 503, <ResultsPage context={context} selected={null} problem={FEEDBACK_MESSAGES[context.language].survey.unavailable} />);
      }
      request.log.warn({ err: error }, 'feedback results failed');
      return sendProblemPage(reply, context, error);
    }
  });

  // The status API's CSV, passed on from the site's own origin so the link works wherever the API is.
  site.get('/feedback/results.csv', async (request: FastifyRequest<{ Params: { lang: Language }; Querystring: Record<string, string> }>, reply) => {
    const query = new URLSearchParams();
    for (const name of ['agency', 'service', 'fromQuarter', 'toQuarter']) {
      const value = request.query[name];
      if (typeof value === 'string') query.set(name, value);
    }
    try {
      const answer = await api.get(`/feedback/results.csv?${query}`, 'text/csv', request.ip);
      return reply.code(answer.status).headers(apiAnswerHeaders(answer.headers)).send(answer.body);
    } catch (error) {
      return sendProblemPage(reply, deps.context(request, request.params.lang), error);
    }
  });
}

