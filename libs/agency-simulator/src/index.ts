export { BACKLOG_TRENDS, simulate } from './lib/simulate';
export type { BacklogTrend, SimulatedEvent, SimulationConfig } from './lib/simulate';
