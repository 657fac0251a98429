import { loadConfig } from './config';

const base = { SMTP_URL: 'smtp://127.0.0.1:2525' };

describe('loadConfig', () => {
  it('has defaults for everything but the SMTP server', () => {
    expect(loadConfig(base)).toEqual({
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/case_status',
      schema: 'notifications',
      representativesSchema: 'representatives',
      kafka: { brokers: ['127.0.0.1:9092'], groupId: 'notifier', topic: 'case.status-changed.v1', sessionTimeoutMs: 10_000 },
      email: { smtpUrl: 'smtp://127.0.0.1:2525', from: 'Case Status <no-reply@case-status.example>' },
      publicBaseUrl: 'http://127.0.0.1:3004',
      surveyLinkSecret: null,
      host: '127.0.0.1',
      port: 3004,
      healthHost: '127.0.0.1',
      healthPort: 9466,
      retry: { maxAttempts: 8, baseDelayMs: 5000, maxDelayMs: 3_600_000, jitter: 0.2 },
      webhookTimeoutMs: 10_000,
      deliveryLeaseMs: undefined,
      safeguards: expect.objectContaining({ developmentKey: true, confirmationLimits: { perAddress: 3, perCase: 20, windowMinutes: 60 }, maxWebhooksPerOwner: 25, allowInsecureWebhooks: false }),
    });
  });

  it('writes email to an outbox directory when there is no SMTP server but OUTBOX_DIR is set', () => {
    expect(loadConfig({ OUTBOX_DIR: '/var/tmp/outbox' }).email).toEqual({ outboxDir: '/var/tmp/outbox', from: 'Case Status <no-reply@case-status.example>' });
    expect(() => loadConfig({})).toThrow(/SMTP_URL is not set.*OUTBOX_DIR/);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      ...base,
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      NOTIFICATIONS_SCHEMA: 'notify',
      PUBLIC_BASE_URL: 'https://status.example.gov',
      NOTIFY_RETRY_MAX_ATTEMPTS: '3',
      NOTIFY_RETRY_BASE_MS: '10',
      NOTIFY_RETRY_MAX_MS: '100',
      NOTIFY_RETRY_JITTER: '0',
      WEBHOOK_ALLOW_INSECURE: 'true',
    });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.schema).toBe('notify');
    expect(config.publicBaseUrl).toBe('https://status.example.gov');
    expect(config.retry).toEqual({ maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100, jitter: 0 });
    expect(config.safeguards.allowInsecureWebhooks).toBe(true);
  });

  it('keys survey links with FEEDBACK_SECRET when the website is known, and checks it as the status API does', () => {
    const website = { ...base, PUBLIC_BASE_URL: 'https://status.example.gov' };
    const key = { NODE_ENV: 'production', NOTIFICATIONS_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(loadConfig({ ...website, FEEDBACK_SECRET: 's'.repeat(40) }).surveyLinkSecret).toBe('s'.repeat(40));
    expect(loadConfig(website).surveyLinkSecret).toBe('case-status-development-feedback-secret');
    expect(loadConfig({ ...base, FEEDBACK_SECRET: 's'.repeat(40) }).surveyLinkSecret).toBeNull();
    expect(loadConfig({ ...website, ...key }).surveyLinkSecret).toBeNull();
    expect(() => loadConfig({ ...website, ...key, FEEDBACK_SECRET: 'short-secret' })).toThrow(/FEEDBACK_SECRET is too short \(12 bytes\)/);
    expect(() => loadConfig({ ...website, ...key, FEEDBACK_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });

  it('reads how long a silent instance keeps its partitions and its claimed deliveries', () => {
    const config = loadConfig({ ...base, NOTIFIER_SESSION_TIMEOUT_MS: '6000', WEBHOOK_TIMEOUT_MS: '1000', NOTIFY_LEASE_MS: '3000' });
    expect([config.kafka.sessionTimeoutMs, config.deliveryLeaseMs]).toEqual([6_000, 3_000]);
    expect(() => loadConfig({ ...base, NOTIFIER_SESSION_TIMEOUT_MS: '1000' })).toThrow('NOTIFIER_SESSION_TIMEOUT_MS');
    expect(() => loadConfig({ ...base, WEBHOOK_TIMEOUT_MS: '2000', NOTIFY_LEASE_MS: '4000' })).toThrow('NOTIFY_LEASE_MS (4000) must be more than twice WEBHOOK_TIMEOUT_MS (2000)');
  });

  it('refuses to start in production without the encryption key, or with insecure webhooks', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow('NOTIFICATIONS_ENCRYPTION_KEY is not set');
    const key = Buffer.alloc(32, 1).toString('base64');
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', NOTIFICATIONS_ENCRYPTION_KEY: key, WEBHOOK_ALLOW_INSECURE: 'true' })).toThrow('WEBHOOK_ALLOW_INSECURE=true is for development only');
    expect(loadConfig({ ...base, NODE_ENV: 'production', NOTIFICATIONS_ENCRYPTION_KEY: key }).safeguards.developmentKey).toBe(false);
  });

  it('reaches Kafka over TLS with SASL when told to', () => {
    const config = loadConfig({ ...base, KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'notifier', KAFKA_SASL_PASSWORD: 'pw' });
    expect(config.kafka).toMatchObject({ ssl: {}, sasl: { mechanism: 'scram-sha-512', username: 'notifier', password: 'pw' } });
  });

  it.each([
    [{ SMTP_URL: undefined }, 'SMTP_URL is not set'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL must be a URL starting with smtp:// or smtps://, e.g. smtp://user:password@mail.example.gov:587, not "http://mail"'],
    [{ NOTIFIER_PORT: 'x' }, 'NOTIFIER_PORT must be a port number from 0 to 65535, not "x"'],
    [{ PUBLIC_BASE_URL: 'status.example.gov' }, 'PUBLIC_BASE_URL must be a URL starting with http:// or https://, e.g. https://status.example.gov, not "status.example.gov"'],
    [{ NOTIFY_RETRY_BASE_MS: '500', NOTIFY_RETRY_MAX_MS: '100' }, 'NOTIFY_RETRY_*: retry maxDelayMs must be >= baseDelayMs (500), not 100'],
    [{ NOTIFY_RETRY_JITTER: '2' }, 'NOTIFY_RETRY_JITTER must be a number from 0 to 1, not "2"'],
    [{ NOTIFIER_PORT: 'x', NOTIFY_RETRY_MAX_ATTEMPTS: '0' }, '2 settings are wrong:\n  - NOTIFIER_PORT must be a port number from 0 to 65535, not "x"\n  - NOTIFY_RETRY_MAX_ATTEMPTS must be a whole number from 1 to 100, not "0"'],
    [{ KAFKA_BROKERS: ' , ' }, 'KAFKA_BROKERS is empty'],
    [{ NODE_ENV: 'production', KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'n', KAFKA_SASL_PASSWORD: 'pw' }, 'KAFKA_SASL_MECHANISM: plain sends the password'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});
