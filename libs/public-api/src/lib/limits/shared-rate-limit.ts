import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/**
 * The Redis connection of the shared rate-limit store: waited for at start (a Redis that does
 * not answer is logged, and counts stay in each instance until it does), closed at shutdown.
 */
@Injectable()
export class RateLimitRedisConnection implements OnApplicationBootstrap, OnApplicationShutdown {
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
export function rateLimitRedis(url: string): Redis {
  const redis = new Redis(url, { connectTimeout: 500, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // Failures surface (and are logged) where a count is taken; without a listener ioredis prints each reconnect attempt.
  redis.on('error', () => undefined);
  return redis;
}
