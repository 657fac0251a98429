import type { BacklogRowView } from './read-model.queries';

/**
 * Percentile by the nearest-rank method over a histogram of whole days: the smallest value
 * such that at least `p` of the cases took that long or less. Always one of the observed
 * durations, as published processing times are. Null for an empty histogram.
 */
export function percentileOfHistogram(histogram: readonly { days: number; cases: number }[], p: number): number | null {
  if (!(p > 0 && p <= 1)) throw new RangeError(`percentile must be in (0, 1], got ${p}`);
  const sorted = [...histogram].filter((bucket) => bucket.cases > 0).sort((a, b) => a.days - b.days);
  const total = sorted.reduce((sum, bucket) => sum + bucket.cases, 0);
  if (total === 0) return null;
  const rank = Math.ceil(p * total);
  let seen = 0;
  for (const bucket of sorted) {
    seen += bucket.cases;
    if (seen >= rank) return bucket.days;
  }
  return sorted[sorted.length - 1].days;
}

export type AgingBuckets = BacklogRowView['aging'];

/** Upper bounds (inclusive) of the aging buckets, in days since receipt. */
export const AGING_BUCKETS: readonly { key: keyof AgingBuckets; upTo: number }[] = [
  { key: 'upTo30', upTo: 30 },
  { key: 'upTo90', upTo: 90 },
  { key: 'upTo180', upTo: 180 },
  { key: 'upTo365', upTo: 365 },
  { key: 'over365', upTo: Number.POSITIVE_INFINITY },
];

export function agingBucketOf(ageDays: number): keyof AgingBuckets {
  return (AGING_BUCKETS.find((bucket) => ageDays <= bucket.upTo) ?? AGING_BUCKETS[AGING_BUCKETS.length - 1]).key;
}

/** `YYYY-MM-DD` of a Date in UTC, and the date `days` earlier. */
export function utcDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
