export * from './lib/read-model.queries';
export { InvalidQueryArgumentError } from './lib/query-errors';
export { decodeCursor, encodeCursor, type CaseCursor } from './lib/cursor';
export {
  PostgresReadModels,
  /** @public */
  type PostgresReadModelsOptions,
} from './lib/postgres-read-models';
export {
  PostgresCaseStatusChangeFeed,
  /** @public */
  type PostgresCaseStatusChangeFeedOptions,
} from './lib/postgres-case-status-change.feed';
export { caseReadModels } from './lib/apply-batch';
export { CASE_PROJECTIONS } from './lib/case-projections';
export { weeklyCaseFlow } from './lib/weekly-case-flow.projection';
export { caseDays, servedCaseEstimate, servedCohortEstimate, SERVED_ESTIMATE_OPTIONS } from './lib/case-estimate';
export {
  ServedEstimateRecord,
  startServedEstimateRecorder,
  /** @public */
  type ServedEstimateRecordOptions,
  type EstimateAccuracyMonthView,
  type ServedEstimateRowView,
} from './lib/served-estimates.record';
