import { PUBLISHED, type MethodScore, type Scorecard, type TargetCheck } from '@case-status/backtest';

/** One replayed history and how every method did on it. */
export interface ReplayResult {
  /** The regime's name, or the CSV file's. */
  name: string;
  description: string;
  /** The generator's seed; null for a CSV history. */
  seed: string | null;
  cases: number;
  asOfDays: number;
  seconds: number;
  card: Scorecard;
  /** The scorecard of each quarter of as-of days. */
  periods: { period: string; scorecard: Scorecard }[];
  /** Before (by where the 80 % date fell), during and after a decision pause; null without one. */
  phases: { period: string; scorecard: Scorecard }[] | null;
  /** By how long the case had waited on the as-of day. */
  ages: { period: string; scorecard: Scorecard }[];
  checks: TargetCheck[];
}

export interface Table {
  headers: string[];
  rows: string[][];
}

/** The recommended survival method without borrowing from the form's other offices (`--own-office`). */
export const OWN_OFFICE = 'own-office';

/** How methods are named in reports; a method not listed keeps its own name. */
const METHOD_LABELS: Readonly<Record<string, string>> = {
  survival: 'survival, queue clock (recommended)',
  [OWN_OFFICE]: 'survival, queue clock, own office only',
  calendar: 'survival, calendar clock (library default)',
  [PUBLISHED]: 'published-style',
};

function labelOf(method: string): string {
  return METHOD_LABELS[method] ?? method;
}

