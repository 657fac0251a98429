import type { Day } from './days';
import { conditionalQuantile, type SurvivalCurve } from './kaplan-meier';
import { survivalRecordsOn, type KnownCase, type SurvivalRecord } from './observations';
import { normalQuantile } from './statistics';

/** Queue progress is counted in thousandths of the queue a case joined. */
export const QUEUE_PROGRESS_RESOLUTION = 1000;

/**
 * The queue clock of a cohort. A case's progress is the number of cohort decisions issued
 * since the day it was received, divided by the queue it joined: the cases received
 * before it and still waiting that day, plus itself. A progress of 1000 (thousandths) means
 * the office has issued as many decisions as there were cases in the queue when this one
 * arrived.
 *
 * Measured this way, waiting times stay comparable when the office's pace or its backlog
 * changes: a growing backlog makes every new case join a longer queue, a pause stops the
 * clock. Calendar ages are not comparable across such changes: the cases decided recently
 * joined shorter queues than the cases waiting now.
 */
export interface QueueClock {
  /** Cohort decisions issued on or before `day`. */
  decisionsBy(day: Day): number;
  /** The queue a case received on `receivedAt` joined: cases received earlier and not decided before that day, plus itself. */
  queueJoined(receivedAt: Day): number;
  /** Progress by the end of `day` of a case received on `receivedAt`, in thousandths of the queue it joined. */
  progress(receivedAt: Day, day: Day): number;
  /** Decisions issued in the `days` days ending on `asOf`. */
  decisionsWithin(asOf: Day, days: number): number;
}

/** Cumulative counts by day, for "how many up to day d" in O(log n). */
class CumulativeCounts {
  private readonly days: number[] = [];
  private readonly totals: number[] = [];

  constructor(entries: readonly (readonly [Day, number])[]) {
    const sorted = [...entries].sort((a, b) => a[0] - b[0]);
    let total = 0;
    for (const [day, count] of sorted) {
      total += count;
      if (this.days.length > 0 && this.days[this.days.length - 1] === day) this.totals[this.totals.length - 1] = total;
      else {
        this.days.push(day);
        this.totals.push(total);
      }
    }
  }

  /** The total of entries on or before `day`. */
  upTo(day: Day): number {
    let low = 0;
    let high = this.days.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.days[middle] <= day) low = middle + 1;
      else high = middle;
    }
    return low === 0 ? 0 : this.totals[low - 1];
  }
}

/** The queue clock of the cases known on a day (use `knownAsOf` first). */
export function queueClockOf(known: readonly KnownCase[]): QueueClock {
  return queueClockFrom(
    known.filter((item) => item.decidedAt !== null).map((item) => [item.decidedAt as Day, item.count] as const),
    known.map((item) => [item.receivedAt, item.count] as const),
  );
}

/**
 * The queue clock from the cohort's decisions and receipts as (day, count) pairs, in any
 * order, a day possibly listed more than once and a count possibly negative (a correction).
 * The clock is only read on or before the as-of day, so later days change nothing; the pairs
 * must cover the cases `knownAsOf` keeps, no more and no fewer.
 */
export function queueClockFrom(decisionDays: readonly (readonly [Day, number])[], receiptDays: readonly (readonly [Day, number])[]): QueueClock {
  const decisions = new CumulativeCounts(decisionDays);
  const receipts = new CumulativeCounts(receiptDays);
  const queueJoined = (receivedAt: Day): number => receipts.upTo(receivedAt - 1) - decisions.upTo(receivedAt - 1) + 1;
  return {
    decisionsBy: (day) => decisions.upTo(day),
    queueJoined,
    progress: (receivedAt, day) => Math.round((QUEUE_PROGRESS_RESOLUTION * (decisions.upTo(day) - decisions.upTo(receivedAt))) / queueJoined(receivedAt)),
    decisionsWithin: (asOf, days) => decisions.upTo(asOf) - decisions.upTo(asOf - days),
  };
}

