/** @jsxRuntime automatic @jsxImportSource preact */
import { AGENCIES } from '@case-status/case-domain';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Language } from '@case-status/case-domain';
import { ProcessingTimesDocument } from '../api/operations.generated';
import { ProcessingTimesPage } from '../pages/processing-times';
import type { WebDeps } from '../web.app';
import { sendHtml, sendProblemPage } from './render';

/** Processing times of one form at every office of its agency, from the status API's `processingTimes` (one operation per office, sent together). */
export function registerProcessingTimesRoutes(site: FastifyInstance, deps: WebDeps): void {
  site.get('/processing-times', async (request: FastifyRequest<{ Params: { lang: Language }; Querystring: { form?: string } }>, reply) => {
    const context = deps.context(request, request.params.lang);
    const [agencyCode, formType] = (request.query.form ?? '').split(':');
    const agency = agencyCode ? AGENCIES[agencyCode] : undefined;
    if (!agency || !agency.formTypes.some((form) => form.code === formType)) {
      return sendHtml(reply, request.query.form ? 400 : 200, <ProcessingTimesPage context={context} selected={null} />);
    }
    try {
      const answers = await Promise.all(
        agency.offices.map((office) => deps.api.send(ProcessingTimesDocument, { agency: agency.code, formType, office: office.code }, request.ip)),
      );
      const rows = answers.flatMap(({ processingTimes }) => (processingTimes ? [processingTimes] : []));
      return sendHtml(reply, 200, <ProcessingTimesPage context={context} selected={{ agency: agency.code, formType, rows }} />);
    } catch (error) {
      request.log.warn({ err: error }, 'processing times failed');
      return sendProblemPage(reply, context, error);
    }
  });
}
