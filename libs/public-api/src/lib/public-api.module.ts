import fastifyRateLimit from '@fastify/rate-limit';
import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import type { FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
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
import { DEFAULT_RATE_LIMIT, DEFAULT_SUBSCRIBE_RATE_LIMIT, STATUS_API_SETTINGS, type ProvidedBy, type StatusApiSettings, type PublicApiModuleOptions } from './public-api.options';

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

const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/**
 * The Redis connection of the shared rate-limit store: waited for at start (a Redis that does
 * not answer is logged, and counts stay in each instance until it does), closed at shutdown.
 */
@Injectable()
class RateLimitRedisConnection implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');

  constructor(@Inject(RATE_LIMIT_REDIS) private readonly redis: Redis) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.redis.status === 'ready') return;
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2_000);
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ready) this.logger.warn('Redis does not answer: rate limits count in this instance until it does');
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}

/** As @fastify/rate-limit recommends: fail a command fast rather than queue it while Redis is away. */
function rateLimitRedis(url: string): Redis {
  const redis = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // Failures surface (and are logged) where a count is taken; without a listener ioredis prints each reconnect attempt.
  redis.on('error', () => undefined);
  return redis;
}

/**
 * The public and caseworker GraphQL API over the read models, on Mercurius: queries,
 * live updates over graphql-ws, email subscriptions, webhooks and the delivery log (over the
 * notifications service), depth/complexity/rate limits and coded errors.
 */
@Module({})
export class PublicApiModule {
  static forRoot(options: PublicApiModuleOptions): DynamicModule {
    const addresses = new ClientAddresses(options.forwardingKey);
    const clientOf = (request: FastifyRequest) => addresses.of(request);
    const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
    const redis = options.rateLimitStore ? rateLimitRedis(options.rateLimitStore.redisUrl) : null;
    const limits = new OperationLimits({
      maxDepth: options.maxDepth ?? 8,
      maxComplexity: options.maxComplexity ?? 1000,
      maxRootFields: options.maxRootFields ?? 20,
      rateLimit,
      subscribeRateLimit: options.subscribeRateLimit === undefined ? DEFAULT_SUBSCRIBE_RATE_LIMIT : options.subscribeRateLimit,
      clientOf,
      sharedStore: redis !== null,
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
      plugins: [{ plugin: fastifyRateLimit, options: { global: false, ...(redis && { redis, nameSpace: options.rateLimitStore?.namespace ?? 'case-status-rate-limit:' }) } }],
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
      module: PublicApiModule,
      imports: [GraphQLModule.forRoot<MercuriusDriverConfig>(graphql)],
      controllers: feedback.controllers,
      providers: [
        provide(READ_MODEL_QUERIES, options.queries),
        provide(CASE_STATUS_CHANGE_FEED, options.changeFeed),
        { provide: STATUS_API_SETTINGS, useValue: settings },
        { provide: WEBSOCKET_LIMITS, useValue: websocketLimits },
        ...(redis ? [{ provide: RATE_LIMIT_REDIS, useValue: redis }, RateLimitRedisConnection] : []),
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
