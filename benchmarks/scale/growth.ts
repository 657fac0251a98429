/**
 * How the growth curve is judged: for each figure measured at every size, how much its cost
 * grew from the smallest size, against how much log(N) grew (log N / log N0), after taking out
 * how much the figure's same-run reference drifted between the two measurements (a busier
 * machine slows everything alike; a growing data set slows only what depends on it).
 *
 * A cost is what a figure costs per operation: a latency or CPU time as measured, a
 * throughput inverted (1 / events/s is time per event).
 */

/** One figure at every size (same order as the sizes); `reference` names the series it is compared with. */
export interface Series {
  figure: string;
  /** `cost`: lower is better (ms, CPU ms per op); `rate`: higher is better (req/s, events/s). */
  kind: 'cost' | 'rate';
  values: readonly number[];
  /** The same-run reference whose drift is taken out (a series of this list, or none). */
  reference?: string;
}

export interface Growth {
  figure: string;
  size: number;
  /** Cost at this size / cost at the smallest size. */
  growth: number;
  /** The reference's cost growth over the same sizes (1 without a reference). */
  referenceDrift: number;
  /** growth / referenceDrift: what the data set's size did to the figure. */
  adjusted: number;
  /** log(size) / log(smallest size). */
  logRatio: number;
  /** adjusted > logRatio × (1 + tolerance). */
  fasterThanLog: boolean;
}

const costOf = (series: Series, index: number): number => (series.kind === 'cost' ? series.values[index] : 1 / series.values[index]);

/**
 * The growth of every series at every size above the smallest; `tolerance` (0.25 = 25 %) is
 * the noise allowed on top of the logarithm. A figure that is missing or not a positive
 * number at a size counts as growing too fast: nothing measured is nothing shown.
 */
export function growthOf(sizes: readonly number[], series: readonly Series[], tolerance: number): Growth[] {
  if (sizes.length < 2) return [];
  if (!(tolerance >= 0)) throw new RangeError(`tolerance must be 0 or more, not ${tolerance}`);
  sizes.forEach((size, i) => {
    if (!(size > 1) || (i > 0 && size <= sizes[i - 1])) throw new RangeError(`sizes must grow and be above 1: ${sizes.join(', ')}`);
  });
  const byName = new Map(series.map((s) => [s.figure, s]));
  const rows: Growth[] = [];
  for (const s of series) {
    if (s.values.length !== sizes.length) throw new RangeError(`${s.figure}: ${s.values.length} values for ${sizes.length} sizes`);
    const reference = s.reference === undefined ? undefined : byName.get(s.reference);
    if (s.reference !== undefined && !reference) throw new RangeError(`${s.figure}: no series named ${s.reference}`);
    for (let i = 1; i < sizes.length; i++) {
      const logRatio = Math.log(sizes[i]) / Math.log(sizes[0]);
      const growth = costOf(s, i) / costOf(s, 0);
      const referenceDrift = reference ? costOf(reference, i) / costOf(reference, 0) : 1;
      const adjusted = growth / referenceDrift;
      const measured = [s.values[0], s.values[i], ...(reference ? [reference.values[0], reference.values[i]] : [])].every((v) => Number.isFinite(v) && v > 0);
      rows.push({ figure: s.figure, size: sizes[i], growth, referenceDrift, adjusted, logRatio, fasterThanLog: !measured || !(adjusted <= logRatio * (1 + tolerance)) });
    }
  }
  return rows;
}
