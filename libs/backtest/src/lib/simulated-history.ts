import type { SimulatedEvent } from '@case-status/agency-simulator';
import { dayFromIso, type Day } from '@case-status/processing-time';
import type { CaseHistory, CohortSpell, ReplayHistory } from './history';

/**
 * The replayable history of a simulated run. A case's cohort is its agency, form and
 * office, and a transfer moves it to the new office's cohort from that day on. The
 * decision is the first one issued (a reopened case was decided for its applicant once
 * already). Days are the UTC calendar days of the events. Only complete days count: the
 * history ends the day before `end` (the run's end timestamp), and anything later is
 * treated as unknown.
 */
export function historyFromSimulation(events: readonly SimulatedEvent[], end: string): ReplayHistory {
  const endDay = dayFromIso(end, 'end') - 1;
  const cases = new Map<string, { receivedAt: Day; decidedAt: Day | null; agency: string; formType: string; cohorts: CohortSpell[] }>();
  for (const event of events) {
    const day = dayFromIso(event.occurredAt, 'occurredAt');
    if (day > endDay) continue;
    const caseId = `${event.agency}/${event.receiptNumber}`;
    if (event.type === 'CaseReceived') {
      const formType = String(event.data['formType']);
      cases.set(caseId, { receivedAt: day, decidedAt: null, agency: event.agency, formType, cohorts: [{ from: day, cohort: cohortKey(event.agency, formType, String(event.data['office'])), pool: JSON.stringify([event.agency, formType]) }] });
      continue;
    }
    const known = cases.get(caseId);
    if (!known) continue;
    if (event.type === 'CaseTransferred' && known.decidedAt === null) {
      known.cohorts.push({ from: day, cohort: cohortKey(known.agency, known.formType, String(event.data['toOffice'])), pool: JSON.stringify([known.agency, known.formType]) });
    } else if (event.type === 'DecisionIssued' && known.decidedAt === null) {
      known.decidedAt = day;
    }
  }
  const histories: CaseHistory[] = [...cases].map(([caseId, known]) => ({ caseId, receivedAt: known.receivedAt, decidedAt: known.decidedAt, cohorts: known.cohorts }));
  return { cases: histories, endDay };
}

function cohortKey(agency: string, formType: string, office: string): string {
  return `${agency} ${formType} ${office}`;
}
