import fastifyRateLimit from '@fastify/rate-limit';
import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { CASE_STATUS_CHANGE_FEED, READ_MODEL_QUERIES, type CaseStatusChangeFeed, type ReadModelQueries } from '@case-status/read-models';
import { CaseworkerModule } from './caseworker/caseworker.module';
import { EstimatesModule } from './estimates/estimates.module';
import { FeedbackModule } from './feedback/feedback.module';
import { apiLimitsOf, LimitsModule } from './limits/limits.module';
import { closeAfterTooLarge, requestLimitsHook } from './limits/request-limits';
import { CaseStatusChangeBroadcaster } from './live-updates/case-status-changed';
import { LiveUpdatesModule } from './live-updates/live-updates.module';
import { LookupModule } from './lookup/lookup.module';
import { AccessAuditResolver } from './access-audit/access-audit.resolver';
import { MyCasesModule } from './my-cases/my-cases.module';
import { NotificationsModule } from './notifications/notifications.module';
import type { PublicApiModuleOptions } from './public-api.options';
import { SharedModule } from './shared/shared.module';
import { graphqlMetricsHooks } from './shared/graphql-metrics';
import { CodedErrorPassThrough, formatStatusApiErrors } from './shared/status-errors';

/**
 * GraphQL over HTTP lets a client send `"extensions": null`; Mercurius' request schema wants
 * an object there, so a null is dropped before the body is validated.
 */
async function allowNullExtensions(request: FastifyRequest): Promise<void> {
  const body = request.body as Record<string, unknown> | null | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && body['extensions'] === null) delete body['extensions'];
}

interface Closable {
  close?: () => Promise<void>;
}

@Injectable()
class ReadSideCloser implements OnApplicationShutdown {
  constructor(
    @Inject(READ_MODEL_QUERIES) private readonly queries: ReadModelQueries & Closable,
    @Inject(CASE_STATUS_CHANGE_FEED) private readonly feed: CaseStatusChangeFeed & Closable,
    private readonly broadcaster: CaseStatusChangeBroadcaster,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    // Stop listening before the feed closes under the listener.
    await this.broadcaster.onApplicationShutdown();
    await this.feed.close?.();
    await this.queries.close?.();
  }
}

/**
 * The platform's public API on Mercurius, one Nest module per feature: the public lookup,
 * estimates, caseworker queries, live updates over graphql-ws, notifications (email
 * subscriptions, webhooks, the delivery log) and the feedback survey, with the limits and
 * coded errors every feature shares.
 */
@Module({})
export class PublicApiModule {
  static forRoot(options: PublicApiModuleOptions): DynamicModule {
    const limits = apiLimitsOf(options);
    const measured = options.metrics ? graphqlMetricsHooks(options.metrics) : undefined;
    const graphql: MercuriusDriverConfig = {
      driver: MercuriusDriver,
      autoSchemaFile: true,
      sortSchema: true,
      // Mercurius' GraphiQL loads its scripts from a CDN; status.app.ts serves our own console instead.
      graphiql: false,
      // A query seen before runs as JavaScript compiled for it (graphql-jit) rather than
      // through graphql-js's generic executor: a case page's query is the same text every time.
      jit: 1,
      // connection_init stops the connection's initialisation timer.
      subscription: { context: limits.websocket.connectionInitialised },
      validationRules: limits.operations.validationRules,
      // The parser stops at the token limit too, for documents that come another way than the routes' hook.
      graphql: { parseOptions: { maxTokens: limits.request.maxTokens } },
      errorFormatter: (execution, context) => formatStatusApiErrors(execution, context, { maxBodyBytes: limits.request.maxBodyBytes }),
      // The limiter counts public operations from a preExecution hook rather than every
      // request to the route, so only lookups count and a refusal is a coded GraphQL error.
      plugins: [
        {
          plugin: fastifyRateLimit,
          options: { global: false, ...(limits.store && { redis: limits.store.redis, nameSpace: options.rateLimitStore?.namespace ?? 'case-status-rate-limit:' }) },
        },
      ],
      additionalRouteOptions: {
        bodyLimit: limits.request.maxBodyBytes,
        preValidation: [allowNullExtensions, requestLimitsHook(limits.request), limits.websocket.upgradeHook],
        onSend: closeAfterTooLarge,
      },
      // Measured first, so an operation the limits refuse still has its name for the HTTP answer's count.
      hooks: {
        preExecution: measured ? [measured.preExecution, limits.operations.preExecution] : limits.operations.preExecution,
        ...(measured && { onResolution: measured.onResolution }),
        preSubscriptionExecution: limits.operations.preSubscriptionExecution,
      },
    };
    return {
      module: PublicApiModule,
      imports: [
        GraphQLModule.forRoot<MercuriusDriverConfig>(graphql),
        SharedModule.forRoot(options),
        LimitsModule.forRoot(limits),
        LookupModule,
        // The CSV route's own limit object, as the feedback CSV's.
        EstimatesModule.forRoot({ rateLimit: limits.rateLimit && { ...limits.rateLimit } }),
        CaseworkerModule.forRoot(options.caseEvents),
        LiveUpdatesModule,
        NotificationsModule.forRoot(options.notifications),
        MyCasesModule.forRoot(options.myCases),
        // The CSV route's own limit (an object of its own, so its counts are kept apart).
        FeedbackModule.forRoot(options.feedback, { rateLimit: limits.rateLimit && { ...limits.rateLimit }, closeOnShutdown: options.closeOnShutdown }),
      ],
      providers: [{ provide: APP_FILTER, useClass: CodedErrorPassThrough }, AccessAuditResolver, ...(options.closeOnShutdown ? [ReadSideCloser] : [])],
    };
  }
}
