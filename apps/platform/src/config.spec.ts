import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlatformConfig } from './config';

describe('platform configuration: the feedback secret', () => {
  const dir = mkdtempSync(join(tmpdir(), 'platform-config-'));
  const keysFile = join(dir, 'keys.json');
  writeFileSync(keysFile, '{}');
  const env = (more: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ INTAKE_AGENCY_KEYS_FILE: keysFile, ...more });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the development secret when none is set outside production', () => {
    expect(loadPlatformConfig(env({})).feedbackSecret).toBeUndefined();
  });

  it('refuses to start in production without a FEEDBACK_SECRET of at least 32 bytes, naming it', () => {
    expect(() => loadPlatformConfig(env({ NODE_ENV: 'production' }))).toThrow(/^FEEDBACK_SECRET is not set, and NODE_ENV is production/);
    expect(() => loadPlatformConfig(env({ NODE_ENV: 'production', FEEDBACK_SECRET: 'too-short' }))).toThrow(/^FEEDBACK_SECRET is too short \(9 bytes\)/);
    expect(loadPlatformConfig(env({ NODE_ENV: 'production', FEEDBACK_SECRET: 's'.repeat(40) })).feedbackSecret).toBe('s'.repeat(40));
  });
});
