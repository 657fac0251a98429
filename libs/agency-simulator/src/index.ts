export { BACKLOG_TRENDS, DECISION_CAPACITY, MAX_EVIDENCE_REQUESTS, SimulationConfigError, simulate } from './lib/simulate';
export type { BacklogTrend, DecisionPause, SimulatedEvent, SimulationConfig } from './lib/simulate';
export { FORM_PROFILES, OFFICE_PACE } from './lib/profiles';
export type { FormProfile } from './lib/profiles';
export { createRandom, deterministicUuid } from './lib/random';
export type { Random } from './lib/random';
