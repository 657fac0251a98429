/**
 * What any estimator can reach in the pause regime, measured rather than argued:
 *
 *   npm run backtest:pause-bound [-- --seed 2]
 *
 * The pause regime is the steady regime with ten weeks without decisions, so up to the day
 * the pause begins both histories are the same and every method that uses only what was
 * known on its as-of day gives the same answers in both. This replays both regimes with the
 * recommended estimator and prints:
 *
 * - how many of the predictions made before the pause are the same in both regimes;
 * - for 80 % dates made before the pause moved later by 0–28 days: the pause regime's
 *   coverage if, from the day the pause began, every 80 % date had been perfect (a case
 *   decided within the history counted as covered), and the steady regime's coverage with
 *   the same pre-pause dates and its own later ones unchanged.
 *
 * The two coverages cannot both be within 80 % ± 5 points: the pause regime reaches the band
 * only with dates so late that the same dates over-cover the steady one.
 */
import { parseArgs } from 'node:util';
import { asOfSchedule, COVERAGE_TARGET, COVERAGE_TOLERANCE, outcomesOf, regimeHistory, regimes, replayHistory, scoreMethod, type Prediction, type Regime } from '@case-status/backtest';
import { dayFromIso, type Day } from '@case-status/processing-time';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, every: { type: 'string', default: '28' } } });
const seed = values.seed;
const everyDays = Number(values.every);
if (!Number.isSafeInteger(everyDays) || everyDays < 1) throw new Error(`--every must be a whole number of days of at least 1, not ${values.every}`);

const byName = (name: string): Regime => {
  const regime = regimes().find((candidate) => candidate.name === name);
  if (!regime) throw new Error(`no ${name} regime`);
  return regime;
};
const pause = byName('pause');
const pauseFrom = dayFromIso(pause.simulation.decisionPauses?.[0]?.from ?? '');

function replayed(regime: Regime) {
  const history = regimeHistory(regime, seed);
  const predictions = replayHistory(history, { asOfDays: asOfSchedule(history, { everyDays }) }).filter((prediction) => prediction.method === 'survival');
  return { history, predictions, outcomes: outcomesOf(history) };
}

const steadyRun = replayed(byName('steady'));
const pauseRun = replayed(pause);
const key = (p: Prediction) => [p.caseId, p.asOf, p.likelyBy, p.eightyPercentBy, p.reasons.join('+')].join('|');
const before = (list: readonly Prediction[]) => list.filter((p) => p.asOf < pauseFrom);
const pauseKeys = new Set(before(pauseRun.predictions).map(key));
const steadyBefore = before(steadyRun.predictions);
const same = steadyBefore.filter((p) => pauseKeys.has(key(p))).length;
console.log(`seed ${seed}: ${same.toLocaleString('en-US')} of ${steadyBefore.length.toLocaleString('en-US')} predictions made before the pause began are the same in the steady and the pause regime`);

const later = (list: readonly Prediction[], days: number) => list.map((p) => (p.asOf < pauseFrom && p.eightyPercentBy !== null ? { ...p, eightyPercentBy: p.eightyPercentBy + days } : p));
/** From the pause on, each 80 % date moved to the decision when the case was decided within the history: no method does better. */
const perfectFromPause = (list: readonly Prediction[], outcomes: ReadonlyMap<string, Day | null>) =>
  list.map((p) => {
    const decided = outcomes.get(p.caseId) ?? null;
    return p.asOf >= pauseFrom && p.eightyPercentBy !== null && decided !== null ? { ...p, eightyPercentBy: Math.max(p.eightyPercentBy, decided) } : p;
  });
const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)} %`);
const inBand = (share: number | null) => share !== null && Math.abs(share - COVERAGE_TARGET) <= COVERAGE_TOLERANCE;

console.log('| pre-pause 80 % dates moved | pause regime, perfect from the pause on | steady regime | both within the band |');
console.log('| --- | --- | --- | --- |');
for (const days of [0, 7, 14, 21, 28]) {
  const pauseCoverage = scoreMethod(perfectFromPause(later(pauseRun.predictions, days), pauseRun.outcomes), pauseRun.outcomes, pauseRun.history.endDay).coverage;
  const steadyCoverage = scoreMethod(later(steadyRun.predictions, days), steadyRun.outcomes, steadyRun.history.endDay).coverage;
  console.log(`| +${days} days | ${percent(pauseCoverage)} | ${percent(steadyCoverage)} | ${inBand(pauseCoverage) && inBand(steadyCoverage) ? 'yes' : 'no'} |`);
}
