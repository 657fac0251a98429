/**
 * Thrown for input the estimators cannot read (a fractional day, a decision before receipt,
 * a percentile outside (0, 1]). `path` names the offending value, e.g. `cohort[3].decidedAt`,
 * so the caller can say exactly what is wrong. Thin data is never an error: it is a
 * "no reliable estimate" reason in the result.
 */
export class EstimationInputError extends Error {
  override readonly name = 'EstimationInputError';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}
