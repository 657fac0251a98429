export { createWebApp, startWebServer, type WebAppOptions, type WebServer, type WebServerOptions } from './lib/web.app';
export { buildAssets, type BuildAssetsOptions, type SiteAssets } from './lib/assets/build-assets';
export { checkReceiptNumber, type ReceiptCheck, type ReceiptProblem } from './lib/receipt-number';
export { MESSAGES, type Messages } from './lib/i18n/messages';
export { feedbackSurveyHref } from './lib/feedback/feedback.routes';
export { startNotificationLinksServer } from './lib/notification-links.server';
export { CaseStatusDocument } from './lib/api/operations.generated';
