import {
  asOfSchedule,
  checkTargets,
  historyFromCsv,
  pausePhaseOf,
  regimeHistory,
  replayHistory,
  scorecard,
  scorecardsBy,
  scorecardsByPeriod,
  type Prediction,
  type Regime,
  type ReplayHistory,
} from '@case-status/backtest';
import type { EstimateOptions } from '@case-status/processing-time';
import type { ReplayResult } from './report';

/** Waits on the as-of day, in days: from each bound to the next. */
const AGE_BANDS = [0, 60, 120, 180, 270, 365];

/** `3 120–179 days`: numbered in order, the number is not shown. */
export function ageBandOf(prediction: Pick<Prediction, 'asOf' | 'receivedAt'>): string {
  const age = prediction.asOf - prediction.receivedAt;
  const band = AGE_BANDS.findLastIndex((bound) => age >= bound);
  const next = AGE_BANDS[band + 1];
  return `${band + 1} ${next === undefined ? `${AGE_BANDS[band]} days or more` : `${AGE_BANDS[band]}–${next - 1} days`}`;
}

const byName = (a: { period: string }, b: { period: string }): number => a.period.localeCompare(b.period);

/** Where the published-style figures are known to mislead, the survival method must do better. */
const MUST_BEAT_PUBLISHED: ReadonlySet<string> = new Set(['growing', 'pause']);

export interface ReplaySettings {
  everyDays: number;
  warmupDays?: number;
  survivalMethods: Readonly<Record<string, EstimateOptions>>;
  /** Survival methods replayed on the case's own cohort only (see `ReplayOptions`). */
  unpooledMethods?: readonly string[];
}

function replayResult(
  history: ReplayHistory,
  settings: ReplaySettings,
  about: Pick<ReplayResult, 'name' | 'description' | 'seed'>,
  phaseOf: ((prediction: Prediction) => string) | null,
  started: number,
): ReplayResult {
  const asOfDays = asOfSchedule(history, { everyDays: settings.everyDays, warmupDays: settings.warmupDays });
  const predictions = replayHistory(history, { asOfDays, survivalMethods: settings.survivalMethods, unpooledMethods: settings.unpooledMethods });
  const card = scorecard(predictions, history);
  return {
    ...about,
    cases: history.cases.length,
    asOfDays: asOfDays.length,
    card,
    periods: scorecardsByPeriod(predictions, history),
    // Phase names start with their number in time order.
    phases: phaseOf ? scorecardsBy(predictions, history, phaseOf).sort(byName) : null,
    ages: scorecardsBy(predictions, history, ageBandOf).sort(byName),
    checks: 'survival' in card.methods ? checkTargets(card, { mustBeatPublished: MUST_BEAT_PUBLISHED.has(about.name) }) : [],
    seconds: (Date.now() - started) / 1000,
  };
}

/** Each regime for each seed: generated, replayed and scored, one at a time to keep memory low. */
export function runRegimes(regimes: readonly Regime[], seeds: readonly string[], settings: ReplaySettings, onDone?: (result: ReplayResult) => void): ReplayResult[] {
  const results: ReplayResult[] = [];
  for (const seed of seeds) {
    for (const regime of regimes) {
      const started = Date.now();
      const result = replayResult(regimeHistory(regime, seed), settings, { name: regime.name, description: regime.description, seed }, pausePhaseOf(regime), started);
      onDone?.(result);
      results.push(result);
    }
  }
  return results;
}

/** A history from a CSV file (its text); throws `CsvHistoryError` for malformed rows. */
export function runCsv(text: string, name: string, settings: ReplaySettings & { end?: string }): ReplayResult {
  const started = Date.now();
  const history = historyFromCsv(text, { end: settings.end });
  const cohorts = new Set(history.cases.flatMap((item) => item.cohorts.map((spell) => spell.cohort)));
  return replayResult(history, settings, { name, description: `${history.cases.length} cases in ${cohorts.size} cohort(s)`, seed: null }, null, started);
}
