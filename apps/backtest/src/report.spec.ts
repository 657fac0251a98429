import type { MethodScore, Scorecard } from '@case-status/backtest';
import { checksTable, markdownTable, overTimeTable, reasonsTable, RESULTS_END, RESULTS_START, summaryTable, textTable, withResults, type ReplayResult } from './report';

const score = (overrides: Partial<MethodScore>): MethodScore => ({
  predictions: 12_345,
  withheld: 0,
  withheldShare: 0.071,
  dated: 0,
  pastDates: 0,
  pastShare: 0,
  likelyDated: 0,
  likelyPast: 0,
  scored: 2_000,
  covered: 1_640,
  coverage: 0.82,
  medianAbsoluteError: 20,
  errorCount: 1_500,
  medianHorizonDays: 128,
  withheldReasons: {},
  ...overrides,
});
const card: Scorecard = {
  methods: { survival: score({}), published: score({ withheldShare: 0, pastShare: 0.027, coverage: 0.775, medianAbsoluteError: 25 }) },
  paired: { survival: { count: 1_400, survival: 20, published: 24 } },
};
const result: ReplayResult = {
  name: 'pause',
  description: 'steady, then a pause',
  seed: '1',
  cases: 100,
  asOfDays: 3,
  seconds: 1,
  card,
  periods: [{ period: '2025-Q1', scorecard: card }],
  phases: [{ period: '1 before the pause', scorecard: card }],
  ages: [{ period: '1 0–59 days', scorecard: card }],
  checks: [{ name: 'coverage of the 80 % window', met: false, detail: '70.0 % of 2000 scored dates' }],
};

describe('report tables', () => {
  it('summarises each method of each history, the survival method against the published one on the same cases', () => {
    expect(summaryTable([result]).rows).toEqual([
      ['pause (seed 1)', 'survival, queue clock (recommended)', '12,345', '7.1 %', '0.0 %', '82.0 % (2,000)', '20 (1,500)', '20 vs 24 (1,400)', '128'],
      ['pause (seed 1)', 'published-style', '12,345', '0.0 %', '2.7 %', '77.5 % (2,000)', '25 (1,500)', '', '128'],
    ]);
  });

  it('shows coverage and error over time, and around a pause without the phase numbers', () => {
    expect(overTimeTable([result]).rows).toEqual([['pause (seed 1)', '2025-Q1', '82.0 % (2,000)', '7.1 %', '20', '77.5 % (2,000)', '0.0 %', '25', '2.7 %']]);
    expect(overTimeTable([result], 'phases').rows[0].slice(0, 2)).toEqual(['pause (seed 1)', 'before the pause']);
    expect(overTimeTable([{ ...result, phases: null }], 'phases').rows).toEqual([]);
    expect(overTimeTable([result], 'ages')).toMatchObject({ headers: expect.arrayContaining(['Waited on the as-of day']), rows: [expect.arrayContaining(['0–59 days'])] });
  });

  it('gives the share of the answers without a date that gave each reason, in the order they are checked, for the methods that withheld any', () => {
    const withReasons: ReplayResult = {
      ...result,
      card: {
        ...card,
        methods: {
          survival: score({ withheld: 200, withheldShare: 0.2, withheldReasons: { TOO_FEW_AT_RISK: 120, TOO_FEW_DECIDED: 60, DECISIONS_STOPPED: 30, SOMETHING_NEW: 2 } }),
          published: score({ withheld: 0, withheldShare: 0 }),
        },
      },
    };
    expect(reasonsTable([withReasons])).toEqual({
      headers: ['History', 'Method', 'No estimate (n)', 'TOO_FEW_DECIDED', 'DECISIONS_STOPPED', 'TOO_FEW_AT_RISK', 'SOMETHING_NEW'],
      rows: [['pause (seed 1)', 'survival, queue clock (recommended)', '20.0 % (200)', '30.0 %', '15.0 %', '60.0 %', '1.0 %']],
    });
    const byAge = reasonsTable([{ ...withReasons, ages: [{ period: '6 365 days or more', scorecard: withReasons.card }] }], 'ages');
    expect(byAge.headers.slice(0, 3)).toEqual(['History', 'Waited on the as-of day', 'No estimate (n)']);
    expect(byAge.rows).toEqual([['pause (seed 1)', '365 days or more', '20.0 % (200)', '30.0 %', '15.0 %', '60.0 %', '1.0 %']]);
  });

  it('lists each target as met or not', () => {
    expect(checksTable([result]).rows).toEqual([['pause (seed 1)', 'coverage of the 80 % window', 'NO', '70.0 % of 2000 scored dates']]);
  });

  it('formats tables for a terminal and for markdown', () => {
    const table = { headers: ['a', 'bb'], rows: [['long value', 'x|y']] };
    expect(textTable(table)).toBe('a           bb\n----------  ---\nlong value  x|y');
    expect(markdownTable(table)).toBe('| a | bb |\n| --- | --- |\n| long value | x\\|y |');
  });
});

describe('withResults', () => {
  it('replaces only the results section of a document that has one', () => {
    const document = `# Backtest\n\nHow to run it.\n\n${RESULTS_START}\nold\n${RESULTS_END}\n\n## Thresholds\n`;
    expect(withResults(document, 'new tables\n')).toBe(`# Backtest\n\nHow to run it.\n\n${RESULTS_START}\n\nnew tables\n\n${RESULTS_END}\n\n## Thresholds\n`);
  });

  it('writes the results alone for a new file, and after the text of a file without the markers', () => {
    expect(withResults(null, 'tables')).toBe(`${RESULTS_START}\n\ntables\n\n${RESULTS_END}\n`);
    expect(withResults('# Something else\n', 'tables')).toBe(`# Something else\n\n${RESULTS_START}\n\ntables\n\n${RESULTS_END}\n`);
  });
});
