import { backoffDelayMs, isTransientConnectionError, RECONNECT_BACKOFF, retrying } from './connectivity';

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('isTransientConnectionError', () => {
  it.each([
    ['a fast restart', withCode('57P01', 'terminating connection due to administrator command')],
    ['a crash shutdown', withCode('57P02')],
    ['a server starting up or shutting down', withCode('57P03', 'the database system is shutting down')],
    ['a connection exception (class 08)', withCode('08006')],
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a reset connection', withCode('ECONNRESET')],
    ['a connection ended under a query', new Error('Connection terminated unexpectedly')],
    ['a client that lost its connection', new Error('Client has encountered a connection error and is not queryable')],
    ['every address of a name refused', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed')],
    ['a wrapped one', new Error('query failed', { cause: withCode('57P01') })],
    ['one from another realm (not an Error instance)', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }],
  ])('is true for %s', (_, error) => expect(isTransientConnectionError(error)).toBe(true));

  it.each([
    ['a syntax error', withCode('42601')],
    ['a unique violation', withCode('23505')],
    ['a missing table', withCode('42P01')],
    ['a wrong password', withCode('28P01')],
    ['a plain bug', new TypeError('cannot read properties of undefined')],
    ['a string', 'ECONNREFUSED'],
    ['nothing', undefined],
  ])('is false for %s', (_, error) => expect(isTransientConnectionError(error)).toBe(false));
});

describe('backoffDelayMs for reconnecting', () => {
  it('doubles from 100 ms, stays within 5 s, and draws a fifth of each delay at random', () => {
    expect([1, 2, 3].map((n) => backoffDelayMs(n, RECONNECT_BACKOFF, () => 1))).toEqual([100, 200, 400]);
    expect(backoffDelayMs(50, RECONNECT_BACKOFF, () => 1)).toBe(5_000);
    expect(backoffDelayMs(50, RECONNECT_BACKOFF, () => 0)).toBe(4_000);
  });
});

describe('retrying', () => {
  const policy = { baseDelayMs: 1, maxDelayMs: 1, jitter: 0 };
  const failing = (failures: number, error: Error) => {
    let calls = 0;
    const operation = async () => {
      calls++;
      if (calls <= failures) throw error;
      return calls;
    };
    return { operation, calls: () => calls };
  };

  it('tries again while the error is retriable, and answers what the operation answered', async () => {
    const subject = failing(2, new Error('loading'));
    await expect(retrying(subject.operation, { retriable: () => true, attempts: 5, policy })).resolves.toBe(3);
    expect(subject.calls()).toBe(3);
  });

  it('throws an error that is not retriable at once', async () => {
    const subject = failing(5, new Error('refused'));
    await expect(retrying(subject.operation, { retriable: (error) => (error as Error).message === 'loading', attempts: 5, policy })).rejects.toThrow('refused');
    expect(subject.calls()).toBe(1);
  });

  it('gives up after the attempts allowed, with the last error', async () => {
    const subject = failing(10, new Error('loading'));
    await expect(retrying(subject.operation, { retriable: () => true, attempts: 3, policy })).rejects.toThrow('loading');
    expect(subject.calls()).toBe(3);
  });
});
