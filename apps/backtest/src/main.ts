import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CsvHistoryError, DEFAULT_REGIME_SIZE, regimes as allRegimes } from '@case-status/backtest';
import { PUBLISHED_WINDOW_DAYS, RECOMMENDED_ESTIMATE_OPTIONS, type EstimateOptions } from '@case-status/processing-time';
import { markdownReport, OWN_OFFICE, textReport, withResults, type ReplayResult } from './report';
import { runCsv, runRegimes, type ReplaySettings } from './run';

const USAGE = `Usage: npm run backtest -- [options]
  Replays generated histories (default) or a CSV history and scores the estimates.
  --csv PATH            replay this history instead: a header with case_id,step,date
                        (optional agency,form_type,office), then one row per step
  --end YYYY-MM-DD      CSV: replay the history as known on this day (default: its latest
                        date); later receipts don't exist yet, later decisions are pending
  --regimes A,B         generated regimes to replay (default: all; see below)
  --seeds S1,S2         generator seeds, one replay each (default: 1)
  --cases-per-day N     generated arrivals per agency and day (default: ${DEFAULT_REGIME_SIZE.casesPerDay})
  --every N             days between as-of days (default: 28)
  --warmup N            days after the first decision before the first as-of day (default: ${PUBLISHED_WINDOW_DAYS})
  --calendar            also replay the survival method on the calendar clock (the library default)
  --own-office          also replay the survival method without borrowing from the form's other
                        offices (each case's own cohort only, as before issue 16)
  --markdown PATH       also write the results as markdown; an existing file keeps its text
                        outside the results markers
  --strict              exit with 1 when a target is missed
Regimes: ${allRegimes()
  .map((regime) => regime.name)
  .join(', ')}`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function wholeNumber(name: string, value: string, min: number): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min) fail(`--${name} must be a whole number of at least ${min}, not "${value}".`);
  return number;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      csv: { type: 'string' },
      end: { type: 'string' },
      regimes: { type: 'string' },
      seeds: { type: 'string', default: '1' },
      'cases-per-day': { type: 'string', default: String(DEFAULT_REGIME_SIZE.casesPerDay) },
      every: { type: 'string', default: '28' },
      warmup: { type: 'string', default: String(PUBLISHED_WINDOW_DAYS) },
      calendar: { type: 'boolean', default: false },
      'own-office': { type: 'boolean', default: false },
      markdown: { type: 'string' },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const survivalMethods: Record<string, EstimateOptions> = {
    survival: RECOMMENDED_ESTIMATE_OPTIONS,
    ...(values['own-office'] ? { [OWN_OFFICE]: RECOMMENDED_ESTIMATE_OPTIONS } : {}),
    ...(values.calendar ? { calendar: {} } : {}),
  };
  const settings: ReplaySettings = {
    everyDays: wholeNumber('every', values.every, 1),
    warmupDays: wholeNumber('warmup', values.warmup, 0),
    survivalMethods,
    unpooledMethods: [OWN_OFFICE],
  };
  const started = Date.now();
  let results: ReplayResult[];
  let setup: string;

  if (values.csv !== undefined) {
    if (!existsSync(values.csv)) fail(`--csv: no file at ${values.csv}.`);
    try {
      results = [runCsv(readFileSync(values.csv, 'utf8'), values.csv, { ...settings, end: values.end })];
    } catch (error) {
      if (error instanceof CsvHistoryError || error instanceof RangeError) {
        process.stderr.write(`${values.csv}: ${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
    setup = `Replay of ${values.csv} (${results[0].description}), as-of days every ${settings.everyDays} days from ${settings.warmupDays} days after its first decision.`;
  } else {
    const size = { ...DEFAULT_REGIME_SIZE, casesPerDay: wholeNumber('cases-per-day', values['cases-per-day'], 1) };
    const known = allRegimes(size);
    const names = values.regimes?.split(',').map((name) => name.trim()) ?? known.map((regime) => regime.name);
    const unknown = names.filter((name) => !known.some((regime) => regime.name === name));
    if (unknown.length > 0) fail(`--regimes: unknown ${unknown.join(', ')}.`);
    const seeds = values.seeds.split(',').map((seed) => seed.trim());
    results = runRegimes(
      known.filter((regime) => names.includes(regime.name)),
      seeds,
      settings,
      (result) => process.stderr.write(`${result.name} (seed ${result.seed}): ${result.cases} cases, ${result.asOfDays} as-of days, ${result.seconds.toFixed(1)} s\n`),
    );
    setup =
      `Generated histories (libs/agency-simulator): USCIS and VBA, ${size.casesPerDay} new cases a day each from ${size.start.slice(0, 10)} to ${size.end.slice(0, 10)}, ` +
      `after a backlog of 180 days of arrivals; seed(s) ${seeds.join(', ')}. As-of days every ${settings.everyDays} days from ${settings.warmupDays} days after the first decision.`;
  }

  const facts = { setup, seconds: (Date.now() - started) / 1000 };
  process.stdout.write(textReport(results, facts));
  if (values.markdown !== undefined) {
    const existing = existsSync(values.markdown) ? readFileSync(values.markdown, 'utf8') : null;
    writeFileSync(values.markdown, withResults(existing, markdownReport(results, facts)));
    process.stderr.write(`Results written to ${values.markdown}\n`);
  }
  if (values.strict && results.some((result) => result.checks.some((check) => !check.met))) process.exit(1);
}

main();
