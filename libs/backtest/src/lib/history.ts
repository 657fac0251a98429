import type { Day } from '@case-status/processing-time';

/** The cohort a case belongs to from `from` on (a transfer moves it to another office). */
export interface CohortSpell {
  from: Day;
  cohort: string;
  /**
   * The cohorts a small one may borrow strength from: the key of its agency and form across
   * offices (`estimateCasesPooled`). Absent where there is nothing to pool with.
   */
  pool?: string;
}

/** One case as the whole history tells it. */
export interface CaseHistory {
  caseId: string;
  receivedAt: Day;
  /** The first decision, or null when the case was still waiting at the end of the history. */
  decidedAt: Day | null;
  /** Ascending by `from`; the first spell starts on `receivedAt`. */
  cohorts: readonly CohortSpell[];
}

/**
 * A replayable history: every case with what eventually happened to it, and the last day
 * the history covers. Nothing after `endDay` is known, so a case undecided then is a case
 * whose decision never came within the history.
 */
export interface ReplayHistory {
  cases: readonly CaseHistory[];
  endDay: Day;
}

/** The cohort of a case on `day`: the last spell that started on or before it. */
export function cohortOn(history: CaseHistory, day: Day): string {
  return spellOn(history, day).cohort;
}

/** The spell a case is in on `day` (its first before it was received). */
export function spellOn(history: CaseHistory, day: Day): CohortSpell {
  let current = history.cohorts[0];
  for (const spell of history.cohorts) {
    if (spell.from > day) break;
    current = spell;
  }
  return current;
}
