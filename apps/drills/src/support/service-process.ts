import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { HealthAnswer } from '@case-status/http-support';
import { freePort } from '@case-status/http-support/testing';
import { sleep } from './drill-kit';

const workspaceRoot = join(__dirname, '../../../..');

/**
 * One instance of a service, as an operator runs it: the app's entry point in a process of its
 * own (through tools/run-ts.mjs, in its own process group, so kill -9 reaches the node process
 * behind it), its operations server on `HEALTH_PORT`. Its output is kept for a failing drill
 * (DRILL_LOG=1 echoes it).
 */
export class ServiceProcess {
  private readonly lines: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly opsPort: number,
  ) {
    const echo = process.env['DRILL_LOG'] === '1';
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          this.lines.push(line);
          if (echo) console.log(`${name} | ${line}`);
        }
      });
    }
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
  }

  /** Starts `entry` (e.g. `apps/projector/src/main.ts`) with `env` over this process's environment. */
  static async start(name: string, entry: string, env: Record<string, string>): Promise<ServiceProcess> {
    const opsPort = await freePort();
    const child = spawn(process.execPath, ['tools/run-ts.mjs', entry], {
      cwd: workspaceRoot,
      detached: true,
      env: { ...process.env, ...env, HEALTH_PORT: String(opsPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new ServiceProcess(name, child, opsPort);
  }

  get output(): string {
    return this.lines.join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Its `/health/ready`: the status and the answer, or status 0 when it does not answer. */
  async readiness(): Promise<{ status: number; body?: HealthAnswer }> {
    try {
      const answer = await fetch(`http://127.0.0.1:${this.opsPort}/health/ready`, { signal: AbortSignal.timeout(2_000) });
      return { status: answer.status, body: (await answer.json()) as HealthAnswer };
    } catch {
      return { status: 0 };
    }
  }

  /** What its readiness check `check` says of its role: `active`, `standby`, or undefined while it does not answer. */
  async role(check: string): Promise<string | undefined> {
    const { body } = await this.readiness();
    const role = body?.details[check]?.['role'];
    return typeof role === 'string' ? role : undefined;
  }

  /** Its `/metrics` text. */
  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.opsPort}/metrics`)).text();
  }

  async waitReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.readiness()).status !== 200) {
      if (!this.running) throw new Error(`${this.name} ended before it was ready:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`${this.name} not ready within ${timeoutMs} ms:\n${this.output}`);
      await sleep(100);
    }
  }

  /** kill -9, as a crashed host or the OOM killer would: no shutdown of any kind. */
  async kill(): Promise<void> {
    if (this.running && this.child.pid) process.kill(-this.child.pid, 'SIGKILL');
    await this.exited;
  }

  /** SIGTERM (the service shuts down cleanly), then waits for it to end. */
  async stop(): Promise<void> {
    if (this.running && this.child.pid) process.kill(-this.child.pid, 'SIGTERM');
    await this.exited;
  }
}
