// Names the top costs of a V8 CPU profile (.cpuprofile, as `bench:* -- --cpu-prof` writes them):
// self time by function and by file (a package in node_modules counts as one file).
//   node tools/cpu-profile-summary.mjs tmp/profiles/intake-...-intake-api.cpuprofile [--top 15] [--skip-ms 30000]
// --skip-ms leaves out the first milliseconds of the profile: a server's start-up (module loading)
// otherwise shows among the top costs of a short run.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const top = option('--top', 15);
const skipMs = option('--skip-ms', 0);
const files = args.filter((arg, i) => !arg.startsWith('--') && !['--top', '--skip-ms'].includes(args[i - 1]));
if (files.length === 0 || !Number.isInteger(top) || top < 1 || !(skipMs >= 0)) {
  console.error('usage: node tools/cpu-profile-summary.mjs <file.cpuprofile>... [--top N] [--skip-ms MS]');
  process.exit(2);
}

/** Where a function lives, short: a workspace path, a package name, `node:…`, or what V8 calls it. */
function place(url) {
  if (!url) return '(native or V8)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('/node_modules/');
  if (modules !== -1) {
    const parts = path.slice(modules + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  return path.startsWith(root) ? path.slice(root.length) : path;
}

function table(title, totals, totalMs) {
  console.log(`\n${title}`);
  const rows = [...totals].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, ms] of rows) console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)} %  ${name}`);
}

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const selfMs = new Map();
  let elapsedMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    elapsedMs += ms;
    if (elapsedMs <= skipMs) continue;
    selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + ms);
  }
  const byFunction = new Map();
  const byFile = new Map();
  let totalMs = 0;
  let idleMs = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    totalMs += ms;
    const where = place(url);
    const name = `${functionName || '(anonymous)'}  ${where}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    byFile.set(where, (byFile.get(where) ?? 0) + ms);
  }
  console.log(`${file}: ${(elapsedMs / 1000).toFixed(1)} s profiled${skipMs ? `, the first ${skipMs} ms left out` : ''}; ${totalMs.toFixed(0)} ms of CPU sampled (${idleMs.toFixed(0)} ms idle)`);
  table('self time by function', byFunction, totalMs);
  table('self time by file or package', byFile, totalMs);
}
