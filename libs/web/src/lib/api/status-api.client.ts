import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { FastifyInstance } from 'fastify';
import { print, stripIgnoredCharacters, type DocumentNode } from 'graphql';
import { FORWARDING_KEY_HEADER } from '@case-status/http-support';

/**
 * Everything the site asks the status API goes through here: a typed operation (generated
 * from the API's published schema, `operations.generated.ts`) and its variables, or a plain
 * GET for the routes that are not GraphQL (the survey results' CSV). Each request names the
 * visitor (`X-Forwarded-For`, with the forwarding key beside it when there is one), so the
 * status API counts its public limits per visitor, not for the whole site.
 *
 * How a request reaches the API is a transport: HTTP to a status API elsewhere, or, when the
 * API runs in the same process (the one-process platform), Fastify's `inject` into its
 * instance: no socket, and the same route hooks, so the same body, token and rate limits.
 */

/** A request to the status API as a transport sends it. */
export interface ApiRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/graphql`. */
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The status API's answer as it came. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

export interface StatusApiTransport {
  send(request: ApiRequest): Promise<ApiAnswer>;
  close(): void;
}

/** A refusal or failure of the status API, by the code the pages react to. */
export class StatusApiProblem extends Error {
  override readonly name = 'StatusApiProblem';

  constructor(
    /** The API's `extensions.code`, or `UNAVAILABLE` when it could not be reached or answered nonsense. */
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
    /** The input a refusal names (its `extensions.argument`), e.g. `answers.freeText`. */
    readonly argument?: string,
    /** Why, where the code covers several refusals (its `extensions.reason`), e.g. `EMAIL_DOES_NOT_MATCH`. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/** A root field the page cannot do without: the API answering it with null is a failure (`UNAVAILABLE`). */
export function answered<T>(value: T | null, field: string): T {
  if (value === null) throw new StatusApiProblem('UNAVAILABLE', `${field} answered nothing`);
  return value;
}

/**
 * The headers that name the visitor to the status API. It believes the address only with
 * the key it was given (`X-Forwarding-Key`, the status API's `FORWARDING_KEY`), or when it
 * trusts this server as a proxy by address (`TRUST_PROXY`).
 */
function visitorHeaders(clientIp: string | undefined, forwardingKey: string | undefined): Record<string, string> {
  if (!clientIp) return {};
  return { 'x-forwarded-for': clientIp, ...(forwardingKey && { [FORWARDING_KEY_HEADER]: forwardingKey }) };
}

export interface StatusApiClientOptions {
  transport: StatusApiTransport;
  /** Sent beside the visitor's address so the status API believes it (its `forwardingKey`). */
  forwardingKey?: string;
  /** Per request; default 5 s. */
  timeoutMs?: number;
}

const texts = new WeakMap<DocumentNode, string>();

/** The operation as sent: printed once, without what GraphQL ignores. */
function textOf(document: DocumentNode): string {
  let text = texts.get(document);
  if (text === undefined) {
    text = stripIgnoredCharacters(print(document));
    texts.set(document, text);
  }
  return text;
}

interface GraphqlAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; retryAfterSeconds?: number; argument?: string; reason?: string } }[];
}

export class StatusApiClient {
  private readonly transport: StatusApiTransport;
  private readonly forwardingKey: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: StatusApiClientOptions) {
    this.transport = options.transport;
    this.forwardingKey = options.forwardingKey;
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /**
   * Runs one operation for the visitor at `clientIp` (with `authorization`, for a signed-in
   * person's operations); its first error becomes a `StatusApiProblem`.
   */
  async send<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables, clientIp: string | undefined, authorization?: string): Promise<Result> {
    const answer = await this.exchange({
      method: 'POST',
      path: '/graphql',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...visitorHeaders(clientIp, this.forwardingKey), ...(authorization && { authorization }) },
      body: JSON.stringify({ query: textOf(document), variables }),
    });
    let parsed: GraphqlAnswer<Result>;
    try {
      parsed = JSON.parse(answer.body) as GraphqlAnswer<Result>;
    } catch {
      throw new StatusApiProblem('UNAVAILABLE', `status API answered ${answer.status} without JSON`);
    }
    const error = parsed.errors?.[0];
    if (error) throw new StatusApiProblem(error.extensions?.code ?? 'UNAVAILABLE', error.message, error.extensions?.retryAfterSeconds, error.extensions?.argument, error.extensions?.reason);
    if (!parsed.data) throw new StatusApiProblem('UNAVAILABLE', `status API answered ${answer.status} without data`);
    return parsed.data;
  }

  /** A GET of one of the API's other routes (e.g. `/feedback/results.csv?…`), answered as it came. */
  get(path: string, accept: string, clientIp: string | undefined): Promise<ApiAnswer> {
    return this.exchange({ method: 'GET', path, headers: { accept, ...visitorHeaders(clientIp, this.forwardingKey) } });
  }

  close(): void {
    this.transport.close();
  }

  private async exchange(request: ApiRequest): Promise<ApiAnswer> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([this.transport.send(request), late]);
    } catch (error) {
      throw new StatusApiProblem('UNAVAILABLE', `status API unreachable: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * Requests over kept-alive HTTP connections to a status API at `url` (e.g.
 * http://127.0.0.1:3002). Plain `node:http` rather than `fetch`: every page makes one of
 * these, and fetch's extra layers cost more than the rest of the request.
 */
export function httpTransport(url: string, { timeoutMs = 5_000 } = {}): StatusApiTransport {
  const base = new URL(url);
  const secure = base.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: 64 };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const send = secure ? httpsRequest : httpRequest;
  return {
    send: (request) =>
      new Promise((resolve, reject) => {
        const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
        const outgoing = send(new URL(request.path, base), { method: request.method, agent, timeout: timeoutMs, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        });
        // The socket is freed as soon as the wait is over.
        outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        outgoing.on('error', reject);
        outgoing.end(request.body);
      }),
    close: () => agent.destroy(),
  };
}

/**
 * Requests into a status API running in this process, through Fastify's `inject`: the same
 * routes and hooks as over HTTP (body and token limits, rate limits counted per the visitor
 * the headers name), without a socket or a loopback round trip.
 */
export function inProcessTransport(statusApi: Pick<FastifyInstance, 'inject'>): StatusApiTransport {
  return {
    send: async (request) => {
      const response = await statusApi.inject({ method: request.method, url: request.path, headers: request.headers, ...(request.body !== undefined && { payload: request.body }) });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    },
    close: () => undefined,
  };
}
