export {
  startWebServer,
  type WebServer,
  /** @public */
  type WebServerOptions,
} from './lib/web.app';
export {
  buildAssets,
  /** @public */
  type BuildAssetsOptions,
  /** @public */
  type SiteAssets,
} from './lib/assets/build-assets';
export { feedbackSurveyHref } from './lib/feedback/feedback.routes';
export { startNotificationLinksServer } from './lib/notification-links.server';
export { CaseStatusDocument } from './lib/api/operations.generated';
/** @public */
export type { WebIdentityOptions } from './lib/identity/identity.routes';
