/** @jsxRuntime automatic @jsxImportSource preact */
import { AGENCIES } from '@case-status/case-domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Language } from '@case-status/case-domain';
import { LookupPage } from '../pages/lookup';
import { MessagePage } from '../pages/message';
import { href, type PageContext } from '../pages/page-context';
import { csrfTokenMatches, type Account } from '@case-status/identity';
import { csrfRefused, signInHref, type WebIdentityOptions } from '../identity/identity.routes';
import { FeedbackResultsDocument, FeedbackSurveyDocument, SubmitFeedbackDocument, type FeedbackAnswersInput, type Language as ApiLanguage } from '../api/operations.generated';
import { answered, type StatusApiClient } from '../api/status-api.client';
import { checkReceiptNumber } from '../receipt-number';
import { apiAnswerHeaders, isProblem, sendHtml, sendProblemPage } from '../routes/render';
import type { WebDeps } from '../web.app';
import { FEEDBACK_MESSAGES } from './feedback-messages';
import { ResultsPage } from './results.page';
import { FIELD_OF, SurveyPage, type SurveyFormState } from './survey.page';

type Body = Record<string, string | undefined>;
type SurveyRequest = FastifyRequest<{ Params: { lang: Language; receipt: string }; Querystring: { link?: string }; Body: Body | undefined }>;
type ResultsRequest = FastifyRequest<{ Params: { lang: Language }; Querystring: { selection?: string; agency?: string; service?: string } }>;

/** Where the case page and My cases link to after a decision (`WebAppOptions.feedbackSurvey`). */
export function feedbackSurveyHref(decidedCase: { receiptNumber: string; language: Language }): string {
  return `/${decidedCase.language}/case/${encodeURIComponent(decidedCase.receiptNumber)}/feedback`;
}

/** What the status API accepts as a comment (`feedbackSurvey.freeText.maxLength`). */
const MAX_FREE_TEXT = 2000;
/** Longer than any survey link's token: anything longer is not one, and is not passed on. */
const MAX_LINK = 100;

const apiLanguage = (language: Language): ApiLanguage => (language === 'es' ? 'ES' : 'EN');

/** The survey's questions in the page's language, naming the agency. */
async function surveyOf(api: StatusApiClient, language: Language, agency: string, clientIp: string | undefined) {
  return (await api.send(FeedbackSurveyDocument, { language: apiLanguage(language), agency }, clientIp)).feedbackSurvey;
}

/**
 * How the visitor says they are the applicant: the survey link's token (sent with the decision
 * notice), or their session, signed in at IAL2 (the status API then checks My cases). The site
 * decides nothing: it passes the proof on, and the status API answers.
 */
type Proof = { kind: 'link'; token: string } | { kind: 'signed-in'; account: Account; csrfToken: string };

function proofOf(request: FastifyRequest, identity: WebIdentityOptions | undefined, link: string | undefined): Proof | null {
  if (typeof link === 'string' && link !== '') return { kind: 'link', token: link.slice(0, MAX_LINK) };
  const session = request.identity?.session;
  if (identity && session?.data.kind === 'signed-in' && session.data.account.assuranceLevel >= 2) return { kind: 'signed-in', account: session.data.account, csrfToken: session.csrfToken };
  return null;
}

/**
 * The customer feedback survey (OMB A-11 Section 280) on the site: the survey of a decided
 * case for its applicant, the thank-you page, the published results per agency and service,
 * and their CSV. Every page works without JavaScript; answers are sent with a plain form POST.
 */
