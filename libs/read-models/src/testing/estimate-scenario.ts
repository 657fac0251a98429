import type { CaseEvent, CaseEventBody } from '@case-status/case-domain';
import { dayFromIso, estimateCasesPooled, histogramOf, isoFromDay, type CaseEstimate, type CaseObservation, type Day } from '@case-status/processing-time';
import { SERVED_ESTIMATE_OPTIONS } from '../lib/case-estimate';

/**
 * Seeded case histories of one form type at two offices, written as events, with what each
 * case should count as in its cohort worked out here independently of the projection: the
 * per-case observations `estimateCase` takes, and the gaps observed at each public status.
 * Cases get reviewed, some are transferred (and enter the other office late), asked for
 * evidence, decided, reopened or closed undecided; whatever would happen after `asOf` is not
 * written, so those cases are pending. Some business times carry an offset, late in the
 * agency's day, so a UTC date would be the next day.
 */
export interface ScenarioCase {
  receiptNumber: string;
  events: CaseEvent[];
  /** The office the case is at on `asOf`. */
  office: string;
  /** What the case counts as in its office's cohort; null when it counts nowhere (closed undecided). */
  observation: CaseObservation | null;
  /** Its public status on `asOf` and the day it reached it. */
  step: string;
  stepSince: Day;
}

