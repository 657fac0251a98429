import fastifyRateLimit from '@fastify/rate-limit';
import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { SharedRateLimitStore } from '@case-status/http-support';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { AgencyTokenVerifier } from '@case-status/agency-auth';
import { DELIVERY_LOG, SUBSCRIPTION_SERVICE } from '@case-status/notifications';
import { CASE_STATUS_CHANGE_FEED, READ_MODEL_QUERIES, type CaseStatusChangeFeed, type ReadModelQueries } from '@case-status/read-models';
import { CaseEstimateResolver, CaseEstimateTextResolver } from './case-estimate.resolver';
import { CaseStatusChangeBroadcaster, CaseStatusChangedResolver } from './case-status-changed';
import { CaseStatusResolver } from './case-status.resolver';
import { CASEWORKER_AUDIENCE, CASEWORKER_TOKEN_VERIFIER, CaseworkerGuard, WebhookOwnerGuard } from './caseworker.guard';
import { CaseworkerResolver } from './caseworker.resolver';
import { ClientAddresses } from './client-address';
import { CohortEstimateResolver } from './cohort-estimate.resolver';
import { DeliveryLogResolver } from './delivery-log.resolver';
import { feedbackModuleParts } from './feedback.providers';
import { OperationLimits } from './operation-limits';
import { ProcessingTimesResolver } from './processing-times.resolver';
import { closeAfterTooLarge, DEFAULT_REQUEST_LIMITS, requestLimitsHook } from './request-limits';
import { CodedErrorPassThrough, formatStatusApiErrors } from './status-errors';
import { SubscriptionsResolver } from './subscriptions.resolver';
import { WebhooksResolver } from './webhooks.resolver';
import { DEFAULT_WEBSOCKET_LIMITS, WEBSOCKET_LIMITS, WebSocketLimits } from './websocket-limits';
import { DEFAULT_RATE_LIMIT, DEFAULT_SUBSCRIBE_RATE_LIMIT, STATUS_API_SETTINGS, type ProvidedBy, type StatusApiSettings, type StatusGraphqlModuleOptions } from './status-graphql.options';

/**
 * GraphQL over HTTP lets a client send `"extensions": null`; Mercurius' request schema wants
 * an object there, so a null is dropped before the body is validated.
 */
async function allowNullExtensions(request: FastifyRequest): Promise<void> {
  const body = request.body as Record<string, unknown> | null | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body) && body['extensions'] === null) delete body['extensions'];
}

function provide<T extends object>(token: symbol, source: ProvidedBy<T>): Provider {
  const isRecipe = 'useValue' in source || 'useClass' in source || 'useFactory' in source || 'useExisting' in source;
  return isRecipe ? ({ ...source, provide: token } as Provider) : { provide: token, useValue: source };
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

/** The shared rate-limit store: waited for at start (see SharedRateLimitStore), closed at shutdown. */
@Injectable()
class RateLimitStoreConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SharedRateLimitStore) private readonly store: SharedRateLimitStore) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.ready();
  }

  onApplicationShutdown(): void {
    this.store.close();
  }
}

/**
 * The public and caseworker GraphQL API over the read models, on Mercurius: queries,
 * live updates over graphql-ws, email subscriptions, webhooks and the delivery log (over the
 * notifications service), depth/complexity/rate limits and coded errors.
 */
