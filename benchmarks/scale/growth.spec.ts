import { growthOf, type Series } from './growth';

const SIZES = [10_000, 100_000, 1_000_000];

describe('growthOf', () => {
  it('passes a latency that grows like log N and flags one that grows faster', () => {
    const rows = growthOf(
      SIZES,
      [
        // log ratios: 1.25 and 1.5
        { figure: 'p99 ms', kind: 'cost', values: [4, 5, 6] },
        { figure: 'scan ms', kind: 'cost', values: [4, 40, 400] },
      ],
      0.25,
    );
    expect(rows.map((r) => [r.figure, r.size, Number(r.logRatio.toFixed(6)), r.fasterThanLog])).toEqual([
      ['p99 ms', 100_000, 1.25, false],
      ['p99 ms', 1_000_000, 1.5, false],
      ['scan ms', 100_000, 1.25, true],
      ['scan ms', 1_000_000, 1.5, true],
    ]);
    expect(rows[3].growth).toBe(100);
  });

  it('reads a throughput as its inverse: a rate that halves is a cost that doubles', () => {
    const [row] = growthOf([10_000, 100_000], [{ figure: 'events/s', kind: 'rate', values: [1_000, 500] }], 0.25);
    expect(row.growth).toBe(2);
    expect(row.fasterThanLog).toBe(true);
  });

  it('takes out the drift of the same-run reference', () => {
    const series: Series[] = [
      { figure: 'hello req/s', kind: 'rate', values: [10_000, 5_000] },
      // Halved too, but so did the bare reference: the machine got busier, not the data set heavier.
      { figure: 'lookups req/s', kind: 'rate', values: [2_000, 1_000], reference: 'hello req/s' },
    ];
    const rows = growthOf([10_000, 100_000], series, 0.25);
    const lookups = rows.find((r) => r.figure === 'lookups req/s');
    expect(lookups).toMatchObject({ growth: 2, referenceDrift: 2, adjusted: 1, fasterThanLog: false });
  });

  it('judges within the tolerance stated, and not beyond it', () => {
    const series: Series[] = [{ figure: 'ms', kind: 'cost', values: [1, 1.5] }];
    expect(growthOf([10_000, 100_000], series, 0.25)[0].fasterThanLog).toBe(false); // 1.5 <= 1.25 × 1.25
    expect(growthOf([10_000, 100_000], series, 0.1)[0].fasterThanLog).toBe(true); // 1.5 > 1.25 × 1.1
  });

  it('counts a figure that was not measured (zero, missing) as growing too fast', () => {
    const rows = growthOf([10_000, 100_000], [{ figure: 'events/s', kind: 'rate', values: [1_000, 0] }, { figure: 'ms', kind: 'cost', values: [Number.NaN, 2] }], 0.25);
    expect(rows.map((r) => r.fasterThanLog)).toEqual([true, true]);
  });

  it('refuses sizes that do not grow, series of the wrong length and unknown references', () => {
    expect(() => growthOf([100_000, 10_000], [], 0.25)).toThrow(/sizes must grow/);
    expect(() => growthOf(SIZES, [{ figure: 'ms', kind: 'cost', values: [1, 2] }], 0.25)).toThrow(/2 values for 3 sizes/);
    expect(() => growthOf(SIZES, [{ figure: 'ms', kind: 'cost', values: [1, 2, 3], reference: 'nope' }], 0.25)).toThrow(/no series named nope/);
    expect(() => growthOf(SIZES, [], -1)).toThrow(/tolerance/);
  });

  it('has nothing to judge with one size', () => {
    expect(growthOf([10_000], [{ figure: 'ms', kind: 'cost', values: [1] }], 0.25)).toEqual([]);
  });
});
