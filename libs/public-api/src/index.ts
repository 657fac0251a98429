export { createStatusApp, type StatusAppOptions } from './lib/status.app';
export { PublicApiModule } from './lib/public-api.module';
export {
  DEFAULT_RATE_LIMIT,
  DEFAULT_SUBSCRIBE_RATE_LIMIT,
  type NotificationDeliveryLog,
  type NotificationSubscriptions,
  type ProvidedBy,
  type PublicApiModuleOptions,
  type StatusNotificationsOptions,
} from './lib/public-api.options';
export { CASEWORKER_AUDIENCE, CASEWORKER_ROLE, REPRESENTATIVE_ROLE } from './lib/caseworker.guard';
export { ERROR_CODES, StatusApiError, type StatusErrorCode } from './lib/status-errors';
export { EMAIL_SENDING_ROOT_FIELDS, PUBLIC_ROOT_FIELDS, type PublicRateLimitOptions } from './lib/operation-limits';
export { caseStatusTopic } from './lib/case-status-changed';
export { FEEDBACK_CSV_PATH } from './lib/feedback-arguments';
export type { FeedbackSubmissions, StatusFeedbackOptions } from './lib/feedback.options';