export interface EstimateScenario {
  agency: 'USCIS';
  formType: string;
  offices: readonly [string, string];
  asOf: Day;
  cases: ScenarioCase[];
  /** Days from reaching a status to leaving it, by `office|status`: the office the case was at then. */
  gaps: Map<string, number[]>;
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function estimateScenario(options: {
  seed: number;
  cases: number;
  receiptBase?: number;
  formType?: string;
  /** The share of cases received at the second office (CSC); 0.25 by default. */
  secondOfficeShare?: number;
  /** The share of cases in review transferred to the other office; 0.15 by default. */
  transferShare?: number;
}): EstimateScenario {
  const random = seeded(options.seed);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const offices = ['NBC', 'CSC'] as const;
  const formType = options.formType ?? 'I-485';
  const first = dayFromIso('2026-01-01');
  const asOf = first + 420;
  const gaps = new Map<string, number[]>();
  const cases: ScenarioCase[] = [];

  for (let i = 0; i < options.cases; i++) {
    const receiptNumber = `IOE${String((options.receiptBase ?? 7_000_000_000) + i).padStart(10, '0')}`;
    const receivedAt = first + between(0, 400);
    let office: string = random() < 1 - (options.secondOfficeShare ?? 0.25) ? offices[0] : offices[1];
    let step = 'CASE_RECEIVED';
    let stepSince = receivedAt;
    let observedFrom: Day | undefined;
    let decidedAt: Day | null = null;
    let counted = true;
    // A fifth of the cases write New York times at 23:30, which is already the next day in UTC.
    const at = (day: Day) => (i % 5 === 0 ? `${isoFromDay(day)}T23:30:00-05:00` : `${isoFromDay(day)}T09:00:00Z`);
    const events: CaseEvent[] = [{ type: 'CaseReceived', data: { agency: 'USCIS', receiptNumber, formType, office }, occurredAt: at(receivedAt) }];
    let day = receivedAt;
    /** Records the event if it happens by asOf; false (and nothing written) otherwise. */
    const happen = (after: number, body: CaseEventBody, nextStep: string): boolean => {
      if (day + after > asOf) return false;
      day += after;
      const key = `${office}|${step}`;
      gaps.set(key, [...(gaps.get(key) ?? []), day - stepSince]);
      step = nextStep;
      stepSince = day;
      events.push({ ...body, occurredAt: at(day) } as CaseEvent);
      return true;
    };

    const lifecycle = (): void => {
      if (!happen(between(2, 20), { type: 'CaseReviewStarted', data: {} }, 'CASE_IN_REVIEW')) return;
      if (random() < (options.transferShare ?? 0.15)) {
        const to = office === offices[0] ? offices[1] : offices[0];
        const from = office;
        if (!happen(between(3, 40), { type: 'CaseTransferred', data: { fromOffice: from, toOffice: to } }, 'CASE_TRANSFERRED')) return;
        office = to;
        observedFrom = day;
      }
      if (random() < 0.3) {
        if (!happen(between(5, 30), { type: 'EvidenceRequested', data: { requestId: 'rfe-1', dueDate: isoFromDay(day + 90), description: 'Birth certificate' } }, 'EVIDENCE_REQUESTED')) return;
        if (!happen(between(10, 60), { type: 'EvidenceReceived', data: { requestId: 'rfe-1' } }, 'EVIDENCE_RECEIVED')) return;
      }
      if (random() < 0.03) {
        if (happen(between(10, 60), { type: 'CaseClosed', data: {} }, 'CASE_CLOSED')) counted = false;
        return;
      }
      const slow = random() < 0.3;
      if (!happen(slow ? between(120, 260) : between(15, 90), { type: 'DecisionIssued', data: { outcome: 'approved' } }, 'CASE_APPROVED')) return;
      decidedAt = day;
      if (random() < 0.06 && happen(between(5, 30), { type: 'CaseReopened', data: { reason: 'motion to reopen' } }, 'CASE_REOPENED')) decidedAt = null;
    };
    lifecycle();

    const observation: CaseObservation = { receivedAt, decidedAt };
    if (observedFrom !== undefined && observedFrom > receivedAt) observation.observedFrom = observedFrom;
    cases.push({ receiptNumber, events, office, observation: counted ? observation : null, step, stepSince });
  }
  return { agency: 'USCIS', formType, offices, asOf, cases, gaps };
}

/** The observations of one office's cohort on `asOf`, as `estimateCase` takes them. */
export function cohortObservations(scenario: EstimateScenario, office: string): CaseObservation[] {
  return scenario.cases.filter((c) => c.office === office && c.observation !== null).map((c) => c.observation as CaseObservation);
}

/** The observations of every office's cohort on `asOf`: the form's pool. */
export function formObservations(scenario: EstimateScenario): CaseObservation[] {
  return scenario.offices.flatMap((office) => cohortObservations(scenario, office));
}

/** A case that counts in its office's cohort. */
export type CountedCase = ScenarioCase & { observation: CaseObservation };

export function countedCases(scenario: EstimateScenario): CountedCase[] {
  return scenario.cases.filter((c): c is CountedCase => c.observation !== null);
}

/** A case closed without a decision (it counts nowhere). */
export function closedCase(scenario: EstimateScenario): ScenarioCase {
  const closed = scenario.cases.find((c) => c.observation === null);
  if (!closed) throw new Error('this scenario has no case closed without a decision; try another seed or more cases');
  return closed;
}

/**
 * What the estimator says of a case of the scenario, computed from the cases themselves: its
 * office's cohort, borrowing from `pool` (default: the cases of the form's offices) where that
 * has too little data. The served estimate must equal it.
 */
export function estimatorsAnswer(scenario: EstimateScenario, c: CountedCase, pool: CaseObservation[] = formObservations(scenario)): CaseEstimate {
  const { observation } = c;
  const [estimate] = estimateCasesPooled({
    cohort: cohortObservations(scenario, c.office),
    cases: [
      {
        receivedAt: observation.receivedAt,
        decidedAt: observation.decidedAt,
        lastStep: observation.decidedAt === null ? { step: c.step, since: c.stepSince, usualGaps: histogramOf(scenario.gaps.get(`${c.office}|${c.step}`) ?? []) } : undefined,
      },
    ],
    asOf: scenario.asOf,
    options: SERVED_ESTIMATE_OPTIONS,
    pool: { cohort: pool },
  });
  return estimate;
}
