import { assertRetryPolicy, backoffDelayMs, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };

describe('backoffDelayMs', () => {
  it('doubles from the base after each failed attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, policy))).toEqual([100, 200, 400, 800]);
  });

  it('never exceeds the maximum, even for attempts whose power of two overflows', () => {
    expect(backoffDelayMs(5, policy)).toBe(1000);
    expect(backoffDelayMs(2000, policy)).toBe(1000);
  });

  it('draws the jittered fraction below the exponential delay', () => {
    const jittered = { ...policy, jitter: 0.5 };
    expect(backoffDelayMs(3, jittered, () => 0)).toBe(200);
    expect(backoffDelayMs(3, jittered, () => 0.5)).toBe(300);
    expect(backoffDelayMs(3, jittered, () => 0.999999)).toBe(400);
  });

  it('refuses attempt numbers below 1', () => {
    expect(() => backoffDelayMs(0, policy)).toThrow('attempt must be an integer >= 1, not 0');
    expect(() => backoffDelayMs(1.5, policy)).toThrow('attempt must be an integer >= 1');
  });
});

describe('assertRetryPolicy', () => {
  it('accepts the default', () => {
    expect(() => assertRetryPolicy(DEFAULT_RETRY_POLICY)).not.toThrow();
  });

  it.each([
    [{ maxAttempts: 0 }, 'maxAttempts must be an integer >= 1, not 0'],
    [{ baseDelayMs: -1 }, 'baseDelayMs must be a number >= 0'],
    [{ maxDelayMs: 50 }, 'maxDelayMs must be >= baseDelayMs (100), not 50'],
    [{ jitter: 1.5 }, 'jitter must be between 0 and 1, not 1.5'],
    [{ jitter: Number.NaN }, 'jitter must be between 0 and 1'],
  ])('refuses %j', (change, message) => {
    expect(() => assertRetryPolicy({ ...policy, ...change })).toThrow(message);
  });
});
