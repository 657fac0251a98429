import { EstimationInputError } from './errors';
import type { SurvivalRecord } from './observations';
import { assertProbability, normalQuantile } from './statistics';

/** One step of the curve: the age at which some cases were decided. */
export interface SurvivalPoint {
  /** Age in days since receipt. */
  days: number;
  /** Cases under observation and still pending at the start of this day of age. */
  atRisk: number;
  /** Cases decided at this age. */
  decided: number;
  /** Estimated share of cases still pending after this age, S(days). */
  survival: number;
  /** Greenwood's standard error of `survival` (0 where the curve reaches 0). */
  standardError: number;
  /** Pointwise confidence band for `survival`, log-log transformed so it stays in [0, 1]. */
  lower: number;
  upper: number;
}

export interface SurvivalCurve {
  /** Ascending by `days`; S is 1 before the first point and constant between points. */
  points: SurvivalPoint[];
  confidenceLevel: number;
  /** Cases on the curve (decided + censored). */
  cases: number;
  decided: number;
  /** Pending cases, counted until their current age and then censored. */
  censored: number;
  /** Cases that entered the risk set after age 0 (delayed entry). */
  lateEntries: number;
  /** The oldest age any case was observed at; the curve says nothing beyond it. Null when empty. */
  maxObservedDays: number | null;
}

export const DEFAULT_CONFIDENCE_LEVEL = 0.95;

/**
 * Kaplan–Meier estimate of time from receipt to decision. A case counts in the risk set at
 * age t when entry ≤ t ≤ exit: on the day it entered observation (a case decided on that
 * same day was observed deciding) and on the day it was censored (pending at the end of
 * that day), so censorings at t are counted after the decisions at t, as is standard.
 *
 * S(t) = Π over decision ages tᵢ ≤ t of (1 − dᵢ/nᵢ);
 * Greenwood: Var S(t) = S(t)² Σ dᵢ / (nᵢ (nᵢ − dᵢ));
 * log-log band: S(t)^exp(±z·σ) with σ = √(Σ dᵢ/(nᵢ(nᵢ−dᵢ))) / |ln S(t)|.
 */
export function kaplanMeier(records: readonly SurvivalRecord[], confidenceLevel = DEFAULT_CONFIDENCE_LEVEL): SurvivalCurve {
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) throw new EstimationInputError('confidenceLevel', `expected a level strictly between 0 and 1, got ${String(confidenceLevel)}`);
  const z = normalQuantile(1 - (1 - confidenceLevel) / 2);
  const decidedAt = new Map<number, number>();
  let cases = 0;
  let decided = 0;
  let lateEntries = 0;
  let maxObservedDays: number | null = null;
  records.forEach((record, index) => {
    if (!(Number.isInteger(record.entry) && Number.isInteger(record.exit) && record.entry >= 0 && record.exit >= record.entry)) {
      throw new EstimationInputError(`records[${index}]`, `expected whole ages with 0 ≤ entry ≤ exit, got entry ${record.entry}, exit ${record.exit}`);
    }
    cases += record.count;
    if (record.entry > 0) lateEntries += record.count;
    if (record.decided) {
      decided += record.count;
      decidedAt.set(record.exit, (decidedAt.get(record.exit) ?? 0) + record.count);
    }
    maxObservedDays = Math.max(maxObservedDays ?? 0, record.exit);
  });

  // n(t) = (cases entered at or before t) − (cases that left before t), by two sweeps.
  const entries = records.map((record) => [record.entry, record.count] as const).sort((a, b) => a[0] - b[0]);
  const exits = records.map((record) => [record.exit, record.count] as const).sort((a, b) => a[0] - b[0]);
  let entered = 0;
  let left = 0;
  let e = 0;
  let x = 0;
  let survival = 1;
  let greenwoodSum = 0;
  const points: SurvivalPoint[] = [];
  for (const days of [...decidedAt.keys()].sort((a, b) => a - b)) {
    while (e < entries.length && entries[e][0] <= days) entered += entries[e++][1];
    while (x < exits.length && exits[x][0] < days) left += exits[x++][1];
    const atRisk = entered - left;
    const d = decidedAt.get(days) ?? 0;
    survival *= 1 - d / atRisk;
    greenwoodSum += atRisk > d ? d / (atRisk * (atRisk - d)) : Number.POSITIVE_INFINITY;
    points.push({ days, atRisk, decided: d, survival, ...band(survival, greenwoodSum, z) });
  }
  return { points, confidenceLevel, cases, decided, censored: cases - decided, lateEntries, maxObservedDays };
}

