import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from './config';

describe('platform configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'platform-config-'));
  const keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, '{}');
  const env = (more: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ INTAKE_AGENCY_KEYS_FILE: keysFile, ...more });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the development secret when none is set outside production', () => {
    expect(loadPlatformConfig(env({})).feedbackSecret).toBeUndefined();
  });

  it('refuses to start in production without a FEEDBACK_SECRET of at least 32 bytes, naming it', () => {
    // Production needs the notifications key too; it is given here so the feedback secret is what is judged.
    const production = { NODE_ENV: 'production', NOTIFICATIONS_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    expect(() => loadPlatformConfig(env(production))).toThrow(/^FEEDBACK_SECRET is not set, and NODE_ENV is production/);
    expect(() => loadPlatformConfig(env({ ...production, FEEDBACK_SECRET: 'too-short' }))).toThrow(/^FEEDBACK_SECRET is too short \(9 bytes\)/);
    expect(loadPlatformConfig(env({ ...production, FEEDBACK_SECRET: 's'.repeat(40) })).feedbackSecret).toBe('s'.repeat(40));
  });

  it('ignores KAFKA_SSL=false, empty settings and variables it does not read when KAFKA_BROKERS is not set', () => {
    expect(loadPlatformConfig(env({ KAFKA_SSL: 'false', KAFKA_SASL_MECHANISM: '', KAFKA_SASL_SSL_ENV_FILE: '/tmp/sasl-ssl.env' })).kafka).toBeUndefined();
  });

  it('refuses a TLS or SASL setting that would be silently unused without KAFKA_BROKERS, naming it', () => {
    expect(() => loadPlatformConfig(env({ KAFKA_SSL: 'true' }))).toThrow('KAFKA_SSL is set but KAFKA_BROKERS is not');
    expect(() => loadPlatformConfig(env({ KAFKA_SASL_MECHANISM: 'scram-sha-256' }))).toThrow('KAFKA_SASL_MECHANISM is set but KAFKA_BROKERS is not');
  });
});
