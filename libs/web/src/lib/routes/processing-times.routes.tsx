/** @jsxRuntime automatic @jsxImportSource preact */
import { AGENCIES } from '@case-status/case-domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Language } from '@case-status/case-domain';
import { EstimateAccuracyDocument, ProcessingTimesDocument } from '../api/operations.generated';
import { ProcessingTimesPage } from '../pages/processing-times';
import type { WebDeps } from '../web.app';
import { apiAnswerHeaders, sendHtml, sendProblemPage } from './render';

type FormQuery = FastifyRequest<{ Params: { lang: Language }; Querystring: { form?: string } }>;

/** The agency and form of `?form=AGENCY:FORM`, when both are known. */
function chosenForm(form: string | undefined): { agency: (typeof AGENCIES)[string]; formType: string } | null {
  const [agencyCode, formType] = (form ?? '').split(':');
  const agency = agencyCode ? AGENCIES[agencyCode] : undefined;
  return agency && agency.formTypes.some((known) => known.code === formType) ? { agency, formType } : null;
}

/**
 * Processing times of one form at every office of its agency, from the status API's
 * `processingTimes` (one operation per office), and how often the dates served for the form
 * came true (`estimateAccuracy`), all sent together; the accuracy also as CSV.
 */
export function registerProcessingTimesRoutes(site: FastifyInstance, deps: WebDeps): void {
  site.get('/processing-times', async (request: FormQuery, reply) => {
    const context = deps.context(request, request.params.lang);
    const chosen = chosenForm(request.query.form);
    if (!chosen) return sendHtml(reply, request.query.form ? 400 : 200, <ProcessingTimesPage context={context} selected={null} />);
    const { agency, formType } = chosen;
    try {
      const [accuracy, ...answers] = await Promise.all([
        deps.api.send(EstimateAccuracyDocument, { agency: agency.code, formType }, request.ip),
        ...agency.offices.map((office) => deps.api.send(ProcessingTimesDocument, { agency: agency.code, formType, office: office.code }, request.ip)),
      ]);
      const rows = answers.flatMap(({ processingTimes }) => (processingTimes ? [processingTimes] : []));
      return sendHtml(reply, 200, <ProcessingTimesPage context={context} selected={{ agency: agency.code, formType, rows, accuracy: accuracy.estimateAccuracy }} />);
    } catch (error) {
      request.log.warn({ err: error }, 'processing times failed');
      return sendProblemPage(reply, context, error);
    }
  });

  // The status API's CSV of the accuracy, passed on from the site's own origin.
  site.get('/processing-times/accuracy.csv', async (request: FormQuery, reply) => {
    const context = deps.context(request, request.params.lang);
    const chosen = chosenForm(request.query.form);
    if (!chosen) return sendHtml(reply, 400, <ProcessingTimesPage context={context} selected={null} />);
    try {
      const query = new URLSearchParams({ agency: chosen.agency.code, formType: chosen.formType });
      const answer = await deps.api.get(`/estimates/accuracy.csv?${query}`, 'text/csv', request.ip);
      return reply.code(answer.status).headers(apiAnswerHeaders(answer.headers)).send(answer.body);
    } catch (error) {
      return sendProblemPage(reply, context, error);
    }
  });
}
