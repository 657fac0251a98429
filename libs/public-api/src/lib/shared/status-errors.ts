import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import type { FastifyReply } from 'fastify';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { redactEmailAddresses } from '@case-status/logging';
import { isTransientConnectionError } from '@case-status/postgres-support';

/** Every error the status API answers carries one of these in `extensions.code`. */
export const ERROR_CODES = [
  'INVALID_RECEIPT_NUMBER',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'RATE_LIMITED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'INVALID_CODE',
  'TOO_MANY_ATTEMPTS',
  'ACCESS_CODE_NOT_ACCEPTED',
  'ACCESS_CODE_ALREADY_USED',
  'LINKING_UNAVAILABLE',
  'INVITATION_NOT_ACCEPTED',
  'HELPER_LIMIT_REACHED',
  'AUDIT_UNAVAILABLE',
  'WEBHOOK_LIMIT_REACHED',
  'NOTIFICATIONS_UNAVAILABLE',
  'INVALID_ANSWER',
  'CASE_NOT_DECIDED',
  'FEEDBACK_ALREADY_SUBMITTED',
  'FEEDBACK_NOT_ALLOWED',
  'FEEDBACK_UNAVAILABLE',
  'CASE_RECORD_UNAVAILABLE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'QUERY_TOO_LONG',
  'TOO_MANY_ROOT_FIELDS',
  'VARIABLES_TOO_LARGE',
  'REQUEST_TOO_LARGE',
  'TOO_MANY_SUBSCRIPTIONS',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type StatusErrorCode = (typeof ERROR_CODES)[number];

/**
 * A refusal the client can act on. `statusCode` is the HTTP status used when this error is
 * the whole answer (no data), e.g. 429 for a refused operation.
 */
export class StatusApiError extends GraphQLError {
  constructor(
    readonly code: StatusErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    readonly statusCode?: number,
  ) {
    super(message, { extensions: { ...details, code } });
    this.name = 'StatusApiError';
  }
}

/** The read models' own refusal of an argument (e.g. a cursor they did not issue). */
function isInvalidQueryArgument(error: unknown): error is Error & { argument: string } {
  return (
    error instanceof Error &&
    (error as { code?: unknown }).code === 'INVALID_QUERY_ARGUMENT' &&
    typeof (error as { argument?: unknown }).argument === 'string'
  );
}

interface MercuriusLikeError {
  code?: unknown;
  statusCode?: unknown;
  errors?: unknown;
}

const INTERNAL_MESSAGE = 'The status service could not answer this request. Try again later.';
const UNAVAILABLE_MESSAGE = 'The status service cannot reach its data right now. Try again in a few seconds.';

/** Messages that quote client input are cut to this many characters before anything else reads them. */
const MAX_MESSAGE_LENGTH = 500;

/** Characters that end an address-like run (see `redactEmailAddresses`). */
const RUN_BREAKS = new Set([' ', '\t', '\n', '\r', '<', '>', '"', "'", '(', ')', ',', ';', ':']);

/**
 * The message cut to MAX_MESSAGE_LENGTH characters, then with email addresses redacted. A cut
 * inside a word drops the whole word, so half an address (no "@" left to spot it by) is not
 * answered either.
 */
function publicMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return redactEmailAddresses(message);
  let end = MAX_MESSAGE_LENGTH;
  while (end > 0 && !RUN_BREAKS.has(message[end])) end--;
  return `${redactEmailAddresses(message.slice(0, end))} …`;
}

export interface PublicErrorLimits {
  /** The GraphQL route's body limit, named in REQUEST_TOO_LARGE. */
  maxBodyBytes?: number;
}

/**
 * Turns whatever went wrong into a coded, public-safe GraphQL error: our own errors pass as
 * they are, GraphQL's parse and validation errors get a code, and anything unexpected is
 * logged and answered with a generic message so no internals leak.
 */
