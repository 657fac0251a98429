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
    ['STATUS_API_URL', 'localhost:3002', /^STATUS_API_URL must be a URL starting with http:\/\/ or https:\/\/, e.g. http:\/\/127.0.0.1:3002, not "localhost:3002"$/],
    ['PORT', '70000', /^PORT must be a port number from 0 to 65535, not "70000"$/],
    ['TIME_ZONE', 'Mars/Olympus', /TIME_ZONE is not a time zone/],
  ])('refuses %s=%s with the reason', (name, value, reason) => {
    expect(() => loadConfig({ [name]: value })).toThrow(reason);
  });
  it('reads TRUST_PROXY and FORWARDING_KEY through the shared parsers (tested in libs/http-support): none by default, true refused', () => {
    expect(loadConfig({})).toMatchObject({ trustProxy: false, forwardingKey: undefined });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5,10.1.0.0/16', FORWARDING_KEY: 'k'.repeat(32) })).toMatchObject({ trustProxy: ['10.0.0.5', '10.1.0.0/16'], forwardingKey: 'k'.repeat(32) });
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/^TRUST_PROXY=true would believe any client/);
    expect(() => loadConfig({ FORWARDING_KEY: 'secret-but-short' })).toThrow(/^FORWARDING_KEY must be at least 32 characters long/);
  });
});
