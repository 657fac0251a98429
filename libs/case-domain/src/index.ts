import { evolve, initialState, type CaseState } from './lib/case';
import type { CaseEvent } from './lib/case-events';
import { decide } from './lib/decide';

export * from './lib/case-events';
export * from './lib/commands';
export * from './lib/agency';
export * from './lib/errors';
export { evolve, initialState, openEvidenceRequests } from './lib/case';
export type { CaseState } from './lib/case';
export { decide } from './lib/decide';
export { isIsoDate, isIsoDateTime } from './lib/time';
export { ACCESS_CODE_HASH_LIMITS, currentAccessCode, parseAccessCodeHash } from './lib/access-code';

/** The case lifecycle as one value, for code that runs any decider (e.g. a command handler). */
export const caseDecider = { decide, evolve, initialState } as const;

/** The current state of a case from its full history, oldest event first. */
export function foldCase(events: readonly CaseEvent[]): CaseState {
  return events.reduce(evolve, initialState());
}
export * from './lib/public-status';