function percent(share: number | null): string {
  return share === null ? '–' : `${(share * 100).toFixed(1)} %`;
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function days(value: number | null): string {
  return value === null ? '–' : String(value);
}

function nameOf(result: ReplayResult): string {
  return result.seed === null ? result.name : `${result.name} (seed ${result.seed})`;
}

export function summaryTable(results: readonly ReplayResult[]): Table {
  const rows: string[][] = [];
  for (const result of results) {
    for (const [method, score] of Object.entries(result.card.methods)) {
      const paired = result.card.paired[method];
      rows.push([
        nameOf(result),
        labelOf(method),
        count(score.predictions),
        percent(score.withheldShare),
        percent(score.pastShare),
        `${percent(score.coverage)} (${count(score.scored)})`,
        `${days(score.medianAbsoluteError)} (${count(score.errorCount)})`,
        paired ? `${days(paired.survival)} vs ${days(paired.published)} (${count(paired.count)})` : '',
        days(score.medianHorizonDays),
      ]);
    }
  }
  return {
    headers: ['History', 'Method', 'Predictions', 'No estimate', 'Past dates', '80 % coverage (scored)', 'Median error, days (n)', 'Same cases: this vs published (n)', 'Median days to 80 % date'],
    rows,
  };
}

const GROUPINGS = {
  periods: 'Quarter of as-of day',
  phases: 'Predictions',
  ages: 'Waited on the as-of day',
} as const;
export type Grouping = keyof typeof GROUPINGS;

/**
 * Per group: the survival methods' coverage and error next to the published method's, by
 * quarter of as-of day, by pause phase (histories with a pause) or by the case's wait so far.
 * Group names may start with a number that orders them; it is not shown.
 */
export function overTimeTable(results: readonly ReplayResult[], grouping: Grouping = 'periods'): Table {
  const rows: string[][] = [];
  let survivalMethods: string[] = [];
  for (const result of results) {
    const periods = result[grouping];
    if (!periods) continue;
    survivalMethods = Object.keys(result.card.methods).filter((method) => method !== PUBLISHED);
    for (const { period, scorecard } of periods) {
      const published = scorecard.methods[PUBLISHED];
      const cells = (score: MethodScore | undefined) => [`${percent(score?.coverage ?? null)} (${count(score?.scored ?? 0)})`, percent(score?.withheldShare ?? null), days(score?.medianAbsoluteError ?? null)];
      rows.push([nameOf(result), period.replace(/^\d /, ''), ...survivalMethods.flatMap((method) => cells(scorecard.methods[method])), ...cells(published), percent(published?.pastShare ?? null)]);
    }
  }
  const headers = (label: string) => [`${label}: coverage (scored)`, `${label}: no estimate`, `${label}: median error`];
  return {
    headers: [
      'History',
      GROUPINGS[grouping],
      ...survivalMethods.flatMap((method) => headers(method === 'survival' ? 'survival' : labelOf(method))),
      ...headers('published'),
      'published: past dates',
    ],
    rows,
  };
}

/**
 * The reason codes in the order the estimator checks them (docs/processing-time.md, section 6,
 * says each in plain words), then the published method's; a code not listed here comes after
 * them.
 */
const REASON_ORDER: readonly string[] = [
  'TOO_FEW_DECIDED',
  'MOST_PEERS_PENDING',
  'DECISIONS_STOPPED',
  'OLDER_THAN_DECIDED_CASES',
  'CURVE_DOES_NOT_REACH',
  'TOO_FEW_AT_RISK',
  'NO_DECISIONS_IN_WINDOW',
];

/**
 * For every method that withheld dates: how many answers were "no estimate" and, per reason
 * code, the share of those answers that gave it. An answer can give several reasons, so the
 * shares can add up to more than 100 %.
 */
export function reasonsTable(results: readonly ReplayResult[], grouping: 'ages' | null = null): Table {
  // By wait so far, only the recommended method: the question is who it leaves without a date.
  const scoresOf = (result: ReplayResult): [string, MethodScore][] =>
    grouping === null
      ? Object.entries(result.card.methods).map(([method, score]) => [labelOf(method), score])
      : result[grouping].flatMap(({ period, scorecard }) => ('survival' in scorecard.methods ? [[period.replace(/^\d /, ''), scorecard.methods['survival']] as [string, MethodScore]] : []));
  const seen = new Set(results.flatMap((result) => scoresOf(result).flatMap(([, score]) => Object.keys(score.withheldReasons))));
  const codes = [...REASON_ORDER.filter((code) => seen.has(code)), ...[...seen].filter((code) => !REASON_ORDER.includes(code)).sort()];
  const rows: string[][] = [];
  for (const result of results) {
    for (const [label, score] of scoresOf(result)) {
      if (score.withheld === 0) continue;
      rows.push([nameOf(result), label, `${percent(score.withheldShare)} (${count(score.withheld)})`, ...codes.map((code) => percent(share(score.withheldReasons[code] ?? 0, score.withheld)))]);
    }
  }
  return { headers: ['History', grouping === null ? 'Method' : GROUPINGS[grouping], 'No estimate (n)', ...codes], rows };
}

function share(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}

export function checksTable(results: readonly ReplayResult[]): Table {
  return {
    headers: ['History', 'Target', 'Met', 'Measured'],
    rows: results.flatMap((result) => result.checks.map((check) => [nameOf(result), check.name, check.met ? 'yes' : 'NO', check.detail])),
  };
}

/** Aligned columns for a terminal. */
export function textTable(table: Table): string {
  const widths = table.headers.map((header, i) => Math.max(header.length, ...table.rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(table.headers), line(widths.map((width) => '-'.repeat(width))), ...table.rows.map(line)].join('\n');
}

export function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  const line = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  return [line(table.headers), line(table.headers.map(() => '---')), ...table.rows.map(line)].join('\n');
}

export interface RunFacts {
  /** What was replayed and how, in a sentence. */
  setup: string;
  seconds: number;
}

function sections(results: readonly ReplayResult[]): [string, Table][] {
  const withPhases = results.some((result) => result.phases !== null);
  return [
    ['Summary', summaryTable(results)],
    ['Why no estimate (share of the answers without an 80 % date)', reasonsTable(results)],
    ['Over time', overTimeTable(results)],
    ...(withPhases ? ([['Around the pause', overTimeTable(results, 'phases')]] as [string, Table][]) : []),
    ['By how long the case had waited', overTimeTable(results, 'ages')],
    ['Why no estimate, by how long the case had waited (recommended method)', reasonsTable(results, 'ages')],
    ['Targets', checksTable(results)],
  ];
}

export function textReport(results: readonly ReplayResult[], facts: RunFacts): string {
  const body = sections(results).map(([title, table]) => `${title}\n\n${textTable(table)}`);
  return [facts.setup, ...body, `Took ${facts.seconds.toFixed(1)} s.`].join('\n\n') + '\n';
}

export function markdownReport(results: readonly ReplayResult[], facts: RunFacts): string {
  const body = sections(results).map(([title, table]) => `### ${title}\n\n${markdownTable(table)}`);
  return [facts.setup, ...body, `The run took ${facts.seconds.toFixed(0)} s.`].join('\n\n') + '\n';
}

export const RESULTS_START = '<!-- backtest results: start (written by npm run backtest -- --markdown) -->';
export const RESULTS_END = '<!-- backtest results: end -->';

/**
 * The document with its results section replaced, so a hand-written page keeps its text
 * around the tables. A document without the markers gets the section at its end: nothing
 * written by hand is ever overwritten.
 */
export function withResults(document: string | null, results: string): string {
  const section = `${RESULTS_START}\n\n${results.trimEnd()}\n\n${RESULTS_END}`;
  if (document === null || document.trim() === '') return `${section}\n`;
  const start = document.indexOf(RESULTS_START);
  const end = document.indexOf(RESULTS_END);
  if (start < 0 || end < start) return `${document.trimEnd()}\n\n${section}\n`;
  return document.slice(0, start) + section + document.slice(end + RESULTS_END.length);
}
