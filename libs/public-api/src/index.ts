export {
  createStatusApp,
  /** @public */
  type StatusAppOptions,
} from './lib/status.app';
export type { StatusNotificationsOptions } from './lib/notifications/notifications.options';
export type { StatusFeedbackOptions } from './lib/feedback/feedback.options';
