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
      safeguards: expect.objectContaining({ developmentKey: true, maxWebhooksPerOwner: 25, allowInsecureWebhooks: false }),
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
      safeguards: expect.objectContaining({ allowInsecureWebhooks: true }),
    });
    expect(custom.subscribeRateLimit.max).toBe(3);
  });

  it.each([
    [{ SMTP_URL: 'mail.example.gov:25' }, 'SMTP_URL must be a URL starting with smtp:// or smtps://, e.g. smtp://user:password@mail.example.gov:587, not "mail.example.gov:25"'],
    [{ SMTP_URL: 'smtp://mail.example.gov', PUBLIC_BASE_URL: 'status.example.gov' }, 'PUBLIC_BASE_URL must be a URL starting with http:// or https://, e.g. https://status.example.gov, not "status.example.gov"'],
    [{ STATUS_SUBSCRIBE_LIMIT_PER_HOUR: '0' }, 'STATUS_SUBSCRIBE_LIMIT_PER_HOUR must be a whole number from 1 to 1000000, not "0"'],
    [{ SMTP_URL: 'smtp://mail.example.gov', NODE_ENV: 'production', FEEDBACK_SECRET: 'f'.repeat(32) }, 'NOTIFICATIONS_ENCRYPTION_KEY is not set'],
  ])('refuses %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads case streams for caseworkers from the store EVENT_STORE names', () => {
    expect(loadConfig({}).eventStore).toEqual({ kind: 'postgres', schema: 'event_store' });
    expect(loadConfig({ EVENT_STORE_SCHEMA: 'events' }).eventStore).toEqual({ kind: 'postgres', schema: 'events' });
    expect(loadConfig({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://es:2113?tls=false' }).eventStore).toEqual({ kind: 'eventstoredb', url: 'esdb://es:2113?tls=false' });
  });

  it('appends survey answers to the PostgreSQL event store with a development secret unless told otherwise', () => {
    expect(loadConfig({}).feedback).toEqual({ eventStore: { kind: 'postgres', schema: 'event_store' }, schema: 'feedback', secret: expect.any(String), developmentSecret: true });
    const custom = loadConfig({ FEEDBACK_SECRET: 's3cret', FEEDBACK_SCHEMA: 'cx', EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://es:2113?tls=false' }).feedback;
    expect(custom).toEqual({ eventStore: { kind: 'eventstoredb', url: 'esdb://es:2113?tls=false' }, schema: 'cx', secret: 's3cret', developmentSecret: false });
    expect(() => loadConfig({ EVENT_STORE: 'eventstoredb' })).toThrow('EVENTSTORE_URL is not set, and EVENT_STORE is "eventstoredb"');
    expect(() => loadConfig({ EVENT_STORE: 'mongo' })).toThrow('EVENT_STORE must be "postgres" or "eventstoredb", not "mongo"');
  });

  it('refuses to start in production without a FEEDBACK_SECRET of at least 32 bytes, naming it and not echoing it', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/^FEEDBACK_SECRET is not set, and NODE_ENV is production/);
    expect(() => loadConfig({ NODE_ENV: 'production', FEEDBACK_SECRET: 'short-secret' })).toThrow(/^FEEDBACK_SECRET is too short \(12 bytes\)/);
    expect(() => loadConfig({ NODE_ENV: 'production', FEEDBACK_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    const strong = 'x'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', FEEDBACK_SECRET: strong }).feedback).toMatchObject({ secret: strong, developmentSecret: false });
  });

  it('turns "My cases" on with the website\'s public assertion keys, and refuses a private key or a set without keys', () => {
    expect(loadConfig({}).myCases).toBeNull();
    const jwks = JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'assertions-1' }] });
    expect(loadConfig({ PERSON_ASSERTION_PUBLIC_KEYS: jwks }).myCases).toMatchObject({ assertionKeys: { keys: [{ kid: 'assertions-1' }] }, linksSchema: 'case_links', attemptsSchema: 'access_codes', helperGrantsSchema: 'helper_grants' });
    expect(() => loadConfig({ PERSON_ASSERTION_PUBLIC_KEYS: JSON.stringify({ keys: [{ kty: 'EC', kid: 'k', d: 'private' }] }) })).toThrow(/holds a private key/);
    expect(() => loadConfig({ PERSON_ASSERTION_PUBLIC_KEYS: '{"keys":[]}' })).toThrow(/at least one key/);
    expect(() => loadConfig({ PERSON_ASSERTION_PUBLIC_KEYS: 'not json' })).toThrow(/must be a JWKS in JSON/);
  });

  it('serves GraphiQL outside production only, unless GRAPHIQL says otherwise', () => {
    const strong = { FEEDBACK_SECRET: 'x'.repeat(32) };
    expect(loadConfig({}).graphiql).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', ...strong }).graphiql).toBe(false);
    expect(loadConfig({ GRAPHIQL: 'off' }).graphiql).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', GRAPHIQL: 'on', ...strong }).graphiql).toBe(true);
    expect(() => loadConfig({ GRAPHIQL: 'yes' })).toThrow('GRAPHIQL must be "on" or "off", not "yes"');
    expect(() => loadConfig({ GRAPHIQL: 'yes', STATUS_PORT: '99999' })).toThrow(/^2 settings are wrong:\n {2}- STATUS_PORT must be a port number .*\n {2}- GRAPHIQL must be "on" or "off", not "yes"$/);
  });

  it('reads TRUST_PROXY and FORWARDING_KEY through the shared parsers (tested in libs/http-support): none by default, true refused', () => {
    expect(loadConfig({})).toMatchObject({ trustProxy: false, forwardingKey: undefined, representativesSchema: 'representatives', accessAuditSchema: 'access_audit' });
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5,10.1.0.0/16', FORWARDING_KEY: 'k'.repeat(32) })).toMatchObject({ trustProxy: ['10.0.0.5', '10.1.0.0/16'], forwardingKey: 'k'.repeat(32) });
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/^TRUST_PROXY=true would believe any client/);
    expect(() => loadConfig({ FORWARDING_KEY: 'secret-but-short' })).toThrow(/^FORWARDING_KEY must be at least 32 characters long/);
  });

  it('keeps rate-limit counts in memory without REDIS_URL, and takes a redis:// URL', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow('REDIS_URL must be a URL starting with redis:// or rediss://, e.g. redis://127.0.0.1:6379, not "http://127.0.0.1:6379"');
  });

  it('reads lookups from the primary unless READ_REPLICA_URL names a standby, ready while at most READ_REPLICA_MAX_LAG_MS behind (30 s by default)', () => {
    expect(loadConfig({}).readReplica).toBeNull();
    expect(loadConfig({ READ_REPLICA_URL: 'postgres://reader:pw@standby:5432/case_status' }).readReplica).toEqual({ url: 'postgres://reader:pw@standby:5432/case_status', maxLagMs: 30_000 });
    expect(loadConfig({ READ_REPLICA_URL: 'postgres://standby/case_status', READ_REPLICA_MAX_LAG_MS: '5000' }).readReplica).toEqual({ url: 'postgres://standby/case_status', maxLagMs: 5_000 });
    expect(() => loadConfig({ READ_REPLICA_URL: 'mysql://reader:pw@standby/case_status' })).toThrow(/^READ_REPLICA_URL must be a URL starting with postgres:\/\/ or postgresql:\/\/.*not "mysql:\/\/…@standby\/case_status"/);
    expect(() => loadConfig({ READ_REPLICA_URL: 'postgres://standby/case_status', READ_REPLICA_MAX_LAG_MS: '10' })).toThrow(/READ_REPLICA_MAX_LAG_MS/);
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
