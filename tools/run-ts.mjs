// Runs a TypeScript entry point of this workspace: SWC compiles on the fly with the
// workspace's path aliases and decorator metadata (what Nest needs).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
// Extra Node options for this entry only (benchmarks pass --cpu-prof here); not inherited further.
const { RUN_TS_NODE_ARGS: nodeArgs = '', ...env } = process.env;
const child = spawn(process.execPath, [...nodeArgs.split(' ').filter(Boolean), '--enable-source-maps', '-r', '@swc-node/register', entry, ...args], {
  cwd: root,
  stdio: 'inherit',
  env: { ...env, SWC_NODE_PROJECT: process.env.SWC_NODE_PROJECT ?? `${root}tsconfig.base.json` },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
