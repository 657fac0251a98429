import { assertDay, type Day } from './days';
import { EstimationInputError } from './errors';

/**
 * One case of a cohort, as the caller knows it. Everything dated after the `asOf` an
 * estimator is given is ignored, so a full history can be passed with an earlier `asOf` to
 * see exactly what was known then (backtesting needs nothing else).
 */
export interface CaseObservation {
  receivedAt: Day;
  /** The day the decision was issued; null while pending. */
  decidedAt: Day | null;
  /**
   * The day the case came under observation, when that is later than its receipt: a history
   * that starts mid-stream only shows cases that were still pending at its start, so such a
   * case says nothing about decisions before this day (delayed entry). Earlier than
   * `receivedAt` means the same as `receivedAt`.
   */
  observedFrom?: Day;
  /** How many identical cases this row stands for (aggregated read models); 1 if omitted. */
  count?: number;
}

/**
 * A case on the survival time scale (its age in days since receipt): under observation from
 * age `entry` to age `exit`, where it was decided (`decided`) or still pending (censored).
 */
export interface SurvivalRecord {
  entry: number;
  exit: number;
  decided: boolean;
  count: number;
}

/** A case as of a day: its receipt, whether it was decided by then, and its row weight. */
export interface KnownCase {
  receivedAt: Day;
  /** Null when still pending at `asOf`. */
  decidedAt: Day | null;
  observedFrom: Day;
  count: number;
}

/** Throws `EstimationInputError` naming the first malformed observation. */
export function assertObservations(cohort: readonly CaseObservation[], path = 'cohort'): void {
  if (!Array.isArray(cohort)) throw new EstimationInputError(path, 'expected an array of case observations');
  cohort.forEach((observation, index) => assertObservation(observation, `${path}[${index}]`));
}

function assertObservation(observation: CaseObservation, path: string): void {
  if (typeof observation !== 'object' || observation === null) throw new EstimationInputError(path, 'expected an object');
  assertDay(observation.receivedAt, `${path}.receivedAt`);
  if (observation.decidedAt !== null) {
    assertDay(observation.decidedAt, `${path}.decidedAt`);
    if (observation.decidedAt < observation.receivedAt) {
      throw new EstimationInputError(`${path}.decidedAt`, `decided (day ${observation.decidedAt}) before it was received (day ${observation.receivedAt})`);
    }
  }
  if (observation.observedFrom !== undefined) {
    assertDay(observation.observedFrom, `${path}.observedFrom`);
    if (observation.decidedAt !== null && observation.decidedAt < observation.observedFrom) {
      // Under delayed entry a case is only known because it was still pending when
      // observation began; one decided earlier cannot be in the data.
      throw new EstimationInputError(
        `${path}.decidedAt`,
        `decided (day ${observation.decidedAt}) before it came under observation (day ${observation.observedFrom})`,
      );
    }
  }
  const count = observation.count ?? 1;
  if (!Number.isSafeInteger(count) || count < 1) throw new EstimationInputError(`${path}.count`, `expected a whole number of cases of at least 1, got ${String(count)}`);
}

/**
 * The cases known at `asOf` (received and under observation by then), with decisions after
 * `asOf` turned back into pending. Call `assertObservations` first.
 */
export function knownAsOf(cohort: readonly CaseObservation[], asOf: Day): KnownCase[] {
  const known: KnownCase[] = [];
  for (const observation of cohort) {
    const observedFrom = Math.max(observation.receivedAt, observation.observedFrom ?? observation.receivedAt);
    if (observedFrom > asOf) continue;
    const decidedAt = observation.decidedAt !== null && observation.decidedAt <= asOf ? observation.decidedAt : null;
    known.push({ receivedAt: observation.receivedAt, decidedAt, observedFrom, count: observation.count ?? 1 });
  }
  return known;
}

/**
 * The survival records of the cases known at `asOf`: decided cases are events at their
 * received-to-decision age, pending ones are censored at their age on `asOf`, and each
 * enters the risk set at the age it came under observation.
 *
 * With `periodDays`, only what happened in the last `periodDays` days up to `asOf` counts
 * (period analysis): a case enters at its age on the period's first day, and cases decided
 * before the period drop out. The curve then reflects how fast the cohort is being decided
 * now rather than over its whole history.
 */
export function survivalRecords(known: readonly KnownCase[], asOf: Day, periodDays?: number): SurvivalRecord[] {
  const age = (item: KnownCase, day: Day) => day - item.receivedAt;
  return survivalRecordsOn({ entry: age, exit: age }, known, asOf, periodDays);
}

/** How a record measures a case's entry into and exit from observation, given the day of each. */
export interface RecordClock {
  entry(item: KnownCase, day: Day): number;
  exit(item: KnownCase, day: Day): number;
}

/** `survivalRecords` with entries and exits measured by `clock` rather than in days since receipt. */
export function survivalRecordsOn(clock: RecordClock, known: readonly KnownCase[], asOf: Day, periodDays?: number): SurvivalRecord[] {
  const periodStart = periodDays === undefined ? Number.NEGATIVE_INFINITY : asOf - periodDays + 1;
  const records: SurvivalRecord[] = [];
  for (const item of known) {
    const exitDay = item.decidedAt ?? asOf;
    const entryDay = Math.max(item.observedFrom, periodStart);
    if (exitDay < entryDay) continue;
    records.push({ entry: clock.entry(item, entryDay), exit: clock.exit(item, exitDay), decided: item.decidedAt !== null, count: item.count });
  }
  return records;
}
