import { EstimationInputError } from './errors';

/** Counts of whole-day values, e.g. `[{ days: 3, count: 12 }]`: twelve gaps of 3 days. */
export type DayHistogram = readonly { days: number; count: number }[];

/** The histogram of a list of whole-day values. */
export function histogramOf(values: readonly number[]): { days: number; count: number }[] {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].map(([days, count]) => ({ days, count })).sort((a, b) => a.days - b.days);
}

/** Accepts plain values or a histogram, so aggregated read models need not expand theirs. */
export function asHistogram(values: readonly number[] | DayHistogram, path: string): DayHistogram {
  if (!Array.isArray(values)) throw new EstimationInputError(path, 'expected an array of days or of { days, count }');
  const histogram = values.every((value) => typeof value === 'number') ? histogramOf(values as readonly number[]) : (values as DayHistogram);
  histogram.forEach((bucket, index) => {
    if (typeof bucket !== 'object' || bucket === null || !Number.isInteger(bucket.days) || bucket.days < 0) {
      throw new EstimationInputError(`${path}[${index}]`, 'expected a whole number of days of at least 0');
    }
    if (!Number.isSafeInteger(bucket.count) || bucket.count < 0) throw new EstimationInputError(`${path}[${index}].count`, 'expected a whole count of at least 0');
  });
  return histogram;
}

export function histogramTotal(histogram: DayHistogram): number {
  return histogram.reduce((sum, bucket) => sum + bucket.count, 0);
}

export function assertProbability(p: number, path: string): void {
  if (typeof p !== 'number' || !(p > 0 && p <= 1)) throw new EstimationInputError(path, `expected a probability in (0, 1], got ${String(p)}`);
}

/**
 * Percentile by the nearest-rank method: the smallest observed value such that at least a
 * share `p` of the values are at or below it (rank ⌈p·n⌉ in sorted order). It is always one
 * of the observed durations, as published processing times are. Null when empty.
 */
export function nearestRankPercentile(histogram: DayHistogram, p: number): number | null {
  assertProbability(p, 'percentile');
  const sorted = histogram.filter((bucket) => bucket.count > 0).sort((a, b) => a.days - b.days);
  const total = histogramTotal(sorted);
  if (total === 0) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (const bucket of sorted) {
    seen += bucket.count;
    if (seen >= rank) return bucket.days;
  }
  return sorted[sorted.length - 1].days;
}

// Acklam's rational approximation of the inverse normal CDF (relative error below 1.2e-9),
// ample for confidence bands and free of any dependency.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** The standard normal quantile: `normalQuantile(0.975)` ≈ 1.959964. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new EstimationInputError('p', `expected a probability strictly between 0 and 1, got ${String(p)}`);
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  if (p > 1 - P_LOW) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
}