export function registerFeedbackRoutes(site: FastifyInstance, deps: WebDeps, identity?: WebIdentityOptions): void {
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

  /**
   * Who may answer, and how to become them: the same page for every receipt number, whether the
   * case exists, is decided or has answered, so it tells a stranger nothing about the case.
   */
  const howToAnswer = (reply: FastifyReply, context: PageContext, status: number) => {
    const m = FEEDBACK_MESSAGES[context.language].onlyApplicant;
    return sendHtml(
      reply,
      status,
      <MessagePage context={context} title={m.title} type="info" body={m.body} section="case">
        <ul class="usa-list margin-top-3" data-how-to-answer>
          <li>{m.link}</li>
          {identity && (
            <li>
              {m.signIn}{' '}
              <a class="usa-link" href={signInHref(context, '/my-cases', 2)}>
                {m.signInLink}
              </a>
            </li>
          )}
        </ul>
      </MessagePage>,
      'no-store',
    );
  };

  /** The survey form, for someone who brings a proof; whether it is a good one, the status API says when they answer. */
  const surveyForm = async (request: SurveyRequest, reply: FastifyReply, proof: Proof, state: SurveyFormState, status = 200) => {
    const context = deps.context(request, request.params.lang);
    const checked = checkReceiptNumber(request.params.receipt);
    if (!checked.ok) return sendHtml(reply, 400, <LookupPage context={context} value={request.params.receipt} error={context.t.receiptProblem(checked.problem)} />);
    const survey = await surveyOf(api, context.language, checked.agency, request.ip);
    const hidden = proof.kind === 'link' ? { link: proof.token } : { csrf: proof.csrfToken };
    return sendHtml(reply, status, <SurveyPage context={context} receiptNumber={checked.receiptNumber} survey={survey} state={state} hidden={hidden} />, 'no-store');
  };

  const refusals = (request: SurveyRequest, reply: FastifyReply, error: unknown) => {
    const context = deps.context(request, request.params.lang);
    const m = FEEDBACK_MESSAGES[context.language].survey;
    const receipt = request.params.receipt;
    if (isProblem(error, 'FEEDBACK_NOT_ALLOWED')) return howToAnswer(reply, context, 403);
    if (isProblem(error, 'NOT_FOUND')) return sendHtml(reply, 404, <LookupPage context={context} value={receipt} error={context.t.receiptProblem({ kind: 'unrecognized' })} />);
    if (isProblem(error, 'CASE_NOT_DECIDED')) return message(reply, context, 409, m.notDecidedTitle, m.notDecidedBody, receipt);
    if (isProblem(error, 'FEEDBACK_ALREADY_SUBMITTED')) return message(reply, context, 409, m.alreadyTitle, m.alreadyBody, receipt);
    if (isProblem(error, 'FEEDBACK_UNAVAILABLE')) return message(reply, context, 503, m.notDecidedTitle, m.unavailable, receipt);
    request.log.warn({ err: error }, 'feedback survey failed');
    return sendProblemPage(reply, context, error);
  };

  site.get('/case/:receipt/feedback', async (request: SurveyRequest, reply) => {
    const proof = proofOf(request, identity, request.query.link);
    if (!proof) return howToAnswer(reply, deps.context(request, request.params.lang), 200);
    try {
      return await surveyForm(request, reply, proof, {});
    } catch (error) {
      return refusals(request, reply, error);
    }
  });

  site.post('/case/:receipt/feedback', async (request: SurveyRequest, reply) => {
    const context = deps.context(request, request.params.lang);
    const m = FEEDBACK_MESSAGES[context.language].survey;
    const body = request.body ?? {};
    const proof = proofOf(request, identity, body['link']);
    if (!proof) return howToAnswer(reply, context, 403);
    // A signed-in answer is a signed-in form: it carries the session's token.
    if (proof.kind === 'signed-in' && !csrfTokenMatches(proof.csrfToken, body['csrf'])) return csrfRefused(reply, context);
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
      if (!checked.ok) return await surveyForm(request, reply, proof, state);
      if (Object.keys(answers).length === 0) return await surveyForm(request, reply, proof, { ...state, error: { field: 'answers', message: m.noAnswer } }, 400);
      const variables = {
        receiptNumber: checked.receiptNumber,
        answers: { ...answers, ...(freeText && { freeText }) },
        language: apiLanguage(context.language),
        surveyLink: proof.kind === 'link' ? proof.token : null,
      };
      const asking = proof.kind === 'signed-in' && identity ? `Bearer ${await identity.assertions.sign(proof.account)}` : undefined;
      const submitted = await api.send(SubmitFeedbackDocument, variables, request.ip, asking);
      answered(submitted.submitFeedback, 'submitFeedback');
      // Post/redirect/get: a reload of the thank-you page sends nothing again, and its URL names no case.
      return reply.header('cache-control', 'no-store').redirect(href(context, '/feedback/thanks'), 303);
    } catch (error) {
      if (isProblem(error, 'INVALID_ANSWER')) {
        const field = error.argument === 'answers.freeText' ? 'freeText' : 'answers';
        const text = field === 'freeText' ? m.tooLong(MAX_FREE_TEXT) : m.noAnswer;
        try {
          return await surveyForm(request, reply, proof, { ...state, error: { field, message: text } }, 400);
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

