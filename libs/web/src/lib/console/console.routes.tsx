/** @jsxRuntime automatic @jsxImportSource preact */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findAgency, isIsoDate, PUBLIC_STATUS_CODES, type Language } from '@case-status/case-domain';
import { csrfTokenMatches, type Account } from '@case-status/identity';
import { ConsoleBacklogDocument, ConsoleCaseDeliveriesDocument, ConsoleCaseRecordDocument, ConsoleCasesDocument, ConsoleDeliveriesDocument, ConsoleFeedbackCommentsDocument, FeedbackResultsDocument, ConsoleIntakeRefusalsDocument, ConsolePauseWebhookDocument, ConsoleRedriveDeadLettersDocument, ConsoleRedriveDeliveryDocument, ConsoleResumeWebhookDocument, ConsoleEstimateAccuracyDocument, ConsoleProcessingTimesDocument, ConsoleStaleCasesDocument, type CaseStatusCode } from '../api/operations.generated';
import { answered } from '../api/status-api.client';
import { accountOrRefusal, csrfRefused, signInHref, type IdentityDeps } from '../identity/identity.routes';
import { isProblem, pageNotFound, sendHtml, sendProblemPage } from '../routes/render';
import type { WebDeps } from '../web.app';
import { sendCsv } from './console-table';
import { accuracyTable, EstimatesPage, processingTimesTable } from './estimates.pages';
import {
  DELIVERY_ACTIONS,
  DELIVERY_CHANNELS,
  DELIVERY_STATUSES,
  deliveriesTable,
  DeliveriesPage,
  deliveryActionsTable,
  webhooksTable,
  type DeliveryActionName,
  type DeliveryFilter,
} from './deliveries.pages';
import { feedbackCommentsTable, FeedbackPage, feedbackResultsTable } from './feedback.pages';
import { REFUSAL_WINDOWS, RefusalsPage, refusalsTable } from './refusals.pages';
import { caseDeliveriesTable, caseEventsTable, CaseRecordPage, caseTimelineTable, type CaseRecord } from './case-record.pages';
import {
  BacklogPage,
  backlogTable,
  CasesPage,
  casesTable,
  ConsoleRefusalPage,
  flowTable,
  NotStaffPage,
  StalePage,
  staleTable,
  type CaseListFilter,
  type ConsoleFilter,
} from './console.pages';

/** The staff role the console needs in the sign-in's `roles` claim (the status API checks it again). */
const CASEWORKER_ROLE = 'caseworker';
const CASES_PER_PAGE = 25;
const FLOW_WEEKS = 12;
// Ten columns a case: 50 stay well inside the status API's query cost limit (1,000 points).
const STALE_CASES_LISTED = 50;
/** An API token this close to its end is not used: signing in again is quicker than a refusal. */
const TOKEN_MARGIN_MS = 30_000;
/** Deliveries a page of the console's delivery log: 25, inside the status API's query cost limit with the endpoints and actions. */
const DELIVERIES_PER_PAGE = 25;
/** Comments a page: the survey's free text is short (2,000 characters at most). */
const COMMENTS_PER_PAGE = 50;
/** The latest notifications of a case shown with its record (the delivery log pages through the rest). */
// Twelve fields a delivery: 50 stay well inside the status API's query cost limit.
const CASE_DELIVERIES_SHOWN = 50;

type ConsoleQuery = {
  formType?: string;
  office?: string;
  pending?: string;
  status?: string;
  channel?: string;
  receivedFrom?: string;
  receivedTo?: string;
  after?: string;
  receiptNumber?: string;
  days?: string;
  service?: string;
  quarter?: string;
  done?: string;
  count?: string;
};
type ConsoleRequest = FastifyRequest<{ Params: { lang: Language }; Querystring: ConsoleQuery; Body?: Record<string, unknown> }>;

/** The signed-in caseworker and their own token for the status API, as the `authorization` header. */
interface Staff {
  account: Account;
  authorization: string;
}

