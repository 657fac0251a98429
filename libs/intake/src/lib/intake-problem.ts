import type { FieldError, Problem } from '@case-status/intake-contract';

/**
 * Every way the intake API can refuse a request. The code is stable for integrators; the
 * problem type URI is derived from it and described in docs/api/intake-problems.md.
 */
const PROBLEM_TITLES = {
  INVALID_REQUEST: 'The request is malformed',
  VALIDATION_FAILED: 'The event does not match the intake contract',
  INVALID_RECEIPT_NUMBER: 'The receipt number is not valid for this agency',
  UNAUTHENTICATED: 'A valid agency token is required',
  FORBIDDEN: 'The agency may not do this',
  OTHER_AGENCYS_CASE: 'The case belongs to another agency',
  TRANSITION_FORBIDDEN: 'The case lifecycle does not allow this event now',
  WRONG_EXPECTED_REVISION: 'The case has changed since the expected revision',
  CONCURRENT_UPDATE: 'The case is being updated concurrently',
  EVENT_ID_REUSED: 'The event id was already used for a different event',
  PAYLOAD_TOO_LARGE: 'The request is too large',
  UNSUPPORTED_MEDIA_TYPE: 'The request body must be JSON',
  RATE_LIMITED: 'Too many requests',
  NOT_FOUND: 'There is nothing here',
  SERVICE_UNAVAILABLE: 'The service cannot record events right now',
  INTERNAL: 'Something went wrong on our side',
} as const;

export type ProblemCode = keyof typeof PROBLEM_TITLES;

export class IntakeProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'IntakeProblem';
  }

  toProblem(instance?: string): Problem {
    return {
      type: `/problems/${this.code.toLowerCase().replace(/_/g, '-')}`,
      title: PROBLEM_TITLES[this.code],
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(instance ? { instance } : {}),
      ...(this.errors?.length ? { errors: this.errors } : {}),
      ...(this.retryAfterSeconds !== undefined ? { retryAfterSeconds: this.retryAfterSeconds } : {}),
    };
  }
}

export const validationFailed = (errors: FieldError[]) =>
  new IntakeProblem(422, 'VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.reason}`).join('; '), errors);
