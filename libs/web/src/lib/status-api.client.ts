import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { FORWARDING_KEY_HEADER } from '@case-status/http-support';
import { estimateSelection, type SchemaTypes } from './estimate-selection';

/**
 * Everything the site knows it asks the status API over GraphQL HTTP: no read model, no
 * event store. Answers are typed to the fields selected here. Each request passes the
 * visitor's address on (`X-Forwarded-For`, with the forwarding key beside it when there is
 * one), so the status API counts its public rate limit per visitor, not for the whole site.
 */

/**
 * The headers that name the visitor to the status API. It believes the address only with
 * the key it was given (`X-Forwarding-Key`, the status API's `FORWARDING_KEY`), or when it
 * trusts this server as a proxy by address (`TRUST_PROXY`).
 */
export function visitorHeaders(clientIp: string | undefined, forwardingKey: string | undefined): Record<string, string> {
  if (!clientIp) return {};
  return { 'x-forwarded-for': clientIp, ...(forwardingKey && { [FORWARDING_KEY_HEADER]: forwardingKey }) };
}

export interface Bilingual {
  en: string;
  es: string;
}

export interface CaseView {
  receiptNumber: string;
  agency: string;
  formType: string;
  office: string;
  step: 'RECEIVED' | 'IN_REVIEW' | 'EVIDENCE' | 'DECIDED' | 'DOCUMENTS' | 'CLOSED';
  statusCode: string;
  statusText: Bilingual;
  nextStep: Bilingual;
  receivedAt: string;
  lastChangedAt: string;
  revision: string;
  decision: { outcome: string; decidedAt: string } | null;
  openEvidenceRequests: { requestId: string; dueDate: string; requestedAt: string }[];
  upcomingAppointments: { kind: string; scheduledFor: string; office: string }[];
  history: { eventId: string; occurredAt: string; step: string; title: Bilingual }[];
  /** Present only when the status API's schema has `CaseStatus.estimate`; its shape is read from the schema. */
  estimate?: unknown;
}

export interface ProcessingTimesView {
  office: string;
  windowStart: string;
  windowEnd: string;
  completedCount: number;
  pendingCount: number;
  medianDays: number | null;
  p80Days: number | null;
  p93Days: number | null;
}

/** The API answers every accepted request alike, whether or not the address already gets updates. */
export type SubscribeStatus = 'CONFIRMATION_SENT';

/** A refusal or failure of the status API, by the code the pages react to. */
export class StatusApiProblem extends Error {
  override readonly name = 'StatusApiProblem';

  constructor(
    /** The API's `extensions.code`, or `UNAVAILABLE` when it could not be reached or answered nonsense. */
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const CASE_FIELDS = `receiptNumber agency formType office step statusCode statusText { en es } nextStep { en es }
  receivedAt lastChangedAt revision decision { outcome decidedAt } openEvidenceRequests { requestId dueDate requestedAt }
  upcomingAppointments { kind scheduledFor office } history { eventId occurredAt step title { en es } }`;

const PROCESSING_FIELDS = 'windowStart windowEnd completedCount pendingCount medianDays p80Days p93Days';

const SCHEMA_QUERY = `{ __schema { types { name kind fields { name args { type { kind } defaultValue } type { ...Ref } } } } }
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`;

export interface StatusApiClientOptions {
  /** Base URL of the status API, e.g. http://127.0.0.1:3002 (the client adds /graphql). */
  url: string;
  /** Per request; default 5 s. */
  timeoutMs?: number;
  /** How long the schema's optional fields (the estimate) are trusted before being looked up again; default 5 minutes. */
  schemaTtlMs?: number;
  /** Sent beside the visitor's address so the status API believes it (its `forwardingKey`). */
  forwardingKey?: string;
}

interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number } }[];
}

export class StatusApiClient {
  private readonly endpoint: URL;
  private readonly agent: HttpAgent;
  private readonly timeoutMs: number;
  private readonly schemaTtlMs: number;
  private readonly forwardingKey: string | undefined;
  private caseQuery: { text: string; expires: number } | undefined;

  constructor(options: StatusApiClientOptions) {
    this.endpoint = new URL('/graphql', options.url);
    const agentOptions = { keepAlive: true, maxSockets: 64 };
    this.agent = this.endpoint.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.schemaTtlMs = options.schemaTtlMs ?? 300_000;
    this.forwardingKey = options.forwardingKey;
  }

  async caseStatus(receiptNumber: string, clientIp?: string): Promise<CaseView> {
    const query = await this.caseStatusQuery();
    const data = await this.request<{ caseStatus: CaseView | null }>(query, { r: receiptNumber }, clientIp);
    if (!data.caseStatus) throw new StatusApiProblem('NOT_FOUND', `no case ${receiptNumber}`);
    return data.caseStatus;
  }

