// `npm start`: the platform in one process (apps/platform) on embedded PostgreSQL, with
// nothing to install; data is kept in .data/embedded. `npm start -- --services` runs the
// intake API, the projector and the status API as separate processes on the local PostgreSQL
// server instead (brought up by infra/postgres/ensure.sh). Either way: creates development
// signing keys for the example agencies on first run and prints a token to try the intake
// API with. Ctrl-C stops everything.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.CASE_STATUS_DATA_DIR ?? join(root, '.data');
const keysDir = join(dataDir, 'dev-keys');
const agencies = ['USCIS', 'VBA'];

const separateServices = process.argv.includes('--services');
if (separateServices) execFileSync('bash', [join(root, 'infra/postgres/ensure.sh')], { stdio: 'inherit' });

mkdirSync(keysDir, { recursive: true });
const publicKeys = {};
const privateKeys = {};
for (const agency of agencies) {
  const file = join(keysDir, `${agency}.private.jwk.json`);
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(file, JSON.stringify({ ...(await exportJWK(privateKey)), kid: `${agency}-dev-1`, alg: 'ES256' }), { mode: 0o600 });
  }
  const jwk = JSON.parse(readFileSync(file, 'utf8'));
  const { d: _private, ...publicJwk } = jwk;
  publicKeys[agency] = { jwks: { keys: [{ ...publicJwk, use: 'sig' }] } };
  privateKeys[agency] = { key: await importJWK(jwk, 'ES256'), kid: jwk.kid };
}
const keysFile = join(dataDir, 'agency-keys.json');
writeFileSync(keysFile, JSON.stringify(publicKeys, null, 2));

const { key, kid } = privateKeys.USCIS;
const token = await new SignJWT({ agency: 'USCIS', scope: 'intake:write intake:read' })
  .setProtectedHeader({ alg: 'ES256', kid })
  .setSubject('local-try-out')
  .setAudience('case-status-intake')
  .setIssuedAt()
  .setExpirationTime('12h')
  .sign(key);

const port = process.env.INTAKE_PORT ?? '3001';
// A new example case each start, so the example request is accepted every time.
const receipt = `IOE09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
console.log(`
Development agency keys: ${keysDir} (public keys: ${keysFile})
A USCIS token valid for 12 hours:

  export TOKEN=${token}
  curl -s -X POST http://127.0.0.1:${port}/v1/cases/${receipt}/events \\
    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"eventId":"'$(node -e 'console.log(crypto.randomUUID())')'","type":"CaseReceived","occurredAt":"2026-11-24T09:00:00Z","data":{"formType":"I-130","office":"NBC"}}'
`);

const statusPort = process.env.STATUS_PORT ?? '3002';
console.log(`Then look the case up:

  curl -s http://127.0.0.1:${statusPort}/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ caseStatus(receiptNumber: \\"${receipt}\\") { statusCode statusText { en es } nextStep { en } history { occurredAt title { en } } } }"}'

GraphQL IDE: http://127.0.0.1:${statusPort}/graphiql
`);

const services = separateServices
  ? [
      ['intake', 'apps/intake-api/src/main.ts'],
      ['projector', 'apps/projector/src/main.ts'],
      ['status', 'apps/status-api/src/main.ts'],
    ]
  : [['platform', 'apps/platform/src/main.ts']];
const env = { ...process.env, INTAKE_AGENCY_KEYS_FILE: keysFile, INTAKE_PORT: port, STATUS_PORT: statusPort, EMBEDDED_DATA_DIR: join(dataDir, 'embedded') };
let stopping = false;
const children = [];

/**
 * Runs a workspace entry point with its output prefixed. A `task` (the demo seeding) may end
 * by itself; any other process ending stops everything.
 */
function run(name, entry, args = [], { task = false, onLine, onDone } = {}) {
  const child = spawn(process.execPath, [join(root, 'tools/run-ts.mjs'), entry, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      // Progress lines end in a carriage return; show each on a line of its own.
      const lines = (partial + chunk.toString()).split(/\r?\n|\r/);
      partial = lines.pop();
      for (const line of lines) {
        console.log(`${name.padEnd(9)} | ${line}`);
        onLine?.(line);
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    if (task && code === 0) return onDone?.();
    console.error(`${name} stopped (${signal ?? `exit code ${code}`}); stopping the others`);
    stop(1);
  });
  return child;
}

// The embedded platform gets simulated agencies: a demo history on the first start, then a
// trickle of live events (a simulated day per real minute). DEMO=off leaves it empty.
const demoMarker = join(dataDir, 'embedded', 'demo-seeded');
const simulator = 'apps/agency-simulator/src/main.ts';
const simulatorArgs = ['--intake-url', `http://127.0.0.1:${port}`, '--keys', keysDir, '--cases-per-day', '5'];
function startDemo() {
  const live = () => run('agencies', simulator, ['live', ...simulatorArgs]);
  if (existsSync(demoMarker)) return live();
  console.log('Seeding a demo history (120 days of two agencies) on this first start...');
  run('seeding', simulator, ['seed', ...simulatorArgs, '--days', '120', '--seed', `demo-${Date.now()}`], {
    task: true,
    onDone: () => {
      writeFileSync(demoMarker, new Date().toISOString());
      live();
    },
  });
}

for (const [name, entry] of services) {
  const demo = !separateServices && process.env.DEMO !== 'off';
  run(name, entry, [], { onLine: demo ? (line) => line.includes('ready in') && startDemo() : undefined });
}

function stop(code) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? null : new Promise((r) => child.on('exit', r))))).then(() => process.exit(code));
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