function band(survival: number, greenwoodSum: number, z: number): { standardError: number; lower: number; upper: number } {
  // Once every case at risk is decided the curve is 0 and Greenwood's sum is infinite;
  // the band collapses onto the estimate rather than reporting NaN.
  if (survival <= 0 || !Number.isFinite(greenwoodSum)) return { standardError: 0, lower: 0, upper: 0 };
  const sigma = Math.sqrt(greenwoodSum) / Math.abs(Math.log(survival));
  return {
    standardError: survival * Math.sqrt(greenwoodSum),
    lower: survival ** Math.exp(z * sigma),
    upper: survival ** Math.exp(-z * sigma),
  };
}

/** Index of the last point at or before `days`, or −1. */
function pointAtOrBefore(curve: SurvivalCurve, days: number): number {
  let low = 0;
  let high = curve.points.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (curve.points[middle].days <= days) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** S(days): the estimated share of cases still pending after `days` days. */
export function survivalAt(curve: SurvivalCurve, days: number): number {
  const index = pointAtOrBefore(curve, days);
  return index < 0 ? 1 : curve.points[index].survival;
}

// Products of many factors drift by a few ulps; without this a curve that is exactly 0.5
// could be read as 0.5000000000000001 and miss its median.
const TOLERANCE = 1e-12;

function firstPointAtOrBelow(curve: SurvivalCurve, level: number, value: (point: SurvivalPoint) => number, after = Number.NEGATIVE_INFINITY): SurvivalPoint | null {
  for (const point of curve.points) {
    if (point.days > after && value(point) <= level + TOLERANCE) return point;
  }
  return null;
}

export interface CurveQuantile {
  /** The share of cases decided by `days`, e.g. 0.5 for the median. */
  probability: number;
  /** The first age at which S ≤ 1 − probability; null when the curve never falls that low. */
  days: number | null;
  /** Confidence interval (Brookmeyer–Crowley, from the pointwise band); null where the band never falls that low. */
  lower: number | null;
  upper: number | null;
  /** Cases at risk at `days`: how many cases the estimate rests on there. */
  atRisk: number | null;
}

/**
 * The age by which a share `probability` of cases is decided. Without censoring this is
 * exactly the nearest-rank percentile of the durations. The interval is the set of ages
 * whose band contains 1 − probability: it starts where the lower band first reaches that
 * level and ends where the upper band does.
 */
export function curveQuantile(curve: SurvivalCurve, probability: number): CurveQuantile {
  assertProbability(probability, 'probability');
  const level = 1 - probability;
  const point = firstPointAtOrBelow(curve, level, (p) => p.survival);
  return {
    probability,
    days: point?.days ?? null,
    lower: firstPointAtOrBelow(curve, level, (p) => p.lower)?.days ?? null,
    upper: firstPointAtOrBelow(curve, level, (p) => p.upper)?.days ?? null,
    atRisk: point?.atRisk ?? null,
  };
}

export type ConditionalQuantile =
  | { ok: true; probability: number; days: number; atRisk: number }
  | { ok: false; probability: number; reason: 'CURVE_ALREADY_ZERO' | 'CURVE_DOES_NOT_REACH' };

/**
 * For a case still pending at age `ageDays`: the age by which it is decided with
 * probability `probability`, from the conditional survival S(t)/S(age), i.e. the first
 * decision age t > age with S(t) ≤ (1 − probability)·S(age). Always later than `ageDays`.
 * Not available when S(age) is already 0 (every comparable case was decided younger) or
 * when the curve never falls that low.
 */
export function conditionalQuantile(curve: SurvivalCurve, ageDays: number, probability: number): ConditionalQuantile {
  assertProbability(probability, 'probability');
  if (!Number.isInteger(ageDays) || ageDays < 0) throw new EstimationInputError('ageDays', `expected a whole age of at least 0 days, got ${String(ageDays)}`);
  const atAge = survivalAt(curve, ageDays);
  if (atAge <= 0) return { ok: false, probability, reason: 'CURVE_ALREADY_ZERO' };
  const point = firstSurvivalAtOrBelow(curve, (1 - probability) * atAge, ageDays);
  return point ? { ok: true, probability, days: point.days, atRisk: point.atRisk } : { ok: false, probability, reason: 'CURVE_DOES_NOT_REACH' };
}

/**
 * `firstPointAtOrBelow` on the survival itself, by bisection: S never rises, so the points
 * after `after` that are at or below `level` are a tail of the curve. Serving a whole queue
 * reads the same long curve for every case.
 */
function firstSurvivalAtOrBelow(curve: SurvivalCurve, level: number, after: number): SurvivalPoint | null {
  let low = pointAtOrBefore(curve, after) + 1;
  let high = curve.points.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (curve.points[middle].survival <= level + TOLERANCE) high = middle;
    else low = middle + 1;
  }
  return low < curve.points.length ? curve.points[low] : null;
}
