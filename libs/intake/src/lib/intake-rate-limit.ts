import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { AgencyTokenVerifier } from '@case-status/agency-auth';
import { SharedRateLimitStore, withLocalFallback } from '@case-status/http-support';
import { MAX_BATCH_SIZE } from '@case-status/intake-contract';
import { authenticate, authorizationOf, type RequestWithPrincipal } from './agency-auth';
import { IntakeProblem } from './intake-problem';

/**
 * How much each agency, and each client address, may send per window. An agency's requests
 * and events are counted separately: a batch is one request and as many events as it holds,
 * a single event one of each, so batching is not penalised but cannot multiply what an
 * agency sends either.
 */
export interface IntakeRateLimitOptions {
  /** Requests per agency per window; default 1200. */
  requestsPerAgency?: number;
  /** Events per agency per window, a batch counting its size; default 30,000 (60 full batches). */
  eventsPerAgency?: number;
  /**
   * Requests per client address per window whose token is not already verified (the ones
   * that cost a signature check); default 120. Counted before the token is checked, so a
   * flood of bad tokens cannot keep the server verifying signatures.
   */
  unverifiedPerAddress?: number;
  /** Window length in milliseconds; default 60,000. */
  timeWindowMs?: number;
  /**
   * Keep counts in this Redis (e.g. `redis://127.0.0.1:6379`) so that several intake
   * instances share them; in memory, per instance, without it, and while Redis is away.
   */
  redisUrl?: string;
  /** Prefix of the Redis keys; default `case-status:intake-rate-limit:`. */
  redisNamespace?: string;
}

const DEFAULT_INTAKE_RATE_LIMIT = {
  requestsPerAgency: 1200,
  eventsPerAgency: 30_000,
  unverifiedPerAddress: 120,
  timeWindowMs: 60_000,
  redisNamespace: 'case-status:intake-rate-limit:',
} as const;

type Limit = Required<Omit<IntakeRateLimitOptions, 'redisUrl'>>;

/**
 * Registers the intake's rate limits on its Fastify instance, before the routes. Requests
 * are counted by @fastify/rate-limit (its in-memory or Redis store); events by a weighted
 * counter of our own in the same place, since that plugin counts one per request. While Redis
 * does not answer, at start or later, each instance counts in memory (SharedRateLimitStore):
 * the limit neither lets everything through nor takes the intake down.
 */
export async function registerIntakeRateLimit(app: NestFastifyApplication, verifier: AgencyTokenVerifier, options: IntakeRateLimitOptions): Promise<void> {
  const limit: Limit = { ...DEFAULT_INTAKE_RATE_LIMIT, ...withoutUndefined(options) };
  const fastify = app.getHttpAdapter().getInstance();
  const logger = new Logger('IntakeRateLimit');
  const store = options.redisUrl ? new SharedRateLimitStore(options.redisUrl, logger) : undefined;
  if (store) {
    await store.ready();
    fastify.addHook('onClose', async () => store.close());
  }

  await app.register(fastifyRateLimit, {
    global: false,
    timeWindow: limit.timeWindowMs,
    ...(store ? { redis: store.redis, nameSpace: limit.redisNamespace } : {}),
  });
  const limiter = (options: Parameters<typeof fastify.createRateLimit>[0]) => {
    const shared = fastify.createRateLimit(options);
    return store ? withLocalFallback(store, shared, { timeWindow: limit.timeWindowMs, ...options }) : shared;
  };
  const byAddress = limiter({
    max: limit.unverifiedPerAddress,
    // One IPv6 /64 is one address here, as in @fastify/rate-limit's own default key.
    keyGenerator: (request) => `address:${normalizeIP(request.ip)}`,
    allowList: (request) => verifier.isKnown(authorizationOf(request as RequestWithPrincipal)),
  });
  const requestsByAgency = limiter({
    max: limit.requestsPerAgency,
    keyGenerator: (request) => `agency:${(request as RequestWithPrincipal).principal?.agency.code}`,
  });
  const local = memoryCounter();
  const shared = store && redisCounter(store.redis, `${limit.redisNamespace}events:`);
  const eventsByAgency: WeightedCounter = store && shared ? (...count) => store.count(() => shared(...count), () => local(...count)) : local;

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    refuseIfExceeded(await byAddress(request), reply, 'from this address with tokens not yet verified');
    const principal = await authenticate(verifier, request as RequestWithPrincipal);
    // A refused token is answered 401 by the guard; only verified agencies have a count of their own.
    if (principal) refuseIfExceeded(await requestsByAgency(request), reply, `from ${principal.agency.code}`);
  });

  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = (request as RequestWithPrincipal).principal;
    if (!principal || request.method !== 'POST') return;
    const verdict = await eventsByAgency(principal.agency.code, eventCount(request.body), limit.timeWindowMs);
    if (verdict.current <= limit.eventsPerAgency) return;
    const seconds = Math.max(1, Math.ceil(verdict.ttlMs / 1000));
    void reply.header('retry-after', String(seconds));
    throw new IntakeProblem(
      429,
      'RATE_LIMITED',
      `Too many events from ${principal.agency.code}: at most ${limit.eventsPerAgency} every ${limit.timeWindowMs / 1000} seconds (a batch counts each of its events). Send again in ${seconds} seconds.`,
      undefined,
      seconds,
    );
  });
}

type Verdict = { isAllowed: boolean; isExceeded?: boolean; max?: number; timeWindow?: number; ttlInSeconds?: number };

function refuseIfExceeded(verdict: Verdict, reply: FastifyReply, what: string): void {
  if (verdict.isAllowed || !verdict.isExceeded) return;
  const seconds = Math.max(1, verdict.ttlInSeconds ?? 1);
  void reply.header('retry-after', String(seconds));
  throw new IntakeProblem(
    429,
    'RATE_LIMITED',
    `Too many requests ${what}: at most ${verdict.max} every ${Math.round((verdict.timeWindow ?? 0) / 1000)} seconds. Send again in ${seconds} seconds.`,
    undefined,
    seconds,
  );
}

/** A batch counts its events (a batch over the maximum is refused whole, and counts one). */
function eventCount(body: unknown): number {
  const events = (body as { events?: unknown } | null)?.events;
  return Array.isArray(events) && events.length > 0 && events.length <= MAX_BATCH_SIZE ? events.length : 1;
}

type WeightedCounter = (key: string, weight: number, windowMs: number) => Promise<{ current: number; ttlMs: number }>;

/** Fixed windows, per instance; one entry per agency, so it stays small. */
function memoryCounter(now: () => number = Date.now): WeightedCounter {
  const windows = new Map<string, { current: number; endsAt: number }>();
  return async (key, weight, windowMs) => {
    const at = now();
    let window = windows.get(key);
    if (!window || window.endsAt <= at) {
      window = { current: 0, endsAt: at + windowMs };
      windows.set(key, window);
    }
    window.current += weight;
    return { current: window.current, ttlMs: window.endsAt - at };
  };
}

/** The same fixed window in Redis, atomic across instances: the first increment starts it. */
function redisCounter(redis: Redis, prefix: string): WeightedCounter {
  const script = `
    local current = redis.call('INCRBY', KEYS[1], ARGV[1])
    if current == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
    return {current, redis.call('PTTL', KEYS[1])}`;
  return async (key, weight, windowMs) => {
    const [current, ttlMs] = (await redis.eval(script, 1, `${prefix}${key}`, weight, windowMs)) as [number, number];
    return { current, ttlMs };
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
