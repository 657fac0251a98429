export * from './lib/survey';
export { fiscalQuarterOf, isFiscalQuarter, parseFiscalQuarter, quarterDates, type FiscalQuarter } from './lib/fiscal-quarter';
export { redactPersonalDetails, REDACTED } from './lib/redact';
export { validateAnswers, type FeedbackAnswers, type SubmittedAnswers } from './lib/feedback-answers';
export { FeedbackRefusedError, type FeedbackRefusalCode } from './lib/feedback-errors';
export {
  FEEDBACK_SCHEMA_VERSION,
  FEEDBACK_STREAM_PREFIX,
  FEEDBACK_SUBMITTED,
  feedbackStreamId,
  parseFeedbackSubmitted,
  type FeedbackSubmittedData,
} from './lib/feedback-event';
export { DEVELOPMENT_FEEDBACK_SECRET, feedbackSecret, MIN_FEEDBACK_SECRET_BYTES, responseEventId } from './lib/response-id';
export { FeedbackSubmitter, type DecidedCaseFacts, type FeedbackEventStore, type FeedbackReceipt, type FeedbackSubmitterOptions } from './lib/feedback-submitter';
export { summarizeResults, type GroupResult, type QuestionResult, type ResultsFilter, type ResultsPolicy, type ScaleCounts } from './lib/feedback-results';
export { resultsCsv, CSV_COLUMNS } from './lib/results-csv';
export { FEEDBACK_MIGRATIONS } from './lib/feedback.migrations';
export { feedbackResults } from './lib/apply-feedback-batch';
export {
  InvalidCursorError,
  PostgresFeedbackResults,
  type CommentPage,
  type CommentsFilter,
  type FeedbackComment,
  type FeedbackResultsReader,
  type PostgresFeedbackResultsOptions,
} from './lib/postgres-feedback-results';
