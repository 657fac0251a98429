import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isTransientConnectionError } from '@case-status/postgres-support';
import { IntakeProblem, type ProblemCode } from './intake-problem';

/** Fastify's own refusals (body parsing, limits) as problems. */
const FASTIFY_CODES: Record<string, ProblemCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_REQUEST',
};

const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
const UNAVAILABLE_DETAIL = `the event store cannot be reached right now; submit the request again after ${UNAVAILABLE_RETRY_AFTER_SECONDS} seconds with the same event ids, which are never recorded twice`;

/** Every error leaves as RFC 9457 problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('IntakeProblems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = toIntakeProblem(exception);
    if (problem.code === 'SERVICE_UNAVAILABLE') this.logger.warn(`refused a request while the database cannot be reached: ${(exception as Error).message}`);
    else if (problem.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const headers: Record<string, string> = { 'content-type': 'application/problem+json' };
    if (problem.status === 401) headers['www-authenticate'] = 'Bearer realm="case-status-intake"';
    if (problem.retryAfterSeconds !== undefined) headers['retry-after'] = String(problem.retryAfterSeconds);
    void reply.status(problem.status).headers(headers).send(problem.toProblem(request.url));
  }
}

function toIntakeProblem(exception: unknown): IntakeProblem {
  if (exception instanceof IntakeProblem) return exception;
  // Nest hands Fastify's body-parsing errors on as an HttpException caused by them.
  const fastifyCode = (exception as { code?: unknown })?.code ?? (exception as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof fastifyCode === 'string' && FASTIFY_CODES[fastifyCode]) {
    const status = (exception as { statusCode?: number }).statusCode ?? (exception as { cause?: { statusCode?: number } }).cause?.statusCode ?? 400;
    const message = (exception as Error).message;
    // A body that is not JSON we take (malformed, empty, or with a "__proto__" or
    // "constructor.prototype" key, refused rather than stripped so nothing is stored other than
    // sent) is wrong as a whole: the field is the body itself.
    const wholeBody = fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY';
    const reason = fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `${message} (or it holds a "__proto__" or "constructor" key, which is refused)` : message;
    return new IntakeProblem(status, FASTIFY_CODES[fastifyCode], message, wholeBody ? [{ field: '/', reason }] : undefined);
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code: ProblemCode = status === 404 ? 'NOT_FOUND' : status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status < 500 ? 'INVALID_REQUEST' : 'INTERNAL';
    return new IntakeProblem(status, code, exception.message);
  }
  if (isTransientConnectionError(exception)) {
    // A database restart or failover: worth sending again shortly. The driver's words stay in our log.
    return new IntakeProblem(503, 'SERVICE_UNAVAILABLE', UNAVAILABLE_DETAIL, undefined, UNAVAILABLE_RETRY_AFTER_SECONDS);
  }
  return new IntakeProblem(500, 'INTERNAL', 'the request could not be completed; submit it again with the same event ids, which are never recorded twice');
}
