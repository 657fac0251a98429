import { Logger, Module, type DynamicModule } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { SharedRateLimitStore } from '@case-status/http-support';
import { DEFAULT_RATE_LIMIT, DEFAULT_SUBSCRIBE_RATE_LIMIT, type PublicApiModuleOptions } from '../public-api.options';
import { ClientAddresses } from './client-address';
import { OperationLimits, type PublicRateLimitOptions } from './operation-limits';
import { DEFAULT_REQUEST_LIMITS } from './request-limits';
import { RateLimitStoreConnection } from './shared-rate-limit';
import { DEFAULT_WEBSOCKET_LIMITS, WEBSOCKET_LIMITS, WebSocketLimits } from './websocket-limits';

/** What one API may be asked, made once from its options: the GraphQL driver and the features share it. */
export interface ApiLimits {
  /** The public rate limit; `false` when it is off. */
  rateLimit: PublicRateLimitOptions | false;
  operations: OperationLimits;
  request: { maxBodyBytes: number; maxTokens: number };
  websocket: WebSocketLimits;
  /** The shared rate-limit store, when the options name one. */
  store: SharedRateLimitStore | null;
}

export function apiLimitsOf(options: PublicApiModuleOptions): ApiLimits {
  const addresses = new ClientAddresses(options.forwardingKey);
  const clientOf = (request: FastifyRequest) => addresses.of(request);
  const rateLimit = options.rateLimit === undefined ? DEFAULT_RATE_LIMIT : options.rateLimit;
  const store = options.rateLimitStore ? new SharedRateLimitStore(options.rateLimitStore.redisUrl, new Logger('RateLimit')) : null;
  const operations = new OperationLimits({
    maxDepth: options.maxDepth ?? 8,
    maxComplexity: options.maxComplexity ?? 1000,
    maxRootFields: options.maxRootFields ?? 20,
    rateLimit,
    subscribeRateLimit: options.subscribeRateLimit === undefined ? DEFAULT_SUBSCRIBE_RATE_LIMIT : options.subscribeRateLimit,
    clientOf,
    sharedStore: store,
  });
  const request = { maxBodyBytes: options.maxBodyBytes ?? DEFAULT_REQUEST_LIMITS.maxBodyBytes, maxTokens: options.maxTokens ?? DEFAULT_REQUEST_LIMITS.maxTokens };
  const websocket = new WebSocketLimits({ ...DEFAULT_WEBSOCKET_LIMITS, ...options.websocket }, clientOf);
  return { rateLimit, operations, request, websocket, store };
}

/** The limits that features check themselves (live updates, the CSV route), and the shared store's connection. */
@Module({})
export class LimitsModule {
  static forRoot(limits: ApiLimits): DynamicModule {
    return {
      module: LimitsModule,
      global: true,
      providers: [
        { provide: WEBSOCKET_LIMITS, useValue: limits.websocket },
        { provide: OperationLimits, useValue: limits.operations },
        ...(limits.store ? [{ provide: SharedRateLimitStore, useValue: limits.store }, RateLimitStoreConnection] : []),
      ],
      exports: [WEBSOCKET_LIMITS, OperationLimits],
    };
  }
}
