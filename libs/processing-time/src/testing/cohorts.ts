import type { CaseObservation } from '../lib/observations';

/** A small deterministic generator (LCG) so generated cohorts are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A decided case: received `days` before its decision day. */
export function decided(decidedAt: number, days: number): CaseObservation {
  return { receivedAt: decidedAt - days, decidedAt };
}

export function pending(receivedAt: number): CaseObservation {
  return { receivedAt, decidedAt: null };
}

/**
 * `decidedCount` cases decided one every 4 days back from `asOf`, with durations 1, 2, 3, …
 * days: steady decisions, nothing pending, so only the count matters.
 */
export function steadyDecided(asOf: number, decidedCount: number): CaseObservation[] {
  return Array.from({ length: decidedCount }, (_, k) => decided(asOf - 4 * k, k + 1));
}

/**
 * A growing backlog: arrivals rise from 1 to 7 a day over a year; three cases in five are
 * simple (decided in 20–40 days), two are complex (200–300 days). The complex cases
 * received in recent months are still pending, so decided-only figures leave them out.
 */
export function growingBacklog(asOf = 364): CaseObservation[] {
  const cohort: CaseObservation[] = [];
  let i = 0;
  for (let day = 0; day <= asOf; day++) {
    for (let k = 0; k < 1 + Math.floor(day / 60); k++, i++) {
      const days = i % 5 < 3 ? 20 + (i % 21) : 200 + (i % 101);
      cohort.push({ receivedAt: day, decidedAt: day + days });
    }
  }
  return cohort;
}

/**
 * Two cases a day; those received before day 300 are decided in 20–60 days, those after it
 * slow down: three in ten are decided at 50 days, the rest wait past day 400.
 */
export function slowdown(slow = true): CaseObservation[] {
  const cohort: CaseObservation[] = [];
  for (let day = 0; day < 400; day++) {
    for (let k = 0; k < 2; k++) {
      const j = day * 2 + k;
      const fast = day + 20 + (j % 41);
      cohort.push({ receivedAt: day, decidedAt: day < 300 || !slow ? fast : j % 10 < 3 ? day + 50 : day + 500 });
    }
  }
  return cohort;
}
