/** @jsxRuntime automatic @jsxImportSource preact */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Language } from '@case-status/case-domain';
import { MyClientsDocument } from '../api/operations.generated';
import type { StatusApiClient } from '../api/status-api.client';
import { accountOrRefusal, type IdentityDeps, type WebIdentityOptions } from '../identity/identity.routes';
import { sendHtml, sendProblemPage } from '../routes/render';
import { MyClientsPage } from './my-clients.page';

interface MyClientsDeps extends IdentityDeps {
  api: StatusApiClient;
}

/**
 * "My clients" (`/{lang}/my-clients`), for representatives signed in at IAL2. The status API
 * decides what it lists, from the agencies' appointments, for the person the site's signed
 * assertion names; the page never picks a case.
 */
export function registerMyClientsRoutes(site: FastifyInstance, deps: MyClientsDeps, options: WebIdentityOptions): void {
  site.get('/my-clients', async (request: FastifyRequest<{ Params: { lang: Language } }>, reply) => {
    const account = accountOrRefusal(deps, request, reply, 2, '/my-clients');
    if (!account) return reply;
    const context = deps.context(request, request.params.lang);
    try {
      const { myClients } = await deps.api.send(MyClientsDocument, {}, request.ip, `Bearer ${await options.assertions.sign(account)}`);
      return sendHtml(reply, 200, <MyClientsPage context={context} cases={myClients} />, 'no-store');
    } catch (error) {
      request.log.warn({ err: error }, 'my clients could not be read');
      return sendProblemPage(reply, context, error);
    }
  });
}