/** Query values are strings, once: a repeated parameter (`?office=A&office=B`) is not a filter. */
function single(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function cohortFilter(query: ConsoleQuery): ConsoleFilter {
  return { formType: single(query.formType), office: single(query.office) };
}

/** The case list's filter, or what is wrong with it. */
function caseListFilter(query: ConsoleQuery): CaseListFilter | string {
  const pending = single(query.pending);
  if (pending !== undefined && pending !== 'true' && pending !== 'false') return `"pending" must be true or false, not "${pending}".`;
  const statusCode = single(query.status);
  if (statusCode !== undefined && !(PUBLIC_STATUS_CODES as readonly string[]).includes(statusCode)) return `"${statusCode}" is not a status; choose one from the list.`;
  for (const name of ['receivedFrom', 'receivedTo'] as const) {
    const value = single(query[name]);
    if (value !== undefined && !isIsoDate(value)) return `"${name}" must be a date such as 2026-01-31, not "${value}".`;
  }
  return { ...cohortFilter(query), pending: pending === undefined ? undefined : pending === 'true', statusCode, receivedFrom: single(query.receivedFrom), receivedTo: single(query.receivedTo) };
}

/**
 * The caseworker console, in English, under `/en/console`: the backlog with its aging and
 * weekly flow, the case list it drills into, the stale cases, each table also as CSV. Only a
 * signed-in person whose sign-in says `caseworker` and names an agency gets in; every query
 * goes to the status API with the person's own access token, and the API answers for the
 * token's agency only, so the console can show nothing the person could not ask the API for.
 */
export function registerConsoleRoutes(site: FastifyInstance, deps: WebDeps & IdentityDeps): void {
  /** The caseworker, or null once the answer (not found, sign in, refused) is on its way. */
  const staffOf = (request: ConsoleRequest, reply: FastifyReply): Staff | null => {
    const context = deps.context(request, request.params.lang);
    if (request.params.lang !== 'en') {
      void sendHtml(reply, 404, pageNotFound(context));
      return null;
    }
    const account = accountOrRefusal(deps, request, reply, 2, context.path);
    if (!account) return null;
    if (!account.roles.includes(CASEWORKER_ROLE) || !account.agency) {
      request.log.info({ subject: account.subject }, 'console refused: not agency staff');
      void sendHtml(reply, 403, <NotStaffPage context={context} />, 'no-store');
      return null;
    }
    const data = request.identity?.session?.data;
    const apiToken = data?.kind === 'signed-in' ? data.apiToken : undefined;
    if (!apiToken) {
      // Signing in again would end the same way: the site is not set up to ask for the token.
      request.log.warn({ subject: account.subject }, 'console refused: the sign-in brought no token for the status API');
      const body = 'Your sign-in did not give the console access to the status API. Your agency’s sign-in is not set up for the console yet.';
      void sendHtml(reply, 403, <ConsoleRefusalPage context={context} title="The console is not available" body={body} />, 'no-store');
      return null;
    }
    if (Date.parse(apiToken.expiresAt) - TOKEN_MARGIN_MS <= Date.now()) {
      // The provider still knows the person: signing in again comes straight back with a new token.
      void reply.header('cache-control', 'no-store').redirect(signInHref(context, context.path, 2), 303);
      return null;
    }
    return { account, authorization: `Bearer ${apiToken.value}` };
  };

  /** A refusal or failure of the status API as a page: never another agency's data, never a code. */
  const sendRefusal = (request: ConsoleRequest, reply: FastifyReply, error: unknown): FastifyReply => {
    const context = deps.context(request, request.params.lang);
    if (isProblem(error, 'UNAUTHENTICATED')) {
      request.log.warn({ err: error }, 'the status API did not accept a caseworker token');
      const body = 'The status API did not accept your sign-in. Sign in again; if this keeps happening, your agency’s sign-in is not set up for the console.';
      return sendHtml(reply, 401, <ConsoleRefusalPage context={context} title="Please sign in again" body={body} signInHref={signInHref(context, context.path, 2)} />, 'no-store');
    }
    if (isProblem(error, 'FORBIDDEN')) {
      return sendHtml(reply, 403, <ConsoleRefusalPage context={context} title="Not allowed" body="Caseworkers see their own agency’s cases only." />, 'no-store');
    }
    if (isProblem(error, 'NOT_FOUND')) {
      return sendHtml(reply, 404, <ConsoleRefusalPage context={context} title="Not found" body={error.message} />, 'no-store');
    }
    if (isProblem(error, 'BAD_USER_INPUT', 'INVALID_RECEIPT_NUMBER')) {
      return sendHtml(reply, 400, <ConsoleRefusalPage context={context} title="Check the filter" body={error.message} />, 'no-store');
    }
    request.log.warn({ err: error }, 'console query failed');
    return sendProblemPage(reply.header('cache-control', 'no-store'), context, error);
  };

  const badFilter = (request: ConsoleRequest, reply: FastifyReply, message: string) =>
    sendHtml(reply, 400, <ConsoleRefusalPage context={deps.context(request, request.params.lang)} title="Check the filter" body={message} />, 'no-store');

  const backlog = (request: ConsoleRequest, staff: Staff) => {
    const filter = cohortFilter(request.query);
    return deps.api
      .send(ConsoleBacklogDocument, { formType: filter.formType, office: filter.office, weeks: FLOW_WEEKS }, request.ip, staff.authorization)
      .then((answer) => ({ filter, backlog: answered(answer.backlog, 'backlog'), flow: answered(answer.weeklyCaseFlow, 'weeklyCaseFlow') }));
  };

  const cases = (request: ConsoleRequest, staff: Staff, filter: CaseListFilter) =>
    deps.api
      .send(
        ConsoleCasesDocument,
        {
          filter: {
            formType: filter.formType,
            office: filter.office,
            pending: filter.pending,
            statusCode: filter.statusCode as CaseStatusCode | undefined,
            receivedFrom: filter.receivedFrom,
            receivedTo: filter.receivedTo,
          },
          first: CASES_PER_PAGE,
          after: single(request.query.after),
        },
        request.ip,
        staff.authorization,
      )
      .then((answer) => answered(answer.cases, 'cases'));

  const stale = (request: ConsoleRequest, staff: Staff) => {
    const filter = cohortFilter(request.query);
    return deps.api
      .send(ConsoleStaleCasesDocument, { formType: filter.formType, office: filter.office, first: STALE_CASES_LISTED }, request.ip, staff.authorization)
      .then((answer) => ({ filter, rows: answered(answer.staleCases, 'staleCases') }));
  };

  /** The form the estimates pages are for: the one asked for, or the agency's first. */
  const estimatesForm = (request: ConsoleRequest, staff: Staff) => single(request.query.formType) ?? findAgency(staff.account.agency ?? '')?.formTypes[0]?.code ?? '';
  const processingTimes = (request: ConsoleRequest, staff: Staff, formType: string) =>
    deps.api.send(ConsoleProcessingTimesDocument, { formType }, request.ip, staff.authorization).then((answer) => answered(answer.cohortProcessingTimes, 'cohortProcessingTimes'));
  const accuracy = (request: ConsoleRequest, staff: Staff, formType: string) =>
    deps.api.send(ConsoleEstimateAccuracyDocument, { formType }, request.ip, staff.authorization).then((answer) => answered(answer.servedEstimateAccuracy, 'servedEstimateAccuracy'));
  /** A case's record and the notifications sent about it; null deliveries where the platform sends none. */
  const caseRecord = async (request: ConsoleRequest, staff: Staff) => {
    const receiptNumber = single(request.query.receiptNumber)?.trim().toUpperCase() ?? '';
    const answer = await deps.api.send(ConsoleCaseRecordDocument, { receiptNumber }, request.ip, staff.authorization);
    const record: CaseRecord = {
      caseEvents: answered(answer.caseEvents, 'caseEvents'),
      casePrivateDetails: answered(answer.casePrivateDetails, 'casePrivateDetails'),
      caseStatus: answered(answer.caseStatus, 'caseStatus'),
    };
    const deliveries = await deps.api
      .send(ConsoleCaseDeliveriesDocument, { receiptNumber, first: CASE_DELIVERIES_SHOWN }, request.ip, staff.authorization)
      .then((log) => answered(log.deliveryLog, 'deliveryLog'))
      .catch((error: unknown) => {
        if (isProblem(error, 'NOTIFICATIONS_UNAVAILABLE')) return null;
        throw error;
      });
    return { record, deliveries };
  };
  /** The delivery log's filter, or what is wrong with it. */
  const deliveryFilter = (query: ConsoleQuery): DeliveryFilter | string => {
    const status = single(query.status);
    const channel = single(query.channel);
    if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) return `"${status}" is not a delivery outcome; choose one from the list.`;
    if (channel !== undefined && !(DELIVERY_CHANNELS as readonly string[]).includes(channel)) return `"${channel}" is not a channel; choose email or webhook.`;
    return { status: status as DeliveryFilter['status'], channel: channel as DeliveryFilter['channel'] };
  };
  const deliveries = (request: ConsoleRequest, staff: Staff, filter: DeliveryFilter) =>
    deps.api
      .send(ConsoleDeliveriesDocument, { ...filter, first: DELIVERIES_PER_PAGE, after: single(request.query.after) }, request.ip, staff.authorization)
      .then((answer) => ({ log: answered(answer.deliveryLog, 'deliveryLog'), webhooks: answered(answer.agencyWebhooks, 'agencyWebhooks'), actions: answered(answer.deliveryActions, 'deliveryActions') }));
  /** Runs one staff action through the status API, which records it under the token's subject; how many it re-drove. */
  const act = async (request: ConsoleRequest, staff: Staff, action: DeliveryActionName, id: string): Promise<number> => {
    const send = <R, V>(document: Parameters<typeof deps.api.send<R, V>>[0], variables: V) => deps.api.send(document, variables, request.ip, staff.authorization);
    if (action === 'redrive') return answered((await send(ConsoleRedriveDeliveryDocument, { id })).redriveDelivery, 'redriveDelivery').redriven;
    if (action === 'redrive-endpoint') return answered((await send(ConsoleRedriveDeadLettersDocument, { endpointId: id })).redriveDeadLetters, 'redriveDeadLetters').redriven;
    if (action === 'pause') answered((await send(ConsolePauseWebhookDocument, { id })).pauseWebhook, 'pauseWebhook');
    else answered((await send(ConsoleResumeWebhookDocument, { id })).resumeWebhook, 'resumeWebhook');
    return 0;
  };
  /** The refusals' window in days (one of the offered ones; a week unless asked), or what is wrong with it. */
  const refusalDays = (query: ConsoleQuery): number | string => {
    const days = single(query.days);
    if (days === undefined) return 7;
    return (REFUSAL_WINDOWS as readonly number[]).includes(Number(days)) ? Number(days) : `"days" must be one of ${REFUSAL_WINDOWS.join(', ')}, not "${days}".`;
  };
  const refusals = (request: ConsoleRequest, staff: Staff, days: number) =>
    deps.api.send(ConsoleIntakeRefusalsDocument, { days }, request.ip, staff.authorization).then((answer) => answered(answer.intakeRefusals, 'intakeRefusals'));
  /**
   * The agency's published survey results (the public query, for the signed-in person's own
   * agency) and a page of the comments of one quarter (the latest closed one unless asked),
   * which the status API gives the agency's caseworkers only.
   */
  const feedbackResults = async (request: ConsoleRequest, staff: Staff) => {
    const service = single(request.query.service);
    return answered((await deps.api.send(FeedbackResultsDocument, { agency: staff.account.agency ?? '', service: service ?? null }, request.ip, staff.authorization)).feedbackResults, 'feedbackResults');
  };
  const feedback = async (request: ConsoleRequest, staff: Staff) => {
    const service = single(request.query.service);
    const results = await feedbackResults(request, staff);
    const quarter = single(request.query.quarter) ?? results.groups.map((group) => group.quarter).sort().at(-1) ?? results.openQuarter;
    const after = single(request.query.after);
    const comments = answered(
      (await deps.api.send(ConsoleFeedbackCommentsDocument, { quarter, service: service ?? null, first: COMMENTS_PER_PAGE, after: after ?? null }, request.ip, staff.authorization)).feedbackComments,
      'feedbackComments',
    );
    return { filter: { service, quarter }, results, comments, after };
  };
  const todayOf = (request: ConsoleRequest) => deps.context(request, 'en').now.toISOString().slice(0, 10);

  /** A console page or CSV: only for staff; a refusal of the status API answered as a page. */
  const route = (path: string, answer: (request: ConsoleRequest, reply: FastifyReply, staff: Staff) => Promise<FastifyReply>) =>
    site.get(path, async (request: ConsoleRequest, reply) => {
      const staff = staffOf(request, reply);
      if (!staff) return reply;
      try {
        return await answer(request, reply, staff);
      } catch (error) {
        return sendRefusal(request, reply, error);
      }
    });

  route('/console', async (request, reply, staff) => {
    const { filter, backlog: rows, flow } = await backlog(request, staff);
    const context = deps.context(request, 'en');
    const today = todayOf(request);
    return sendHtml(reply, 200, <BacklogPage context={context} account={staff.account} filter={filter} today={today} backlog={rows} flow={flow} />, 'no-store');
  });
  route('/console/backlog.csv', async (request, reply, staff) => sendCsv(reply, `backlog-${staff.account.agency}`, backlogTable((await backlog(request, staff)).backlog)));
  route('/console/flow.csv', async (request, reply, staff) => sendCsv(reply, `weekly-flow-${staff.account.agency}`, flowTable((await backlog(request, staff)).flow)));

  route('/console/cases', async (request, reply, staff) => {
    const filter = caseListFilter(request.query);
    if (typeof filter === 'string') return badFilter(request, reply, filter);
    const page = await cases(request, staff, filter);
    return sendHtml(reply, 200, <CasesPage context={deps.context(request, 'en')} account={staff.account} filter={filter} page={page} after={single(request.query.after)} />, 'no-store');
  });
  route('/console/cases.csv', async (request, reply, staff) => {
    const filter = caseListFilter(request.query);
    if (typeof filter === 'string') return badFilter(request, reply, filter);
    return sendCsv(reply, `cases-${staff.account.agency}`, casesTable(await cases(request, staff, filter)));
  });

  route('/console/stale', async (request, reply, staff) => {
    const { filter, rows } = await stale(request, staff);
    return sendHtml(reply, 200, <StalePage context={deps.context(request, 'en')} account={staff.account} filter={filter} rows={rows} />, 'no-store');
  });
  route('/console/stale.csv', async (request, reply, staff) => sendCsv(reply, `stale-cases-${staff.account.agency}`, staleTable((await stale(request, staff)).rows)));

  route('/console/estimates', async (request, reply, staff) => {
    const formType = estimatesForm(request, staff);
    const [offices, months] = await Promise.all([processingTimes(request, staff, formType), accuracy(request, staff, formType)]);
    return sendHtml(reply, 200, <EstimatesPage context={deps.context(request, 'en')} account={staff.account} formType={formType} today={todayOf(request)} offices={offices} accuracy={months} />, 'no-store');
  });
  route('/console/processing-times.csv', async (request, reply, staff) => {
    const formType = estimatesForm(request, staff);
    return sendCsv(reply, `processing-times-${staff.account.agency}-${formType}`, processingTimesTable(await processingTimes(request, staff, formType), todayOf(request)));
  });
  route('/console/estimate-accuracy.csv', async (request, reply, staff) => {
    const formType = estimatesForm(request, staff);
    return sendCsv(reply, `estimate-accuracy-${staff.account.agency}-${formType}`, accuracyTable(await accuracy(request, staff, formType)));
  });

  route('/console/case', async (request, reply, staff) => {
    if (single(request.query.receiptNumber) === undefined) return badFilter(request, reply, 'Enter the receipt number of the case to open.');
    const { record, deliveries } = await caseRecord(request, staff);
    return sendHtml(reply, 200, <CaseRecordPage context={deps.context(request, 'en')} account={staff.account} record={record} deliveries={deliveries} />, 'no-store');
  });
  route('/console/case-timeline.csv', async (request, reply, staff) => {
    const { record } = await caseRecord(request, staff);
    return sendCsv(reply, `case-timeline-${record.caseStatus.receiptNumber}`, caseTimelineTable(record));
  });
  route('/console/case-events.csv', async (request, reply, staff) => {
    const { record } = await caseRecord(request, staff);
    return sendCsv(reply, `case-events-${record.caseStatus.receiptNumber}`, caseEventsTable(record));
  });
  route('/console/case-deliveries.csv', async (request, reply, staff) => {
    const { record, deliveries } = await caseRecord(request, staff);
    return sendCsv(reply, `case-notifications-${record.caseStatus.receiptNumber}`, caseDeliveriesTable(record.caseStatus.receiptNumber, deliveries ?? { nodes: [], pageInfo: { hasNextPage: false } }));
  });

  route('/console/deliveries', async (request, reply, staff) => {
    const filter = deliveryFilter(request.query);
    if (typeof filter === 'string') return badFilter(request, reply, filter);
    const { log, webhooks, actions } = await deliveries(request, staff, filter);
    const done = single(request.query.done);
    const message = done !== undefined && Object.hasOwn(DELIVERY_ACTIONS, done) ? DELIVERY_ACTIONS[done as DeliveryActionName](Number(single(request.query.count) ?? 0)) : undefined;
    const csrfToken = request.identity?.session?.csrfToken ?? '';
    return sendHtml(
      reply,
      200,
      <DeliveriesPage context={deps.context(request, 'en')} account={staff.account} csrfToken={csrfToken} filter={filter} after={single(request.query.after)} deliveries={log} webhooks={webhooks} actions={actions} done={message} />,
      'no-store',
    );
  });
  route('/console/deliveries.csv', async (request, reply, staff) => {
    const filter = deliveryFilter(request.query);
    if (typeof filter === 'string') return badFilter(request, reply, filter);
    return sendCsv(reply, `deliveries-${staff.account.agency}`, deliveriesTable((await deliveries(request, staff, filter)).log));
  });
  route('/console/webhooks.csv', async (request, reply, staff) => sendCsv(reply, `webhooks-${staff.account.agency}`, webhooksTable((await deliveries(request, staff, {})).webhooks)));
  route('/console/delivery-actions.csv', async (request, reply, staff) => sendCsv(reply, `delivery-actions-${staff.account.agency}`, deliveryActionsTable((await deliveries(request, staff, {})).actions)));

  // Re-drive, pause, resume: a POST with the session's CSRF token, then back to the page (303), which says what was done.
  site.post('/console/deliveries', async (request: ConsoleRequest, reply) => {
    const staff = staffOf(request, reply);
    if (!staff) return reply;
    const context = deps.context(request, request.params.lang);
    const body = request.body ?? {};
    if (!csrfTokenMatches(request.identity?.session?.csrfToken ?? '', body['csrf'])) return csrfRefused(reply, context);
    const action = body['action'];
    const id = body['id'];
    if (typeof action !== 'string' || !Object.hasOwn(DELIVERY_ACTIONS, action) || typeof id !== 'string' || id === '' || id.length > 64) {
      return sendHtml(reply, 400, <ConsoleRefusalPage context={context} title="Check the request" body="The form asked for an action the console does not know." />, 'no-store');
    }
    try {
      const count = await act(request, staff, action as DeliveryActionName, id);
      request.log.info({ subject: staff.account.subject, action, id, count }, 'delivery action');
      return reply.header('cache-control', 'no-store').redirect(`/en/console/deliveries?done=${action}&count=${count}`, 303);
    } catch (error) {
      return sendRefusal(request, reply, error);
    }
  });

  route('/console/refusals', async (request, reply, staff) => {
    const days = refusalDays(request.query);
    if (typeof days === 'string') return badFilter(request, reply, days);
    return sendHtml(reply, 200, <RefusalsPage context={deps.context(request, 'en')} account={staff.account} days={days} refusals={await refusals(request, staff, days)} />, 'no-store');
  });
  route('/console/refusals.csv', async (request, reply, staff) => {
    const days = refusalDays(request.query);
    if (typeof days === 'string') return badFilter(request, reply, days);
    return sendCsv(reply, `intake-refusals-${staff.account.agency}`, refusalsTable(await refusals(request, staff, days)));
  });

  route('/console/feedback', async (request, reply, staff) => {
    const { filter, results, comments, after } = await feedback(request, staff);
    return sendHtml(reply, 200, <FeedbackPage context={deps.context(request, 'en')} account={staff.account} filter={filter} results={results} comments={comments} after={after} />, 'no-store');
  });
  route('/console/feedback-results.csv', async (request, reply, staff) => sendCsv(reply, `feedback-results-${staff.account.agency}`, feedbackResultsTable(await feedbackResults(request, staff))));
  route('/console/feedback-comments.csv', async (request, reply, staff) => {
    const { filter, comments } = await feedback(request, staff);
    return sendCsv(reply, `feedback-comments-${staff.account.agency}-${filter.quarter}`, feedbackCommentsTable(comments));
  });
}