@Module({})
export class StatusGraphqlModule {
  static forRoot(options: StatusGraphqlModuleOptions): DynamicModule {
    const addresses = new ClientAddresses(options.forwardingKey);
    const clientOf = (request: FastifyRequest) => addresses.of(request);
    const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
    const store = options.rateLimitStore ? new SharedRateLimitStore(options.rateLimitStore.redisUrl, new Logger('RateLimit')) : null;
    const limits = new OperationLimits({
      maxDepth: options.maxDepth ?? 8,
      maxComplexity: options.maxComplexity ?? 1000,
      maxRootFields: options.maxRootFields ?? 20,
      rateLimit,
      subscribeRateLimit: options.subscribeRateLimit === undefined ? DEFAULT_SUBSCRIBE_RATE_LIMIT : options.subscribeRateLimit,
      clientOf,
      sharedStore: store,
    });
    const requestLimits = { maxBodyBytes: options.maxBodyBytes ?? DEFAULT_REQUEST_LIMITS.maxBodyBytes, maxTokens: options.maxTokens ?? DEFAULT_REQUEST_LIMITS.maxTokens };
    const websocketLimits = new WebSocketLimits({ ...DEFAULT_WEBSOCKET_LIMITS, ...options.websocket }, clientOf);
    const settings: StatusApiSettings = { clock: options.clock ?? (() => new Date()), maxPageSize: options.maxPageSize ?? 100 };
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
      subscription: { context: websocketLimits.connectionInitialised },
      validationRules: limits.validationRules,
      // The parser stops at the token limit too, for documents that come another way than the routes' hook.
      graphql: { parseOptions: { maxTokens: requestLimits.maxTokens } },
      errorFormatter: (execution, context) => formatStatusApiErrors(execution, context, { maxBodyBytes: requestLimits.maxBodyBytes }),
      // The limiter counts public operations from a preExecution hook rather than every
      // request to the route, so only lookups count and a refusal is a coded GraphQL error.
      plugins: [{ plugin: fastifyRateLimit, options: { global: false, ...(store && { redis: store.redis, nameSpace: options.rateLimitStore?.namespace ?? 'case-status-rate-limit:' }) } }],
      additionalRouteOptions: {
        bodyLimit: requestLimits.maxBodyBytes,
        preValidation: [allowNullExtensions, requestLimitsHook(requestLimits), websocketLimits.upgradeHook],
        onSend: closeAfterTooLarge,
      },
      hooks: { preExecution: limits.preExecution, preSubscriptionExecution: limits.preSubscriptionExecution },
    };
    const feedback = feedbackModuleParts(options.feedback, {
      provide,
      // The CSV route's own limit (an object of its own, so its counts are kept apart).
      rateLimit: rateLimit && { ...rateLimit },
      limits,
      closeOnShutdown: options.closeOnShutdown,
    });
    return {
      module: StatusGraphqlModule,
      imports: [GraphQLModule.forRoot<MercuriusDriverConfig>(graphql)],
      controllers: feedback.controllers,
      providers: [
        provide(READ_MODEL_QUERIES, options.queries),
        provide(CASE_STATUS_CHANGE_FEED, options.changeFeed),
        { provide: STATUS_API_SETTINGS, useValue: settings },
        { provide: WEBSOCKET_LIMITS, useValue: websocketLimits },
        ...(store ? [{ provide: SharedRateLimitStore, useValue: store }, RateLimitStoreConnection] : []),
        { provide: CASEWORKER_TOKEN_VERIFIER, useValue: new AgencyTokenVerifier(options.caseworkerKeys, CASEWORKER_AUDIENCE) },
        // Without notifications the fields stay in the schema and answer NOTIFICATIONS_UNAVAILABLE.
        options.notifications ? provide(SUBSCRIPTION_SERVICE, options.notifications.subscriptions) : { provide: SUBSCRIPTION_SERVICE, useValue: null },
        options.notifications ? provide(DELIVERY_LOG, options.notifications.deliveryLog) : { provide: DELIVERY_LOG, useValue: null },
        { provide: APP_FILTER, useClass: CodedErrorPassThrough },
        CaseworkerGuard,
        WebhookOwnerGuard,
        CaseStatusResolver,
        ProcessingTimesResolver,
        CaseEstimateResolver,
        CaseEstimateTextResolver,
        CohortEstimateResolver,
        CaseworkerResolver,
        SubscriptionsResolver,
        WebhooksResolver,
        DeliveryLogResolver,
        CaseStatusChangeBroadcaster,
        CaseStatusChangedResolver,
        ...(options.closeOnShutdown ? [ReadSideCloser] : []),
        ...feedback.providers,
      ],
    };
  }
}
