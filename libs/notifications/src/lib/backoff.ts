export interface RetryPolicy {
  /** Attempts in all, the first one included; after the last failure the delivery is dead-lettered. */
  maxAttempts: number;
  /** Delay after the first failed attempt. */
  baseDelayMs: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
  /**
   * Fraction of each delay that is randomised (0 = none, 1 = "full jitter"), so endpoints that
   * failed together are not retried in lockstep.
   */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 60 * 60_000, jitter: 0.2 };

export function assertRetryPolicy(policy: RetryPolicy): void {
  const { maxAttempts, baseDelayMs, maxDelayMs, jitter } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`retry maxAttempts must be an integer >= 1, not ${maxAttempts}`);
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) throw new RangeError(`retry baseDelayMs must be a number >= 0, not ${baseDelayMs}`);
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) throw new RangeError(`retry maxDelayMs must be >= baseDelayMs (${baseDelayMs}), not ${maxDelayMs}`);
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`retry jitter must be between 0 and 1, not ${jitter}`);
}

/**
 * How long to wait after failed attempt number `attempt` (1-based): base * 2^(attempt-1),
 * capped at maxDelayMs, then the jittered fraction drawn uniformly below that.
 */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be an integer >= 1, not ${attempt}`);
  // 2^(attempt-1) overflows to Infinity for very large attempts; Math.min still caps it.
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = exponential * policy.jitter;
  return Math.round(exponential - jittered + jittered * random());
}
