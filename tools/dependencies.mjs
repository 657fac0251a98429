// Brings node_modules in from package-lock.json when it is missing or stale, so that `npm start`
// and `npm test` are all a newcomer types on a fresh clone. It needs nothing but Node itself:
// it runs before any dependency is there.
//   node tools/dependencies.mjs           installs (npm ci) when the lockfile changed since the last install
//   node tools/dependencies.mjs --stamp   records that node_modules matches the lockfile (run by npm's postinstall)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const lockfile = join(root, 'package-lock.json');
const modules = join(root, 'node_modules');
// Written after every install (npm ci and npm install run the postinstall script), inside
// node_modules so that deleting node_modules deletes it too.
const stampFile = join(modules, '.installed-lockfile-sha256');

const lockfileDigest = () => createHash('sha256').update(readFileSync(lockfile)).digest('hex');

if (process.argv.includes('--stamp')) {
  if (existsSync(modules)) writeFileSync(stampFile, `${lockfileDigest()}\n`);
} else {
  const installed = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : null;
  if (installed !== lockfileDigest()) {
    console.log(
      installed === null
        ? 'Installing the dependencies from package-lock.json (npm ci, about a minute the first time)...'
        : 'package-lock.json changed since the last install: installing the dependencies again (npm ci)...',
    );
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    // Errors only: npm, run by the machine's own Node, would otherwise warn that it is not the Node 24 that npm ci installs.
    const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error(`npm ci failed (exit ${result.status ?? result.signal}); fix what it says, then run the command again.`);
      process.exit(result.status || 1);
    }
  }
}
