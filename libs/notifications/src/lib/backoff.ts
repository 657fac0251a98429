import type { BackoffPolicy } from '@case-status/postgres-support';

/** The delays between attempts are `backoffDelayMs` of @case-status/postgres-support, the one backoff of the platform. */
export { backoffDelayMs } from '@case-status/postgres-support';

export interface RetryPolicy extends BackoffPolicy {
  /** Attempts in all, the first one included; after the last failure the delivery is dead-lettered. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 5_000, maxDelayMs: 60 * 60_000, jitter: 0.2 };

export function assertRetryPolicy(policy: RetryPolicy): void {
  const { maxAttempts, baseDelayMs, maxDelayMs, jitter } = policy;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`retry maxAttempts must be an integer >= 1, not ${maxAttempts}`);
  if (!Number.isFinite(baseDelayMs) || baseDelayMs < 0) throw new RangeError(`retry baseDelayMs must be a number >= 0, not ${baseDelayMs}`);
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < baseDelayMs) throw new RangeError(`retry maxDelayMs must be >= baseDelayMs (${baseDelayMs}), not ${maxDelayMs}`);
  if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`retry jitter must be between 0 and 1, not ${jitter}`);
}
