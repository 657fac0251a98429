import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { freePort } from '@case-status/http-support/testing';

const workspaceRoot = join(__dirname, '../../..');

/** The environment minus what would point the platform at servers instead of its embedded defaults. */
function withoutBackingServices(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const name of ['KAFKA_BROKERS', 'DATABASE_URL', 'EVENTSTORE_URL', 'SMTP_URL']) delete rest[name];
  return rest;
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

/**
 * `npm start` exactly as the README says, in a data directory of its own, with a small demo:
 * the simulated agencies seed a history, the printed examples are there, a live
 * subscription sees a change, email lands in the outbox, Ctrl-C stops everything and a
 * second start finds it all again without seeding anew.
 */
describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
  let child: ChildProcess | undefined;
  let ports: { intake: number; status: number; links: number; web: number; ops: number };

  const start = async (): Promise<{ process: ChildProcess; output: () => string }> => {
    const started = spawn('npm', ['start'], {
      cwd: workspaceRoot,
      env: {
        // As on a newcomer's machine: none of the backing services the test run points at.
        ...withoutBackingServices(process.env),
        CASE_STATUS_DATA_DIR: dataDir,
        INTAKE_PORT: String(ports.intake),
        STATUS_PORT: String(ports.status),
        LINKS_PORT: String(ports.links),
        WEB_PORT: String(ports.web),
        OPS_PORT: String(ports.ops),
        // A small demo: a few hundred cases instead of thousands.
        DEMO_DAYS: '5',
        DEMO_CASES_PER_DAY: '1',
        DEMO_SPEED_UP: '100000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the test can press Ctrl-C the way a terminal does: to the group.
      detached: true,
    });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return { process: started, output: () => output };
  };
  const ctrlC = async (running: ChildProcess) => {
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => running.once('exit', (code, signal) => resolve({ code, signal })));
    process.kill(-(running.pid as number), 'SIGINT');
    // npm itself ends by re-raising the interrupt; what matters is that everything it started stopped.
    expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(await exited);
    for (const port of Object.values(ports)) expect(await refusedWithin(port, 10_000)).toBe(true);
  };
  const graphql = async <T>(query: string, variables: object = {}): Promise<T> => {
    const answer = await fetch(`http://127.0.0.1:${ports.status}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await answer.json()) as { data?: T; errors?: unknown[] };
    if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
    return body.data as T;
  };
  /** The case as the status API shows it, or null while it is not projected yet. */
  const history = async (receipt: string) =>
    (
      await graphql<{ caseStatus: { statusCode: string; history: { eventType: string }[] } | null }>('query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode history { eventType } } }', {
        r: receipt,
      }).catch((error: Error) => {
        if (error.message.includes('"NOT_FOUND"')) return { caseStatus: null };
        throw error;
      })
    ).caseStatus;
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`never happened: ${what}`);
  };

  beforeAll(async () => {
    ports = { intake: await freePort(), status: await freePort(), links: await freePort(), web: await freePort(), ops: await freePort() };
  });

  afterAll(() => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('seeds a demo, prints where everything is, shows the example cases, pushes a live change, writes email to the outbox, and stops on Ctrl-C', async () => {
    const first = await start();
    const ready = await waitForOutput(first.process, /Example cases of the demo history: (.*)/);
    expect(ready).toMatch(/ready in \d+ ms/);
    expect(ready).toContain(`status API:  http://127.0.0.1:${ports.status}/graphql`);
    expect(ready).toContain(`email:       written to ${join(dataDir, 'outbox')}`);
    // The demo began once the operations server answered ready there.
    expect(ready).toContain(`operations:  http://127.0.0.1:${ports.ops}/health/ready`);
    const examples = [...(/Example cases of the demo history: (.*)/.exec(ready)?.[1] ?? '').matchAll(/(\S+) \((USCIS|VBA), (pending|decided)\)/g)];
    expect(examples.map((m) => [m[2], m[3]])).toEqual([
      ['USCIS', 'pending'],
      ['VBA', 'decided'],
    ]);
    for (const [, receipt] of examples) expect((await history(receipt))?.history.length).toBeGreaterThan(0);

    // The website serves the example case, as printed, in both languages.
    expect(ready).toContain(`website:     http://127.0.0.1:${ports.web}/en/`);
    const [, pending] = examples[0];
    expect(ready).toContain(`http://127.0.0.1:${ports.web}/en/case/${pending}`);
    // The caseworker console and its test user, signing in through the local identity provider.
    expect(ready).toContain(`console:     http://127.0.0.1:${ports.web}/en/console`);
    expect(ready).toContain('caseworker test user: carl.caseworker@uscis.example.gov, password caseworker-carl');
    for (const language of ['en', 'es']) {
      const page = await fetch(`http://127.0.0.1:${ports.web}/${language}/case/${pending}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`lang="${language}"`);
      expect(html).toContain(pending);
    }

    // The printed token and example request work as written.
    const token = /export TOKEN=(\S+)/.exec(ready)?.[1] as string;
    const receipt = /\/v1\/cases\/(IOE\d{10})\/events/.exec(ready)?.[1] as string;
    const record = (type: string, occurredAt: string, data: object) =>
      fetch(`http://127.0.0.1:${ports.intake}/v1/cases/${receipt}/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ eventId: crypto.randomUUID(), type, occurredAt, data }),
      });
    expect((await record('CaseReceived', '2026-11-24T09:00:00Z', { formType: 'I-130', office: 'NBC' })).status).toBe(201);
    expect(await waitFor('the new case', async () => (await history(receipt))?.statusCode)).toBe('CASE_RECEIVED');

    // Following the printed instructions: email updates (to the outbox) and a live subscription.
    await graphql('mutation ($r: String!) { subscribeToCase(receiptNumber: $r, email: "you@example.org", language: EN) { status } }', { r: receipt });
    // The email is written after the answer (which is the same for every address), so the
    // outbox may not exist yet when the answer comes.
    const outbox = join(dataDir, 'outbox');
    const confirmation = await waitFor('the confirmation email in the outbox', async () => (existsSync(outbox) ? readdirSync(outbox).find((f) => f.endsWith('.eml')) : undefined), 15_000);
    expect(readFileSync(join(dataDir, 'outbox', confirmation), 'utf8')).toMatch(/To: you@example\.org/);

    const client = createClient({ url: `ws://127.0.0.1:${ports.status}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    try {
      const pushed = new Promise<string>((resolve, reject) => {
        client.subscribe<{ caseStatusChanged: { statusCode: string } }>(
          { query: 'subscription ($r: String!) { caseStatusChanged(receiptNumber: $r) { statusCode } }', variables: { r: receipt } },
          { next: (message) => message.data && resolve(message.data.caseStatusChanged.statusCode), error: reject, complete: () => undefined },
        );
      });
      // Give the subscription a moment to be registered before the change it should see.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await record('EvidenceRequested', '2026-11-25T09:00:00Z', { requestId: 'RFE-1', dueDate: '2027-01-15', description: 'Birth certificate' })).status).toBe(201);
      expect(await pushed).toBe('EVIDENCE_REQUESTED');
    } finally {
      await client.dispose();
    }
    expect((await history(receipt))?.history.map((h) => h.eventType)).toEqual(['CaseReceived', 'EvidenceRequested']);
    // The simulated agencies keep a live trickle going.
    await waitFor('the live trickle', async () => /agencies\s+\| live: posted [1-9]/.test(first.output()), 30_000);
    // What a person needs, without Nest's start-up lines (modules initialised, routes mapped).
    expect(first.output()).toContain('status API:');
    expect(first.output()).not.toMatch(/\[Nest\]|Mapped \{|dependencies initialized/);

    await ctrlC(first.process);

    // A second start keeps everything and does not seed again.
    const second = await start();
    const again = await waitForOutput(second.process, /Example cases of the demo history/);
    expect(again).not.toContain('Seeding a demo history');
    expect((await history(receipt))?.history.map((h) => h.eventType)).toEqual(['CaseReceived', 'EvidenceRequested']);
    await ctrlC(second.process);
  }, 180_000);
});