/**
 * `survivalRecords` on the queue clock: the same cases, entries and exits, measured in
 * queue progress instead of days since receipt. A case entering late (observation began
 * later, or period analysis) enters at its progress by the end of the day before.
 */
export function queueClockRecords(known: readonly KnownCase[], asOf: Day, clock: QueueClock, periodDays?: number): SurvivalRecord[] {
  return survivalRecordsOn(
    {
      entry: (item, day) => (day > item.receivedAt ? clock.progress(item.receivedAt, day - 1) : 0),
      exit: (item, day) => clock.progress(item.receivedAt, day),
    },
    known,
    asOf,
    periodDays,
  );
}

/** Pace samples per estimate: enough that the dates move by at most a day when it changes. */
const PACE_SAMPLES = 32;

/**
 * The pace is itself an estimate: `decisions` decisions seen in `days` days. These are
 * equally likely values of the true daily pace given that count: quantiles of its
 * Gamma(decisions + ½, days) distribution (Poisson counts, Jeffreys prior), by the
 * Wilson–Hilferty approximation. With 40 decisions the pace is known to about ±16 %;
 * reading dates at one pace would make them look surer than they are.
 */
export function paceSamples(decisions: number, days: number, samples = PACE_SAMPLES): number[] {
  if (!(decisions > 0 && days > 0)) return [];
  const shape = decisions + 0.5;
  const spread = 1 / (9 * shape);
  return Array.from({ length: samples }, (_, j) => {
    const z = normalQuantile((j + 0.5) / samples);
    return (shape * Math.max(0, 1 - spread + z * Math.sqrt(spread)) ** 3) / days;
  }).filter((pace) => pace > 0);
}

/**
 * Days from asOf until a case at `progress` on `curve` is decided with probability
 * `probability`, when progress comes at one of `paces` (decisions per day, equally likely):
 * the smallest whole number of days t ≥ 1 with mean over paces of
 * 1 − S(progress + t·pace·1000/queueJoined) / S(progress) ≥ probability.
 * Null when the curve never falls that low.
 */
export function daysToQueueQuantile(curve: SurvivalCurve, progress: number, probability: number, queueJoined: number, paces: readonly number[]): number | null {
  const reach = conditionalQuantile(curve, progress, probability);
  if (!reach.ok || paces.length === 0) return null;
  const survival = survivalTableOf(curve);
  const atProgress = survival[Math.min(progress, survival.length - 1)];
  const perDay = paces.map((pace) => (pace * QUEUE_PROGRESS_RESOLUTION) / queueJoined);
  const decidedShare = (days: number): number => {
    let sum = 0;
    for (const speed of perDay) sum += 1 - survival[Math.min(Math.floor(progress + days * speed), survival.length - 1)] / atProgress;
    return sum / perDay.length;
  };
  // Beyond `high` every pace has reached the quantile, so the mean has too.
  let low = 1;
  let high = Math.max(1, Math.ceil((reach.days - progress) / Math.min(...perDay)));
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (decidedShare(middle) >= probability - TOLERANCE) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * S at every whole progress up to the curve's last point (a step function, so S at a
 * fractional progress is S at its whole part). Built once per curve: the dates of every
 * case of a cohort read the same curve many times.
 */
const survivalTables = new WeakMap<SurvivalCurve, Float64Array>();

function survivalTableOf(curve: SurvivalCurve): Float64Array {
  let table = survivalTables.get(curve);
  if (table) return table;
  const last = curve.points.length > 0 ? curve.points[curve.points.length - 1].days : 0;
  table = new Float64Array(last + 1).fill(1);
  let value = 1;
  let next = 0;
  for (let progress = 0; progress <= last; progress++) {
    while (next < curve.points.length && curve.points[next].days <= progress) value = curve.points[next++].survival;
    table[progress] = value;
  }
  survivalTables.set(curve, table);
  return table;
}

// As in the curve's quantiles: sums of many shares drift by a few ulps.
const TOLERANCE = 1e-12;
