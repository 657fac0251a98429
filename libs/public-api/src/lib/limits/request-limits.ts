import type { FastifyReply, FastifyRequest } from 'fastify';
import { Lexer, Source, TokenKind } from 'graphql';
import { StatusApiError } from '../shared/status-errors';

export interface RequestLimitOptions {
  /** Bytes of a POST body (JSON or application/graphql); Fastify stops reading past it. */
  maxBodyBytes: number;
  /** Tokens of a GraphQL document (names, punctuation, values; comments do not count). */
  maxTokens: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimitOptions = { maxBodyBytes: 64 * 1024, maxTokens: 2_000 };

/** No name in this schema comes close; a longer one is an attack on "did you mean" suggestions, which compare it with every field. */
const MAX_NAME_LENGTH = 100;
/** The deepest input this schema takes is an object of scalars (two levels). */
const MAX_VARIABLES_DEPTH = 8;
const MAX_VARIABLE_VALUES = 1_000;

/**
 * Refuses a document longer than `maxTokens` tokens, reading no further than the token past
 * the limit, so a long document costs about the time it takes to read it rather than a parse,
 * a validation and error messages quoting it. Lexing errors are left to the parser, which
 * reports them as GRAPHQL_PARSE_FAILED.
 */
function checkDocumentLength(source: string, maxTokens: number): void {
  const lexer = new Lexer(new Source(source));
  let tokens = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens++;
      if (tokens > maxTokens) {
        throw new StatusApiError('QUERY_TOO_LONG', `The document has more than ${maxTokens} tokens, the limit. Ask for fewer fields or send values as variables.`, { maxTokens }, 400);
      }
      if (token.kind === TokenKind.NAME && token.end - token.start > MAX_NAME_LENGTH) {
        throw new StatusApiError('QUERY_TOO_LONG', `The document has a name of ${token.end - token.start} characters; the limit is ${MAX_NAME_LENGTH}.`, { maxNameLength: MAX_NAME_LENGTH }, 400);
      }
    }
  } catch (error) {
    if (error instanceof StatusApiError) throw error;
  }
}

/** Refuses variables nested deeper than MAX_VARIABLES_DEPTH or holding more than MAX_VARIABLE_VALUES values. */
function checkVariables(variables: unknown): void {
  if (variables === null || typeof variables !== 'object') return;
  let values = 0;
  // Depth-first without recursion, so deep nesting cannot exhaust the stack.
  const pending: [unknown, number][] = [[variables, 0]];
  while (pending.length > 0) {
    const [value, depth] = pending.pop() as [unknown, number];
    if (++values > MAX_VARIABLE_VALUES) {
      throw new StatusApiError('VARIABLES_TOO_LARGE', `The variables hold more than ${MAX_VARIABLE_VALUES} values, the limit.`, { maxValues: MAX_VARIABLE_VALUES }, 400);
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_VARIABLES_DEPTH) {
      throw new StatusApiError('VARIABLES_TOO_LARGE', `The variables nest deeper than ${MAX_VARIABLES_DEPTH} levels, the limit.`, { maxDepth: MAX_VARIABLES_DEPTH }, 400);
    }
    for (const inner of Object.values(value)) pending.push([inner, depth + 1]);
  }
}

/**
 * Route hook of the GraphQL routes (GET and POST; the WebSocket upgrade passes): bounds the
 * document and the variables before Mercurius parses, validates or coerces anything. The body
 * itself is bounded by the route's `bodyLimit`.
 */
export function requestLimitsHook(options: RequestLimitOptions): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    if ((request as FastifyRequest & { ws?: boolean }).ws) return;
    const input = (request.method === 'GET' ? request.query : request.body) as Record<string, unknown> | null | undefined;
    if (!input || typeof input !== 'object' || Array.isArray(input)) return;
    if (typeof input['query'] === 'string') checkDocumentLength(input['query'], options.maxTokens);
    let variables = input['variables'];
    if (typeof variables === 'string') {
      try {
        variables = JSON.parse(variables);
      } catch {
        // Mercurius answers malformed variables itself.
        return;
      }
    }
    checkVariables(variables);
  };
}

/**
 * Route `onSend` hook: a body refused as too large is not read to its end to keep the
 * connection; the connection is closed instead, so a sender of megabytes costs no more than
 * the limit.
 */
export async function closeAfterTooLarge(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode === 413) reply.header('connection', 'close');
  return payload;
}
