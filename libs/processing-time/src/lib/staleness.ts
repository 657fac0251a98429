import { assertDay, dayAndDate, type Day, type DayAndDate } from './days';
import { EstimationInputError } from './errors';
import { asHistogram, histogramTotal, nearestRankPercentile, type DayHistogram } from './statistics';
import { MIN_STEP_GAPS, STALE_PERCENTILE } from './thresholds';

export interface StalenessInput {
  /** The case's current step, e.g. `evidence_requested`. */
  step: string;
  /** The day the case reached that step. */
  since: Day;
  /**
   * Gaps, in days, from reaching this step to the next one, observed for cases of the
   * cohort: plain values or a histogram.
   */
  usualGaps: readonly number[] | DayHistogram;
}

export interface Staleness {
  step: string;
  since: DayAndDate;
  daysSinceLastStep: number;
  /** Nearest-rank median and 90th percentile of the usual gaps; null when there are none. */
  usualGap: { medianDays: number; p90Days: number; sampleSize: number } | null;
  /** Beyond the 90th percentile of usual gaps; null when fewer than `minStepGaps` gaps were observed. */
  stale: boolean | null;
}

export function staleness(input: StalenessInput, asOf: Day, minStepGaps = MIN_STEP_GAPS): Staleness {
  assertDay(asOf, 'asOf');
  if (typeof input?.step !== 'string' || input.step === '') throw new EstimationInputError('lastStep.step', 'expected the name of a step');
  assertDay(input.since, 'lastStep.since');
  if (input.since > asOf) throw new EstimationInputError('lastStep.since', `the step was reached (day ${input.since}) after asOf (day ${asOf})`);
  const histogram = asHistogram(input.usualGaps, 'lastStep.usualGaps');
  const sampleSize = histogramTotal(histogram);
  const daysSinceLastStep = asOf - input.since;
  const medianDays = nearestRankPercentile(histogram, 0.5);
  const p90Days = nearestRankPercentile(histogram, STALE_PERCENTILE);
  const usualGap = medianDays === null || p90Days === null ? null : { medianDays, p90Days, sampleSize };
  return {
    step: input.step,
    since: dayAndDate(input.since),
    daysSinceLastStep,
    usualGap,
    stale: usualGap === null || sampleSize < minStepGaps ? null : daysSinceLastStep > usualGap.p90Days,
  };
}
