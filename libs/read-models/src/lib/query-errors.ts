/** A query argument the read models cannot answer for; `argument` names it, the message says why. */
export class InvalidQueryArgumentError extends Error {
  readonly code = 'INVALID_QUERY_ARGUMENT';
  constructor(
    readonly argument: string,
    reason: string,
  ) {
    super(`${argument}: ${reason}`);
    this.name = 'InvalidQueryArgumentError';
  }
}
