/**
 * CPU profiles for every benchmark: run one with `--cpu-prof` (`npm run bench:intake -- --cpu-prof`)
 * and each server it starts writes a V8 CPU profile when it stops, and work the benchmark runs in
 * its own process is profiled through the inspector, all into
 * tmp/profiles/<bench>-<date>-<role>.cpuprofile. `npm run profile:summary -- <file>` names the top
 * costs; Chrome DevTools or speedscope show the whole profile.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { basename, join, resolve } from 'node:path';

const PROFILE_DIR = resolve('tmp/profiles');

/** Whether this benchmark run was asked for CPU profiles. */
const cpuProfiling = process.argv.includes('--cpu-prof');

/** `intake` for benchmarks/intake.bench.ts. */
const bench = basename(process.argv[1] ?? 'bench').replace(/\.bench\.[cm]?[jt]s$/, '');
const startedAt = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

const roleCounts = new Map<string, number>();

/** A role profiled a second time in one run (a reference server before and after) gets `-2`, and so on. */
function profilePath(role: string): string {
  const count = (roleCounts.get(role) ?? 0) + 1;
  roleCounts.set(role, count);
  return join(PROFILE_DIR, `${bench}-${startedAt}-${role}${count === 1 ? '' : `-${count}`}.cpuprofile`);
}

/**
 * Environment for a server started through tools/run-ts.mjs: with profiling on, its Node runs
 * with --cpu-prof and writes the profile when it exits (stop it with SIGTERM and wait for the
 * exit; a SIGKILL writes nothing). Empty when profiling is off.
 */
export function cpuProfileEnv(role: string): Record<string, string> {
  if (!cpuProfiling) return {};
  mkdirSync(PROFILE_DIR, { recursive: true });
  const file = profilePath(role);
  console.log(`cpu profile: ${role} -> ${file}`);
  return { RUN_TS_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${PROFILE_DIR} --cpu-prof-name=${basename(file)}` };
}

/** Runs `work` in this process, profiled when profiling is on. */
export async function profiled<T>(role: string, work: () => Promise<T>): Promise<T> {
  if (!cpuProfiling) return work();
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    try {
      return await work();
    } finally {
      const { profile } = await session.post('Profiler.stop');
      mkdirSync(PROFILE_DIR, { recursive: true });
      const file = profilePath(role);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`cpu profile: ${role} -> ${file}`);
    }
  } finally {
    session.disconnect();
  }
}

/**
 * Stops a server the benchmark started: SIGTERM (to its process group when it was started
 * `detached`, so the node process run-ts spawned gets it too), then waits for the exit, during
 * which a profiled server writes its profile; SIGKILL only if it has not exited in time.
 */
export async function stopProcess(child: ChildProcess, options: { group?: boolean } = {}): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      if (options.group) process.kill(-pid, name);
      else child.kill(name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), cpuProfiling ? 60_000 : 10_000);
  await exited;
  clearTimeout(timer);
}
