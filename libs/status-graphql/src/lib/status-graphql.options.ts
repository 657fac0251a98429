import type { ClassProvider, ExistingProvider, FactoryProvider } from '@nestjs/common';
import type { AgencyKeys } from '@case-status/agency-auth';
import type { CaseStatusChangeFeed, ReadModelQueries } from '@case-status/read-models';
import type { PublicRateLimitOptions } from './operation-limits';

/** A ready value, or how Nest should make it (class, factory or existing token). */
export type ProvidedBy<T> = T | Omit<ClassProvider<T>, 'provide'> | Omit<FactoryProvider<T>, 'provide'> | Omit<ExistingProvider<T>, 'provide'>;

export interface StatusGraphqlModuleOptions {
  queries: ProvidedBy<ReadModelQueries>;
  changeFeed: ProvidedBy<CaseStatusChangeFeed>;
  /** Per agency, the keys its caseworkers' tokens are signed with. */
  caseworkerKeys: AgencyKeys;
  /** Per-client limit on public operations; `false` turns it off. Default: 120 per minute per IP. */
  rateLimit?: PublicRateLimitOptions | false;
  /** Default 8: deep enough for every query this schema answers, with fragments. */
  maxDepth?: number;
  /** Default 1000 points (one per field; a history 10 more; a page of cases its size times a case). */
  maxComplexity?: number;
  /** Default 100. */
  maxPageSize?: number;
  /** Serve GraphiQL at /graphiql. Default true. */
  graphiql?: boolean;
  /** Call `close()` on the queries and the change feed when the application shuts down (when the app made them). */
  closeOnShutdown?: boolean;
  /** "Now" for processing times and backlog ages; tests pin it. */
  clock?: () => Date;
}

export const DEFAULT_RATE_LIMIT: PublicRateLimitOptions = { max: 120, timeWindow: 60_000 };

export interface StatusApiSettings {
  clock: () => Date;
  maxPageSize: number;
}

export const STATUS_API_SETTINGS = Symbol('STATUS_API_SETTINGS');
