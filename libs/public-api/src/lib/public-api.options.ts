import type { AgencyKeys } from '@case-status/agency-auth';
import type { Metrics } from '@case-status/http-support';
import type { CaseStatusChangeFeed, ReadModelQueries } from '@case-status/read-models';
import type { AccessAuditLog } from './access-audit/access-audit.options';
import type { StatusFeedbackOptions } from './feedback/feedback.options';
import type { CaseEventSource } from './caseworker/case-events.resolver';
import type { StatusMyCasesOptions } from './my-cases/my-cases.options';
import type { PublicRateLimitOptions } from './limits/operation-limits';
import type { WebSocketLimitOptions } from './limits/websocket-limits';
import type { StatusNotificationsOptions } from './notifications/notifications.options';
import type { ProvidedBy } from './shared/provided-by';

export interface PublicApiModuleOptions {
  queries: ProvidedBy<ReadModelQueries>;
  changeFeed: ProvidedBy<CaseStatusChangeFeed>;
  /** Per agency, the keys its caseworkers' tokens are signed with. */
  caseworkerKeys: AgencyKeys;
  /**
   * Per-client limit on public operations, one unit per public root field or alias; `false`
   * turns it off. Default: 120 per minute per client address.
   */
  rateLimit?: PublicRateLimitOptions | false;
  /**
   * Email subscriptions, webhooks and the delivery log. Without it the same fields exist and
   * answer NOTIFICATIONS_UNAVAILABLE.
   */
  notifications?: StatusNotificationsOptions;
  /**
   * Per-client limit on `subscribeToCase`, on top of `rateLimit`: each call sends an email.
   * `false` turns it off. Default: 10 per hour per IP.
   */
  subscribeRateLimit?: PublicRateLimitOptions | false;
  /**
   * Where every read of private case details is recorded (`new PostgresAccessAudit(...)` of
   * @case-status/identity). Without it no private details are served (AUDIT_UNAVAILABLE).
   */
  accessAudit?: ProvidedBy<AccessAuditLog>;
  /** "My cases": linking cases by access code, and reading linked cases (docs/identity.md). Without it those fields answer LINKING_UNAVAILABLE. */
  myCases?: StatusMyCasesOptions;
  /**
   * Reads a case's stream for caseworkers' `caseEvents` (the console's full record of a case):
   * the event store, read only. Without it `caseEvents` answers CASE_RECORD_UNAVAILABLE.
   */
  caseEvents?: ProvidedBy<CaseEventSource>;
  /** The post-decision survey (docs/feedback.md). Without it the survey fields answer FEEDBACK_UNAVAILABLE. */
  feedback?: StatusFeedbackOptions;
  /**
   * Key of a trusted front end (the website): a request carrying it in `X-Forwarding-Key` is
   * counted as coming from the last address of its `X-Forwarded-For`. Anyone else's
   * `X-Forwarded-For` counts for nothing (beyond Fastify's `trustProxy`). At least 32 characters.
   */
  forwardingKey?: string;
  /**
   * Keep the rate limits' counts in Redis, shared by every instance. While Redis does not
   * answer, each instance counts on its own (the full limit per instance) and logs a warning.
   * Default: in memory, per instance.
   */
  rateLimitStore?: { redisUrl: string; /** Key prefix; default `case-status-rate-limit:`. */ namespace?: string };
  /** Root fields (aliases counted one by one) per operation. Default 20. */
  maxRootFields?: number;
  /** Bytes of a POST to /graphql. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Tokens of a GraphQL document. Default 2000. */
  maxTokens?: number;
  /** Live updates: connections per client, subscriptions per connection, time to `connection_init`, message size. */
  websocket?: Partial<WebSocketLimitOptions>;
  /** Default 8: deep enough for every query this schema answers, with fragments. */
  maxDepth?: number;
  /** Default 1000 points (one per field; a history 10 more; a page of cases its size times a case). */
  maxComplexity?: number;
  /** Default 100. */
  maxPageSize?: number;
  /** Serve the GraphQL console at /graphiql (our own page, nothing from other origins). Default: on, off when NODE_ENV is production. */
  graphiql?: boolean;
  /** Call `close()` on the queries and the change feed when the application shuts down (when the app made them). */
  closeOnShutdown?: boolean;
  /** Requests and GraphQL operations are measured into these (served by the operations server); none without it. */
  metrics?: Metrics;
  /** "Now" for processing times and backlog ages; tests pin it. */
  clock?: () => Date;
}

export const DEFAULT_RATE_LIMIT: PublicRateLimitOptions = { max: 120, timeWindow: 60_000 };
export const DEFAULT_SUBSCRIBE_RATE_LIMIT: PublicRateLimitOptions = { max: 10, timeWindow: 3_600_000 };

export interface StatusApiSettings {
  clock: () => Date;
  maxPageSize: number;
}

export const STATUS_API_SETTINGS = Symbol('STATUS_API_SETTINGS');
