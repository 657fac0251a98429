import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

/** Runs the status API's real entry point with only `env`; resolves with its exit code and output. */
function runStatusApi(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['tools/run-ts.mjs', 'apps/status-api/src/main.ts'], {
      cwd: root,
      env: { PATH: process.env['PATH'], STATUS_PORT: '0', OPS_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the status API in production', () => {
  it('refuses to start without FEEDBACK_SECRET, and with a weak one, naming the variable and not echoing the value', async () => {
    const missing = await runStatusApi({ NODE_ENV: 'production' });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('FEEDBACK_SECRET is not set, and NODE_ENV is production');
    expect(missing.output).not.toContain('listening');

    const weak = await runStatusApi({ NODE_ENV: 'production', FEEDBACK_SECRET: 'hunter2-hunter2' });
    expect(weak.code).toBe(1);
    expect(weak.output).toContain('FEEDBACK_SECRET is too short (15 bytes)');
    expect(weak.output).not.toContain('hunter2');
  }, 60_000);
});
