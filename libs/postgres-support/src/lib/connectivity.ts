import type { Pool } from 'pg';

/**
 * What a long-running part of a service says about itself, for the readiness endpoint: every
 * component that follows the database (projection runner, relay, notifier, change feed) answers
 * this one shape, so `/health/ready` only has to combine them.
 */
export interface ComponentHealth {
  /** It can do its work now. */
  ready: boolean;
  /** Whether its last use of PostgreSQL reached the server. */
  database: 'up' | 'down';
  /** Why it is not ready (plain words for operators: no connection strings, no personal data). */
  detail?: string;
  /** How far behind the event store it is, in ms, for the parts that follow it. */
  lagMs?: number;
  /** For the parts elected to run in one instance at a time (projector, relay): whether this one is the leader. */
  role?: 'active' | 'standby';
}

/**
 * Class 08 (connection exception), and the server going away or not yet taking connections:
 * 57P01 admin_shutdown (a fast restart), 57P02 crash_shutdown, 57P03 cannot_connect_now
 * (starting up or shutting down).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** node-postgres says these in words only, without a code. */
const TRANSIENT_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
];

/**
 * True when `error` says the database could not be reached or dropped the connection (a
 * restart, a failover, a network cut): worth backing off and trying again. False for
 * everything else (a bad query, a constraint, a projection's own bug), which must not be
 * retried forever.
 */
export function isTransientConnectionError(error: unknown, depth = 0): boolean {
  // Duck-typed, not `instanceof Error`: Node's socket errors may come from another realm.
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, errors, cause } = error as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_SQLSTATES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
  if (typeof message === 'string' && TRANSIENT_MESSAGES.some((text) => message.includes(text))) return true;
  // Node's connect to a name with several addresses fails with one error per address.
  if (Array.isArray(errors) && errors.some((inner) => isTransientConnectionError(inner, depth + 1))) return true;
  return isTransientConnectionError(cause, depth + 1);
}

export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseDelayMs: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
  /**
   * Fraction of each delay that is randomised (0 = none, 1 = "full jitter"), so instances that
   * failed together do not all come back in the same millisecond.
   */
  jitter: number;
}

/** Reconnecting to PostgreSQL: from 100 ms, doubling, at most 5 s, a fifth of it random. */
export const RECONNECT_BACKOFF: BackoffPolicy = { baseDelayMs: 100, maxDelayMs: 5_000, jitter: 0.2 };

/**
 * How long to wait after failure number `attempt` (1-based): base * 2^(attempt-1), capped at
 * maxDelayMs, then the jittered fraction drawn uniformly below that.
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, not ${attempt}`);
  // 2^(attempt-1) overflows to Infinity for very large attempts; Math.min still caps it.
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential * policy.jitter;
  return Math.round(exponential - jittered + jittered * random());
}

/**
 * Runs `operation`, and again after a backoff while it fails with an error `retriable` accepts,
 * up to `attempts` tries in all; the last error is thrown.
 */
export async function retrying<T>(operation: () => Promise<T>, options: { retriable: (error: unknown) => boolean; attempts: number; policy: BackoffPolicy }): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= options.attempts || !options.retriable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelayMs(attempt, options.policy)));
    }
  }
}

const guarded = new WeakSet<Pool>();
const ignoreClientError = () => undefined;

/**
 * A pool emits 'error' when one of its idle connections is dropped by the server (every one of
 * them, at a restart); with no listener that ends the process. Each component that is handed a
 * pool calls this, so the pool of a service survives whoever created it; the next query just
 * opens a new connection. `onError` hears of it once per pool (the first caller's).
 *
 * A connection checked out of the pool has no listener of the pool's, and `await pool.connect()`
 * hands it over a microtask after the pool let go of it: a server that ends the session (57P01
 * at a restart) in the same network read as the previous query's answer emits 'error' in that
 * gap, before any caller could listen. So every connection carries a listener of its own from
 * its first checkout on; the error is not lost by it: the connection stops taking queries, the
 * next query on it fails and says so, and the pool discards it when it is released.
 */
export function guardPool(pool: Pool, onError?: (error: Error) => void): Pool {
  if (guarded.has(pool)) return pool;
  guarded.add(pool);
  pool.on('error', (error) => onError?.(error));
  pool.on('connect', (client) => client.on('error', ignoreClientError));
  return pool;
}

/**
 * Whether the database is reachable, as one component saw it: `failed` on a connection error
 * (told once per outage through `onDown`), `succeeded` on the next use that reached it (told
 * through `onUp`, with how long it was away).
 */
export class DatabaseReachability {
  private downSince: number | undefined;
  private failures = 0;

  constructor(private readonly tell: { onDown?: (error: Error) => void; onUp?: (downForMs: number) => void } = {}) {}

  get state(): 'up' | 'down' {
    return this.downSince === undefined ? 'up' : 'down';
  }

  /** Failures in a row in this outage. */
  get attempts(): number {
    return this.failures;
  }

  /** Records a failure; returns the delay to wait before the next attempt. */
  failed(error: Error, policy: BackoffPolicy = RECONNECT_BACKOFF): number {
    this.failures++;
    if (this.downSince === undefined) {
      this.downSince = Date.now();
      this.tell.onDown?.(error);
    }
    return backoffDelayMs(this.failures, policy);
  }

  succeeded(): void {
    if (this.downSince === undefined) return;
    const downFor = Date.now() - this.downSince;
    this.downSince = undefined;
    this.failures = 0;
    this.tell.onUp?.(downFor);
  }
}
