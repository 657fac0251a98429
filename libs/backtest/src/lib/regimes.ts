import { simulate, type SimulationConfig } from '@case-status/agency-simulator';
import { dayFromIso } from '@case-status/processing-time';
import type { ReplayHistory } from './history';
import type { Prediction } from './replay';
import { historyFromSimulation } from './simulated-history';

/** A kind of history the estimates must hold up in, as a simulator configuration. */
export interface Regime {
  name: string;
  description: string;
  simulation: Omit<SimulationConfig, 'seed'>;
}

export interface RegimeSize {
  /** New cases per day and agency. */
  casesPerDay: number;
  start: string;
  end: string;
  /** Both simulated agencies (USCIS and VBA) by default. */
  agencies?: readonly string[];
}

/** Two years of USCIS and VBA cases after a 180-day backlog, 20 new cases a day each. */
export const DEFAULT_REGIME_SIZE: RegimeSize = { casesPerDay: 20, start: '2024-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z' };

/**
 * The regimes every estimate is backtested in. Each history holds evidence requests (some
 * unanswered), interviews, missed appointments and office transfers; the last regime has
 * far more of the two that move a case around: repeated evidence requests and transfers.
 */
export function regimes(size: RegimeSize = DEFAULT_REGIME_SIZE): Regime[] {
  const base = { casesPerDay: size.casesPerDay, start: size.start, end: size.end, ...(size.agencies ? { agencies: size.agencies } : {}) };
  const startMs = Date.parse(size.start);
  const length = Date.parse(size.end) - startMs;
  // A ten-week pause starting 60 % into the period: the as-of days before, during and
  // after it are all replayed, and its after-effects are decided within the history.
  const dayMs = 86_400_000;
  const pauseFrom = new Date(startMs + Math.round((length * 0.6) / dayMs) * dayMs).toISOString();
  const pauseTo = new Date(Date.parse(pauseFrom) + 70 * dayMs).toISOString();
  return [
    { name: 'steady', description: 'decision capacity equal to arrivals', simulation: { ...base, backlogTrend: 'steady' } },
    { name: 'growing', description: 'capacity at 75 % of arrivals: the backlog and the waits grow', simulation: { ...base, backlogTrend: 'growing' } },
    { name: 'shrinking', description: 'capacity at 135 % of arrivals: the backlog is worked down', simulation: { ...base, backlogTrend: 'shrinking' } },
    {
      name: 'pause',
      description: `steady, but no decision at all from ${pauseFrom.slice(0, 10)} for 10 weeks`,
      simulation: { ...base, backlogTrend: 'steady', decisionPauses: [{ from: pauseFrom, to: pauseTo }] },
    },
    {
      name: 'evidence-loops-transfers',
      description: 'steady; half of answered evidence requests followed by another, 30 % of cases transferred',
      simulation: { ...base, backlogTrend: 'steady', evidenceLoopChance: 0.5, transferChance: 0.3 },
    },
  ];
}

/** The replayable history of a regime for one seed. */
export function regimeHistory(regime: Regime, seed: string | number): ReplayHistory {
  return historyFromSimulation(simulate({ ...regime.simulation, seed }), regime.simulation.end);
}

/**
 * For a regime with a decision pause: the phase of a prediction, phases numbered in time
 * order. Made before the pause, a prediction's 80 % date fell before the pause began, after
 * it began, or there was none; then made during the pause, and after it. Null without a
 * pause.
 */
export function pausePhaseOf(regime: Regime): ((prediction: Prediction) => string) | null {
  const pause = regime.simulation.decisionPauses?.[0];
  if (!pause) return null;
  const from = dayFromIso(pause.from);
  const to = dayFromIso(pause.to);
  return ({ asOf, eightyPercentBy }) => {
    if (asOf >= to) return '5 after the pause';
    if (asOf >= from) return '4 during the pause';
    if (eightyPercentBy === null) return '3 before the pause, no 80 % date';
    return eightyPercentBy < from ? '1 before the pause, 80 % date before it' : '2 before the pause, 80 % date after it began';
  };
}
