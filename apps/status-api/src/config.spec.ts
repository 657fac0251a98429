import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';

describe('status API configuration', () => {
  it('turns notifications off without SMTP_URL, and limits subscribe requests to 10 per hour by default', () => {
    const config = loadConfig({});
    expect(config.notifications).toBeNull();
    expect(config.subscribeRateLimit).toEqual({ max: 10, timeWindow: 3_600_000 });
  });

  it('turns notifications on with SMTP_URL, with links pointing at the notifier by default', () => {
    expect(loadConfig({ SMTP_URL: 'smtp://mail.example.gov:587', HOST: '0.0.0.0' }).notifications).toEqual({
      schema: 'notifications',
      email: { smtpUrl: 'smtp://mail.example.gov:587', from: 'Case Status <no-reply@case-status.example>' },
      publicBaseUrl: 'http://0.0.0.0:3004',
      allowInsecureWebhooks: false,
    });
    const custom = loadConfig({
      SMTP_URL: 'smtps://u:p@mail.example.gov',
      SMTP_FROM: 'USCIS <no-reply@uscis.example>',
      NOTIFICATIONS_SCHEMA: 'notif',
      PUBLIC_BASE_URL: 'https://status.example.gov',
      WEBHOOK_ALLOW_INSECURE: 'true',
      STATUS_SUBSCRIBE_LIMIT_PER_HOUR: '3',
    });
    expect(custom.notifications).toEqual({
      schema: 'notif',
      email: { smtpUrl: 'smtps://u:p@mail.example.gov', from: 'USCIS <no-reply@uscis.example>' },
      publicBaseUrl: 'https://status.example.gov',
      allowInsecureWebhooks: true,
    });
    expect(custom.subscribeRateLimit.max).toBe(3);
  });

  it.each([
    [{ SMTP_URL: 'mail.example.gov:25' }, 'SMTP_URL must start with smtp:// or smtps://'],
    [{ SMTP_URL: 'smtp://mail.example.gov', PUBLIC_BASE_URL: 'status.example.gov' }, 'PUBLIC_BASE_URL is not an absolute URL: "status.example.gov"'],
    [{ STATUS_SUBSCRIBE_LIMIT_PER_HOUR: '0' }, 'STATUS_SUBSCRIBE_LIMIT_PER_HOUR must be a whole number from 1 to 1000000, not "0"'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('appends survey answers to the PostgreSQL event store with a development secret unless told otherwise', () => {
    expect(loadConfig({}).feedback).toEqual({ eventStore: { kind: 'postgres', schema: 'event_store' }, schema: 'feedback', secret: expect.any(String), developmentSecret: true });
    const custom = loadConfig({ FEEDBACK_SECRET: 's3cret', FEEDBACK_SCHEMA: 'cx', EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://es:2113?tls=false' }).feedback;
    expect(custom).toEqual({ eventStore: { kind: 'eventstoredb', url: 'esdb://es:2113?tls=false' }, schema: 'cx', secret: 's3cret', developmentSecret: false });
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow('EVENTSTORE_URL is not set, and EVENT_STORE is "eventstoredb"');
    expect(() => loadConfig({ EVENT_STORE: 'mongo' })).toThrow('EVENT_STORE must be "postgres" or "eventstoredb", not "mongo"');
  });

  it('refuses a caseworker key file whose key URL is not https, naming the file, the agency and the setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caseworker-keys-'));
    try {
      const file = join(dir, 'keys.json');
      writeFileSync(file, JSON.stringify({ VBA: { issuers: ['https://login.vba.example'], jwksUri: 'http://login.vba.example/jwks.json' } }));
      expect(() => loadConfig({ CASEWORKER_KEYS_FILE: file })).toThrow(/^CASEWORKER_KEYS_FILE \(.*\): agency keys: VBA\.jwksUri must be an https:\/\/ URL/);
      writeFileSync(file, JSON.stringify({ VBA: { issuers: ['https://login.vba.example'], jwksUri: 'https://login.vba.example/jwks.json' } }));
      expect(loadConfig({ CASEWORKER_KEYS_FILE: file }).caseworkerKeys).toEqual({ VBA: { issuers: ['https://login.vba.example'], jwksUri: 'https://login.vba.example/jwks.json' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
