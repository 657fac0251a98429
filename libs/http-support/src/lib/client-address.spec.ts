import { fastifyTrustProxy, parseForwardingKey, parseTrustProxy } from './client-address';

describe('parseTrustProxy', () => {
  it('believes no proxy when unset, empty, false or 0', () => {
    for (const text of [undefined, '', ' ', 'false', '0']) expect(parseTrustProxy(text)).toBe(false);
  });

  it('takes a number of proxies in front, up to 10', () => {
    expect(parseTrustProxy('2')).toBe(2);
    expect(() => parseTrustProxy('11')).toThrow('TRUST_PROXY must be a number of proxies from 0 to 10, not "11"');
  });

  it('takes addresses, CIDRs and Fastify range names, trimmed', () => {
    expect(parseTrustProxy('10.0.0.5, 10.1.0.0/16,::1,fd00::/8,loopback')).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
  });

  it('refuses true, which would let every client choose its own address', () => {
    expect(() => parseTrustProxy('true')).toThrow(/TRUST_PROXY=true would believe any client's X-Forwarded-For/);
  });

  it.each([
    ['10.0.0.5,proxy.internal', 'proxy.internal'],
    ['10.0.0.0/33', '10.0.0.0/33'],
    ['::1/129', '::1/129'],
    ['10.0.0.0/8/1', '10.0.0.0/8/1'],
    ['10.0.0.5,', ''],
  ])('refuses %j, naming the entry', (text, wrong) => {
    expect(() => parseTrustProxy(text)).toThrow(`TRUST_PROXY must be a number of proxies or a comma-separated list of addresses or CIDRs, not "${wrong}"`);
  });

  it('names the variable it was given', () => {
    expect(() => parseTrustProxy('true', 'WEB_TRUST_PROXY')).toThrow(/^WEB_TRUST_PROXY=true/);
  });
});

describe('parseForwardingKey', () => {
  it('is absent when unset or empty', () => {
    expect(parseForwardingKey(undefined)).toBeUndefined();
    expect(parseForwardingKey('')).toBeUndefined();
  });

  it('takes a key of 32 characters or more, and refuses a shorter one without repeating it', () => {
    const key = 'k'.repeat(32);
    expect(parseForwardingKey(key)).toBe(key);
    expect(() => parseForwardingKey('secret-but-short')).toThrow('FORWARDING_KEY must be at least 32 characters long (it has 16); e.g. openssl rand -base64 32');
    expect(() => parseForwardingKey('secret-but-short')).not.toThrow(/secret-but-short/);
  });
});

describe('fastifyTrustProxy', () => {
  it('believes the nearest hops for a count, the given addresses for a list, and nobody by default', () => {
    const two = fastifyTrustProxy(2) as (address: string, hop: number) => boolean;
    expect([0, 1, 2].map((hop) => two('10.0.0.1', hop))).toEqual([true, true, false]);
    expect(fastifyTrustProxy(['10.0.0.5'])).toEqual(['10.0.0.5']);
    expect(fastifyTrustProxy(false)).toBe(false);
    expect(fastifyTrustProxy(undefined)).toBe(false);
  });
});
