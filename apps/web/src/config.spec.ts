import { loadConfig } from './config';

describe('web configuration', () => {
  it('defaults to the status API on its usual port and the site on 3003', () => {
    expect(loadConfig({})).toMatchObject({ statusApiUrl: 'http://127.0.0.1:3002', port: 3003, host: '127.0.0.1', timeZone: 'America/New_York', trustProxy: false });
  });

  it('reads STATUS_API_URL, STATUS_API_PUBLIC_URL and PORT', () => {
    expect(loadConfig({ STATUS_API_URL: 'http://10.0.0.5:4000', STATUS_API_PUBLIC_URL: 'https://status.example.gov', PORT: '8080' })).toMatchObject({
      statusApiUrl: 'http://10.0.0.5:4000',
      publicStatusApiUrl: 'https://status.example.gov',
      port: 8080,
    });
  });

  it.each([
    ['STATUS_API_URL', 'localhost:3002', /STATUS_API_URL must be an http\(s\) URL/],
    ['PORT', '70000', /PORT must be a port number/],
    ['TIME_ZONE', 'Mars/Olympus', /TIME_ZONE is not a time zone/],
  ])('refuses %s=%s with the reason', (name, value, reason) => {
    expect(() => loadConfig({ [name]: value })).toThrow(reason);
  });
  describe('TRUST_PROXY and FORWARDING_KEY', () => {
    it('believes no proxy by default, and takes a number of proxies or their addresses and CIDRs', () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,::1,loopback' }).trustProxy).toEqual(['10.0.0.5', '10.1.0.0/16', '::1', 'loopback']);
    });

    it('refuses TRUST_PROXY=true, which would let every client choose its own address, and anything that is not an address', () => {
      expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=true would believe any .*number of proxies/);
      expect(() => loadConfig({ TRUST_PROXY: '10.0.0.5,proxy.internal' })).toThrow('TRUST_PROXY must be a number of proxies or a comma-separated list of addresses or CIDRs, not "proxy.internal"');
      expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/not "10.0.0.0\/33"/);
    });

    it('takes a FORWARDING_KEY of at least 32 characters and never repeats a short one', () => {
      const key = 'k'.repeat(32);
      expect(loadConfig({ FORWARDING_KEY: key }).forwardingKey).toBe(key);
      expect(loadConfig({}).forwardingKey).toBeUndefined();
      expect(() => loadConfig({ FORWARDING_KEY: 'secret-but-short' })).toThrow('FORWARDING_KEY must be at least 32 characters long (it has 16); e.g. openssl rand -base64 32');
    });
  });
});
