import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';

/** Where the store says that it fails and recovers: a Nest Logger, or any logger with these two. */
export interface RateLimitStoreLog {
  log(message: string): void;
  warn(message: string): void;
}

/** A limiter as `fastify.createRateLimit` makes it. */
export type RateLimiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Rate-limit counts shared by every instance of a service through one Redis, with one
 * behaviour when Redis is away: at start or later, each instance counts on its own, in memory,
 * until Redis answers again, and says so once each way. A limit therefore never fails open
 * and never takes the service down.
 *
 * Connected as @fastify/rate-limit recommends: a command fails fast instead of queueing while
 * Redis is away, and the connection is retried for as long as the service runs.
 */
export class SharedRateLimitStore {
  readonly redis: Redis;
  private failing = false;

  constructor(
    url: string,
    private readonly logger: RateLimitStoreLog,
  ) {
    this.redis = new Redis(url, { connectTimeout: 500, commandTimeout: 1_000, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    // Failures surface (and are logged) where a count is taken; without a listener ioredis prints each reconnect attempt.
    this.redis.on('error', () => undefined);
    this.redis.on('ready', () => {
      if (!this.failing) return;
      this.failing = false;
      this.logger.log('the shared rate-limit store answers again: counts are shared between instances again');
    });
  }

  /** Waits up to `timeoutMs` for Redis; when it does not answer, says that counts stay in this instance. */
  async ready(timeoutMs = 2_000): Promise<boolean> {
    if (this.redis.status === 'ready') return true;
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.redis.once('ready', onReady);
    });
    if (!ready) this.logger.warn('Redis does not answer: rate limits count in this instance until it does');
    return ready;
  }

  /**
   * Counts through Redis with `shared`; once that fails, in this instance with `local` until
   * Redis is connected again.
   */
  async count<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.failing) return local();
    try {
      return await shared();
    } catch (error) {
      if (!this.failing) {
        this.failing = true;
        this.logger.warn(
          `the shared rate-limit store failed (${error instanceof Error ? error.message : String(error)}): counting in this instance until it answers, so each instance allows the full limit`,
        );
      }
      return local();
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}

/**
 * A limiter with @fastify/rate-limit's in-memory store, outside the application (whose store
 * is the shared one): what an instance counts with while Redis is away.
 */
async function localRateLimiter(options: Parameters<FastifyInstance['createRateLimit']>[0]): Promise<RateLimiter> {
  const counter = Fastify();
  await counter.register(fastifyRateLimit, { global: false });
  await counter.ready();
  return counter.createRateLimit(options);
}

/** A limiter that counts in the shared store, and in this instance while the store fails. */
export function withLocalFallback(store: SharedRateLimitStore, shared: RateLimiter, options: Parameters<FastifyInstance['createRateLimit']>[0]): RateLimiter {
  let local: Promise<RateLimiter> | undefined;
  return ((request: FastifyRequest, callOptions?: { increment?: boolean }) =>
    store.count(
      () => shared(request, callOptions),
      async () => (await (local ??= localRateLimiter(options)))(request, callOptions),
    )) as RateLimiter;
}
