export { createStatusApp, type StatusAppOptions } from './lib/status.app';
export { StatusGraphqlModule } from './lib/status-graphql.module';
export { DEFAULT_RATE_LIMIT, type ProvidedBy, type StatusGraphqlModuleOptions } from './lib/status-graphql.options';
export { CASEWORKER_AUDIENCE, CASEWORKER_ROLE } from './lib/caseworker.guard';
export { ERROR_CODES, StatusApiError, type StatusErrorCode } from './lib/status-errors';
export { PUBLIC_ROOT_FIELDS, type PublicRateLimitOptions } from './lib/operation-limits';
export { caseStatusTopic } from './lib/case-status-changed';
