export * from './lib/survey';
export { fiscalQuarterOf, isFiscalQuarter, quarterDates } from './lib/fiscal-quarter';
export { REDACTED } from './lib/redact';
export type { SubmittedAnswers } from './lib/feedback-answers';
export { FeedbackRefusedError } from './lib/feedback-errors';
export { feedbackSecret, responseEventId } from './lib/response-id';
export { SurveyLinks } from './lib/survey-link';
export {
  FeedbackSubmitter,
  type FeedbackReceipt,
  /** @public */
  type FeedbackSubmitterOptions,
} from './lib/feedback-submitter';
export type { GroupResult, ResultsFilter, ResultsPolicy } from './lib/feedback-results';
export { resultsCsv } from './lib/results-csv';
export { FEEDBACK_MIGRATIONS } from './lib/feedback.migrations';
export { feedbackResults } from './lib/apply-feedback-batch';
export {
  PostgresFeedbackResults,
  type CommentPage,
  type FeedbackResultsReader,
  /** @public */
  type PostgresFeedbackResultsOptions,
} from './lib/postgres-feedback-results';