  /** One form of one agency at each of the given offices, in one request. */
  async processingTimes(agency: string, formType: string, offices: readonly string[], clientIp?: string): Promise<ProcessingTimesView[]> {
    const fields = offices.map((office, i) => `o${i}: processingTimes(agency: $agency, formType: $form, office: ${JSON.stringify(office)}) { ${PROCESSING_FIELDS} }`);
    const data = await this.request<Record<string, Omit<ProcessingTimesView, 'office'> | null>>(
      `query ($agency: String!, $form: String!) { ${fields.join(' ')} }`,
      { agency, form: formType },
      clientIp,
    );
    return offices.flatMap((office, i) => {
      const row = data[`o${i}`];
      return row ? [{ office, ...row }] : [];
    });
  }

  async subscribeToCase(receiptNumber: string, email: string, language: 'EN' | 'ES', clientIp?: string): Promise<{ status: SubscribeStatus }> {
    const data = await this.request<{ subscribeToCase: { status: SubscribeStatus } }>(
      'mutation ($r: String!, $e: String!, $l: Language) { subscribeToCase(receiptNumber: $r, email: $e, language: $l) { status } }',
      { r: receiptNumber, e: email, l: language },
      clientIp,
    );
    return data.subscribeToCase;
  }

  async confirmSubscription(token: string, clientIp?: string): Promise<{ receiptNumber: string; confirmedNow: boolean }> {
    const data = await this.request<{ confirmSubscription: { receiptNumber: string; confirmedNow: boolean } }>(
      'mutation ($t: String!) { confirmSubscription(token: $t) { receiptNumber confirmedNow } }',
      { t: token },
      clientIp,
    );
    return data.confirmSubscription;
  }

  async confirmSubscriptionCode(receiptNumber: string, email: string, code: string, clientIp?: string): Promise<{ receiptNumber: string; confirmedNow: boolean }> {
    const data = await this.request<{ confirmSubscriptionCode: { receiptNumber: string; confirmedNow: boolean } }>(
      'mutation ($r: String!, $e: String!, $c: String!) { confirmSubscriptionCode(receiptNumber: $r, email: $e, code: $c) { receiptNumber confirmedNow } }',
      { r: receiptNumber, e: email, c: code },
      clientIp,
    );
    return data.confirmSubscriptionCode;
  }

  async unsubscribe(token: string, clientIp?: string): Promise<{ receiptNumber: string; unsubscribedNow: boolean }> {
    const data = await this.request<{ unsubscribe: { receiptNumber: string; unsubscribedNow: boolean } }>(
      'mutation ($t: String!) { unsubscribe(token: $t) { receiptNumber unsubscribedNow } }',
      { t: token },
      clientIp,
    );
    return data.unsubscribe;
  }

  /**
   * The case query, with `estimate` when the schema has it. Looked up once per TTL, so a
   * status API that gains the field is picked up without restarting the site.
   */
  async caseStatusQuery(): Promise<string> {
    if (this.caseQuery && this.caseQuery.expires > Date.now()) return this.caseQuery.text;
    let estimate: string | null = null;
    try {
      const schema = await this.request<{ __schema: { types: SchemaTypes } }>(SCHEMA_QUERY, {});
      estimate = estimateSelection(schema.__schema.types);
    } catch {
      // Without the schema the page still shows everything but the estimate; try again soon.
      const text = caseQueryText(null);
      this.caseQuery = { text, expires: Date.now() + 10_000 };
      return text;
    }
    const text = caseQueryText(estimate);
    this.caseQuery = { text, expires: Date.now() + this.schemaTtlMs };
    return text;
  }

  private async request<T>(query: string, variables: Record<string, unknown>, clientIp?: string): Promise<T> {
    let response: { status: number; body: string };
    try {
      response = await this.post(JSON.stringify({ query, variables }), clientIp);
    } catch (error) {
      throw new StatusApiProblem('UNAVAILABLE', `status API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    let answer: GraphqlAnswer<T>;
    try {
      answer = JSON.parse(response.body) as GraphqlAnswer<T>;
    } catch {
      throw new StatusApiProblem('UNAVAILABLE', `status API answered ${response.status} without JSON`);
    }
    const error = answer.errors?.[0];
    if (error) {
      throw new StatusApiProblem(error.extensions?.code ?? 'UNAVAILABLE', error.message, error.extensions?.retryAfterSeconds);
    }
    if (!answer.data) throw new StatusApiProblem('UNAVAILABLE', `status API answered ${response.status} without data`);
    return answer.data;
  }

  /**
   * One POST over a kept-alive connection. Plain `node:http` rather than `fetch`: every page
   * makes one of these, and fetch's extra layers cost more than the rest of the request.
   */
  private post(body: string, clientIp?: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const send = this.endpoint.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(
        this.endpoint,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'content-length': Buffer.byteLength(body),
            ...visitorHeaders(clientIp, this.forwardingKey),
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

function caseQueryText(estimate: string | null): string {
  return `query ($r: String!) { caseStatus(receiptNumber: $r) { ${CASE_FIELDS}${estimate ? ` estimate ${estimate}` : ''} } }`;
}
