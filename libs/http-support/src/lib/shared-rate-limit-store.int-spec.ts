import { startRedisServer, type TestRedisServer } from '../testing';
import { SharedRateLimitStore } from './shared-rate-limit-store';

/** On a Redis server of this test's own, which it stops (never the shared one). */
describe('SharedRateLimitStore', () => {
  let redis: TestRedisServer;
  const logs: string[] = [];
  const log = { log: (message: string) => logs.push(`log: ${message}`), warn: (message: string) => logs.push(`warn: ${message}`) };
  const shared = (store: SharedRateLimitStore) => async () => `shared ${await store.redis.incr('count')}`;
  const local = async () => 'local';

  beforeEach(async () => {
    logs.length = 0;
    redis = await startRedisServer();
  });
  afterEach(() => redis.stop());

  it('counts in Redis while it answers, in this instance once it dies, and says so once', async () => {
    const store = new SharedRateLimitStore(redis.url, log);
    try {
      expect(await store.ready()).toBe(true);
      expect(await store.count(shared(store), local)).toBe('shared 1');
      await redis.stop();
      const after = [];
      for (let i = 0; i < 3; i++) after.push(await store.count(shared(store), local));
      expect(after).toEqual(['local', 'local', 'local']);
      expect(logs).toEqual([expect.stringMatching(/^warn: the shared rate-limit store failed \(.+\): counting in this instance until it answers/)]);
    } finally {
      store.close();
    }
  });

  it('counts in this instance when Redis does not answer at start, and says so', async () => {
    const url = redis.url;
    await redis.stop();
    const store = new SharedRateLimitStore(url, log);
    try {
      expect(await store.ready(300)).toBe(false);
      expect(await store.count(shared(store), local)).toBe('local');
      expect(await store.count(shared(store), local)).toBe('local');
      expect(logs).toEqual(['warn: Redis does not answer: rate limits count in this instance until it does', expect.stringMatching(/^warn: the shared rate-limit store failed/)]);
    } finally {
      store.close();
    }
  });

  it('shares counts again once Redis answers again, and says so', async () => {
    const store = new SharedRateLimitStore(redis.url, log);
    try {
      await store.ready();
      await store.redis.set('count', '10');
      store.redis.disconnect(true);
      expect(await store.count(shared(store), local)).toBe('local');
      await new Promise((resolve) => store.redis.once('ready', resolve));
      expect(await store.count(shared(store), local)).toBe('shared 11');
      expect(logs).toEqual([expect.stringMatching(/^warn: the shared rate-limit store failed/), 'log: the shared rate-limit store answers again: counts are shared between instances again']);
    } finally {
      store.close();
    }
  });
});