function toPublicError(error: GraphQLError, log: (error: unknown) => void, limits: PublicErrorLimits = {}): { error: GraphQLFormattedError; statusCode?: number } {
  // Our messages may quote an argument, and an email address can be typed into any of them.
  if (error instanceof StatusApiError) return { error: redacted(error.toJSON()), statusCode: error.statusCode };
  const original = error.originalError as (Error & MercuriusLikeError) | undefined;
  if (original instanceof StatusApiError) {
    return { error: redacted(withPath(original, error)), statusCode: original.statusCode };
  }
  if (isInvalidQueryArgument(original)) {
    return { error: { message: original.message, path: error.path, locations: error.locations, extensions: { code: 'BAD_USER_INPUT', argument: original.argument } } };
  }
  if (original === undefined || original === null || isCoercionFailure(error)) {
    const code = error.message.startsWith('Syntax Error') ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED';
    // Coercion messages quote the value sent; an email address typed into subscribeToCase must not come back.
    return { error: { ...error.toJSON(), message: publicMessage(error.message), extensions: { ...error.extensions, code } }, statusCode: 400 };
  }
  if (original.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = limits.maxBodyBytes;
    const message = limit === undefined ? 'The request body is too large.' : `The request body is larger than ${limit} bytes, the limit.`;
    return { error: { message, extensions: { code: 'REQUEST_TOO_LARGE', ...(limit !== undefined && { maxBytes: limit }) } }, statusCode: 413 };
  }
  if (typeof original.code === 'string' && original.code.startsWith('FST_') && typeof original.statusCode === 'number' && original.statusCode < 500) {
    // Fastify's own refusals of the HTTP request (bad JSON, unsupported media type, ...).
    return { error: { message: publicMessage(original.message), extensions: { code: 'BAD_REQUEST' } }, statusCode: original.statusCode };
  }
  if (typeof original.code === 'string' && original.code.startsWith('MER_ERR_') && typeof original.statusCode === 'number' && original.statusCode < 500) {
    return { error: { message: publicMessage(original.message), extensions: { code: 'BAD_REQUEST' } }, statusCode: original.statusCode };
  }
  if (original instanceof SyntaxError || (original as { name?: string }).name === 'SyntaxError') {
    return { error: { message: `The request body is not valid JSON: ${publicMessage(original.message)}`, extensions: { code: 'BAD_REQUEST' } }, statusCode: 400 };
  }
  if (isTransientConnectionError(original)) {
    // A database restart or failover: the client may try again shortly; the driver's words are not for it.
    return { error: { message: UNAVAILABLE_MESSAGE, path: error.path, locations: error.locations, extensions: { code: 'SERVICE_UNAVAILABLE' } }, statusCode: 503 };
  }
  log(original);
  return { error: { message: INTERNAL_MESSAGE, path: error.path, locations: error.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } } };
}

const redacted = (error: GraphQLFormattedError): GraphQLFormattedError => ({ ...error, message: publicMessage(error.message) });

/** Variable coercion failures wrap the scalar's own GraphQLError and, unlike resolver errors, have no path. */
function isCoercionFailure(error: GraphQLError): boolean {
  return error.originalError instanceof GraphQLError && error.path === undefined;
}

function withPath(own: StatusApiError, located: GraphQLError): GraphQLFormattedError {
  const formatted = own.toJSON();
  return { ...formatted, path: located.path ?? formatted.path, locations: located.locations ?? formatted.locations };
}

/** Mercurius flattens validation failures into `originalError.errors`; unpack them first. */
function unpack(errors: readonly GraphQLError[]): GraphQLError[] {
  return errors.flatMap((error) => {
    const nested = (error.originalError as MercuriusLikeError | undefined)?.errors;
    if (!Array.isArray(nested)) return [error];
    return nested.map((inner: Error) =>
      inner instanceof GraphQLError ? inner : new GraphQLError(inner.message, { originalError: inner }),
    );
  });
}

interface FormatterContext {
  reply?: FastifyReply;
  app: { log: { error: (object: unknown, message: string) => void } };
}

/** Mercurius `errorFormatter`: coded errors, and the HTTP status the first refusal asks for. */
export function formatStatusApiErrors(
  execution: ExecutionResult & { statusCode?: number },
  context: FormatterContext,
  limits: PublicErrorLimits = {},
): { statusCode: number; response: { data: ExecutionResult['data'] | null; errors: GraphQLFormattedError[] } } {
  const log = (error: unknown) => (context.reply?.log ?? context.app.log).error({ err: error }, 'unexpected error answering a GraphQL request');
  const formatted = unpack(execution.errors ?? []).map((error) => toPublicError(error, log, limits));
  // With data, the answer is a (partial) GraphQL result: 200, as GraphQL over HTTP asks.
  const statusCode = execution.data ? 200 : (formatted.find((f) => f.statusCode !== undefined)?.statusCode ?? execution.statusCode ?? 200);
  return { statusCode, response: { data: execution.data ?? null, errors: formatted.map((f) => f.error) } };
}

/**
 * Hands coded refusals to GraphQL as they are. Without it, Nest's fallback handler logs every
 * one as an error with a stack: a public lookup of an unknown receipt number would write an
 * error line, and anyone could fill the logs.
 */
@Catch(StatusApiError)
export class CodedErrorPassThrough implements GqlExceptionFilter {
  catch(error: StatusApiError): StatusApiError {
    return error;
  }
}
