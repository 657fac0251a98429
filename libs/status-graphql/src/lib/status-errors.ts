import { Catch } from '@nestjs/common';
import type { GqlExceptionFilter } from '@nestjs/graphql';
import type { FastifyReply } from 'fastify';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { redactEmailAddresses } from '@case-status/notifications';

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
  'CONFIRMATION_NOT_SENT',
  'NOTIFICATIONS_UNAVAILABLE',
  'INVALID_ANSWER',
  'CASE_NOT_DECIDED',
  'FEEDBACK_ALREADY_SUBMITTED',
  'FEEDBACK_UNAVAILABLE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
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

/**
 * Turns whatever went wrong into a coded, public-safe GraphQL error: our own errors pass as
 * they are, GraphQL's parse and validation errors get a code, and anything unexpected is
 * logged and answered with a generic message so no internals leak.
 */
export function toPublicError(error: GraphQLError, log: (error: unknown) => void): { error: GraphQLFormattedError; statusCode?: number } {
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
    return { error: { ...error.toJSON(), message: redactEmailAddresses(error.message), extensions: { ...error.extensions, code } }, statusCode: 400 };
  }
  if (typeof original.code === 'string' && original.code.startsWith('FST_') && typeof original.statusCode === 'number' && original.statusCode < 500) {
    // Fastify's own refusals of the HTTP request (bad JSON, unsupported media type, ...).
    return { error: { message: original.message, extensions: { code: 'BAD_REQUEST' } }, statusCode: original.statusCode };
  }
  if (typeof original.code === 'string' && original.code.startsWith('MER_ERR_') && typeof original.statusCode === 'number' && original.statusCode < 500) {
    return { error: { message: original.message, extensions: { code: 'BAD_REQUEST' } }, statusCode: original.statusCode };
  }
  if (original instanceof SyntaxError || (original as { name?: string }).name === 'SyntaxError') {
    return { error: { message: `The request body is not valid JSON: ${redactEmailAddresses(original.message)}`, extensions: { code: 'BAD_REQUEST' } }, statusCode: 400 };
  }
  log(original);
  return { error: { message: INTERNAL_MESSAGE, path: error.path, locations: error.locations, extensions: { code: 'INTERNAL_SERVER_ERROR' } } };
}

const redacted = (error: GraphQLFormattedError): GraphQLFormattedError => ({ ...error, message: redactEmailAddresses(error.message) });

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
): { statusCode: number; response: { data: ExecutionResult['data'] | null; errors: GraphQLFormattedError[] } } {
  const log = (error: unknown) => (context.reply?.log ?? context.app.log).error({ err: error }, 'unexpected error answering a GraphQL request');
  const formatted = unpack(execution.errors ?? []).map((error) => toPublicError(error, log));
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
