import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const workspaceRoot = join(__dirname, '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with everything printed once `pattern` appears; rejects if the process ends first. */
function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) resolve(output);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`npm start ended (exit ${code}) before printing ${pattern}:\n${output}`)));
  });
}

/** True once nothing answers on the port any more (the platform stops in well under a second). */
async function refusedWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** `npm start` exactly as the README says, in a data directory of its own. */
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  let child: ChildProcess;

  afterAll(() => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a token and the example requests, serves both APIs, and stops cleanly on Ctrl-C', async () => {
    const [intakePort, statusPort] = [await freePort(), await freePort()];
    child = spawn('npm', ['start'], {
      cwd: workspaceRoot,
      env: { ...process.env, CASE_STATUS_DATA_DIR: dataDir, INTAKE_PORT: String(intakePort), STATUS_PORT: String(statusPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the test can press Ctrl-C the way a terminal does: to the group.
      detached: true,
    });
    const output = await waitForOutput(child, /ready in \d+ ms/);

    const token = /export TOKEN=(\S+)/.exec(output)?.[1];
    const receipt = /\/v1\/cases\/(IOE\d{10})\/events/.exec(output)?.[1];
    expect(token).toBeDefined();
    expect(receipt).toBeDefined();

    const recorded = await fetch(`http://127.0.0.1:${intakePort}/v1/cases/${receipt}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ eventId: crypto.randomUUID(), type: 'CaseReceived', occurredAt: '2026-11-24T09:00:00Z', data: { formType: 'I-130', office: 'NBC' } }),
    });
    expect(recorded.status).toBe(201);

    let statusCode: unknown = null;
    for (let attempt = 0; attempt < 100 && statusCode === null; attempt++) {
      const answer = await fetch(`http://127.0.0.1:${statusPort}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ caseStatus(receiptNumber: "${receipt}") { statusCode } }` }),
      });
      statusCode = ((await answer.json()) as { data?: { caseStatus?: { statusCode: string } | null } }).data?.caseStatus?.statusCode ?? null;
      if (statusCode === null) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(statusCode).toBe('CASE_RECEIVED');

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    process.kill(-(child.pid as number), 'SIGINT');
    // npm itself ends by re-raising the interrupt; what matters is that everything it started stopped.
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(await exited);
    for (const port of [intakePort, statusPort]) expect(await refusedWithin(port, 10_000)).toBe(true);
  }, 90_000);
});
