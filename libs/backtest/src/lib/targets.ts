import type { Scorecard } from './scoring';

/** The 80 % window should hold 80 % of the time, give or take 5 points. */
export const COVERAGE_TARGET = 0.8;
export const COVERAGE_TOLERANCE = 0.05;

export interface TargetCheck {
  name: string;
  met: boolean;
  detail: string;
}

export interface TargetOptions {
  /** The survival method checked; `survival` by default. */
  method?: string;
  /**
   * Also require the survival method's median error to beat the published method's on the
   * same predictions: the regimes where decided-only figures are known to mislead
   * (a growing backlog, a pause).
   */
  mustBeatPublished?: boolean;
}

/**
 * The product's targets for a survival method on one replay: honest coverage of the 80 %
 * window within 80 % ± 5 points, no date already past when given, and (where asked) a
 * smaller median error than the published-style figures on the same cases.
 */
export function checkTargets(card: Scorecard, options: TargetOptions = {}): TargetCheck[] {
  const method = options.method ?? 'survival';
  const score = card.methods[method];
  if (!score) throw new RangeError(`the scorecard has no method "${method}"`);
  const low = COVERAGE_TARGET - COVERAGE_TOLERANCE;
  const high = COVERAGE_TARGET + COVERAGE_TOLERANCE;
  const checks: TargetCheck[] = [
    {
      name: 'coverage of the 80 % window',
      met: score.coverage !== null && score.coverage >= low && score.coverage <= high,
      detail: `${percent(score.coverage)} of ${score.scored} scored dates (target ${percent(low)}–${percent(high)})`,
    },
    { name: 'no date already past', met: score.pastDates === 0 && score.likelyPast === 0, detail: `${score.pastDates + score.likelyPast} past dates` },
  ];
  if (options.mustBeatPublished) {
    const paired = card.paired[method];
    checks.push({
      name: 'median error below the published method’s',
      met: paired !== undefined && paired.survival !== null && paired.published !== null && paired.survival < paired.published,
      detail: paired ? `${paired.survival ?? '–'} against ${paired.published ?? '–'} days on ${paired.count} decided cases both dated` : 'no published predictions',
    });
  }
  return checks;
}

function percent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)} %`;
}
