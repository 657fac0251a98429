// `npm start`: the platform in one process (apps/platform) on embedded PostgreSQL, with
// nothing to install; data is kept in .data/embedded, email goes to .data/outbox.
// `npm start -- --services` runs the intake API, the projector and the status API as separate
// processes on the local PostgreSQL server instead (brought up by infra/postgres/ensure.sh).
// `npm run start:stack` (`--stack`) runs every service separately (intake, projector, status
// API, Kafka relay, notifier) on the local PostgreSQL server and the Kafka broker of
// infra/kafka, fed by the simulated agencies. Either way: creates development signing keys for
// the example agencies on first run and prints a token to try the intake API with. Ctrl-C
// stops everything (and the broker, if this script started it). The demo starts once every
// service's operations server answers 200 to /health/ready (OPS_PORT 9460 for the platform;
// 9461-9466 for the separate services). `--replicas N` (with --services or --stack) runs N
// instances of each service: instance k (from 0) listens on the first one's ports plus 10 * k
// (intake 3011, status API 3012, website 3013, notifier links 3014, operations 9471-9476 for
// the second); the projector and the relay elect one active instance, the others stand by.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.CASE_STATUS_DATA_DIR ?? join(root, '.data');
const keysDir = join(dataDir, 'dev-keys');
const agencies = ['USCIS', 'VBA'];
// What the development agencies sign as: the agency simulator's default issuer
// (apps/agency-simulator, SIMULATED_ISSUER), which the intake accepts from each of them.
const issuerOf = (agency) => `urn:case-status:simulated-agency:${agency}`;

const stack = process.argv.includes('--stack');
const separateServices = stack || process.argv.includes('--services');
const replicasAt = process.argv.indexOf('--replicas');
const replicas = replicasAt === -1 ? 1 : Number(process.argv[replicasAt + 1]);
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 9) {
  console.error(`--replicas takes a whole number of instances from 1 to 9, not "${process.argv[replicasAt + 1] ?? ''}"`);
  process.exit(2);
}
if (replicas > 1 && !separateServices) {
  console.error('--replicas runs several instances of the separate services: use it with --stack or --services (the one-process platform runs once)');
  process.exit(2);
}
if (separateServices) execFileSync('bash', [join(root, 'infra/postgres/ensure.sh')], { stdio: 'inherit' });
let startedBroker = false;
if (stack) {
  const running = spawnSync('bash', [join(root, 'infra/kafka/status.sh')], { stdio: 'ignore' }).status === 0;
  if (!running) {
    console.log('Starting the Kafka broker (infra/kafka; the first time fetches its jars from Maven Central)...');
    execFileSync('bash', [join(root, 'infra/kafka/start.sh')], { stdio: 'inherit' });
    startedBroker = true;
  }
}

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
  publicKeys[agency] = { issuers: [issuerOf(agency)], jwks: { keys: [{ ...publicJwk, use: 'sig' }] } };
  privateKeys[agency] = { key: await importJWK(jwk, 'ES256'), kid: jwk.kid };
}
const keysFile = join(dataDir, 'agency-keys.json');
writeFileSync(keysFile, JSON.stringify(publicKeys, null, 2));

const { key, kid } = privateKeys.USCIS;
const token = await new SignJWT({ agency: 'USCIS', scope: 'intake:write intake:read' })
  .setProtectedHeader({ alg: 'ES256', kid })
  .setSubject('local-try-out')
  .setIssuer(issuerOf('USCIS'))
  .setAudience('case-status-intake')
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(key);

const port = process.env.INTAKE_PORT ?? '3001';
// A new example case each start, so the example request is accepted every time.
const receipt = `IOE09${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
console.log(`
Development agency keys: ${keysDir} (public keys: ${keysFile})
A USCIS token valid for an hour (the intake refuses tokens issued longer ago):

  export TOKEN=${token}
  curl -s -X POST http://127.0.0.1:${port}/v1/cases/${receipt}/events \\
    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"eventId":"'$(node -e 'console.log(crypto.randomUUID())')'","type":"CaseReceived","occurredAt":"2026-11-24T09:00:00Z","data":{"formType":"I-130","office":"NBC"}}'
`);

const statusPort = process.env.STATUS_PORT ?? '3002';
const linksPort = process.env.LINKS_PORT ?? '3004';
const webPort = process.env.WEB_PORT ?? '3003';
const outboxDir = join(dataDir, 'outbox');
const lookUp = (receiptNumber) => `  curl -s http://127.0.0.1:${statusPort}/graphql -H 'content-type: application/json' \\
    -d '{"query":"{ caseStatus(receiptNumber: \\"${receiptNumber}\\") { statusCode statusText { en es } nextStep { en } history { occurredAt title { en } } } }"}'`;
console.log(`Then look the case up:

${lookUp(receipt)}

GraphQL IDE: http://127.0.0.1:${statusPort}/graphiql
`);

/** Where to look first: the demo's example cases, and how to follow one. */
function printExamples(examples) {
  if (examples.length === 0) return;
  const [first] = examples;
  console.log(`
Example cases of the demo history: ${examples.map((c) => `${c.receiptNumber} (${c.agency}, ${c.decided ? 'decided' : 'pending'})`).join(', ')}
See one on the website:

  http://127.0.0.1:${webPort}/en/case/${first.receiptNumber}  (en español: http://127.0.0.1:${webPort}/es/case/${first.receiptNumber})

${first.accessCode ? `Link it to your account on "My cases": sign in as ana.applicant@example.org (password applicant-ana)
at http://127.0.0.1:${webPort}/en/my-cases and enter ${first.receiptNumber} with the online access code ${first.accessCode}.

` : ''}Or look it up through the API:

${lookUp(first.receiptNumber)}

Get email when it changes (the confirmation email, and every update after it, is written to
${outboxDir}; open the .eml files with any mail client or cat):

  curl -s http://127.0.0.1:${statusPort}/graphql -H 'content-type: application/json' \\
    -d '{"query":"mutation { subscribeToCase(receiptNumber: \\"${first.receiptNumber}\\", email: \\"you@example.org\\", language: EN) { status message } }"}'

Or watch it live in the GraphQL IDE (http://127.0.0.1:${statusPort}/graphiql):

  subscription { caseStatusChanged(receiptNumber: "${first.receiptNumber}") { statusCode text(language: EN) revision } }
`);
}

// Each service's operations server (readiness and metrics, loopback only): the script waits on
// its /health/ready. Given to each process explicitly, so one OPS_PORT in the shell is the
// platform's only.
const OPS_PORTS = { platform: process.env.OPS_PORT ?? '9460', intake: '9461', status: '9462', web: '9463', projector: '9464', relay: '9465', notifier: '9466' };
// Instance k of a service listens on the first instance's ports plus 10 * k.
const shifted = (port, k) => String(Number(port) + 10 * k);
const opsEnv = (service, k) => (['projector', 'relay', 'notifier'].includes(service) ? { HEALTH_PORT: shifted(OPS_PORTS[service], k) } : { OPS_PORT: shifted(OPS_PORTS[service], k) });
// Each instance's public port; the website k asks the status API k and forwards its visitors' addresses.
const portsOf = (k) => ({ INTAKE_PORT: shifted(port, k), STATUS_PORT: shifted(statusPort, k), WEB_PORT: shifted(webPort, k), NOTIFIER_PORT: shifted(linksPort, k) });
const web = (k) => ['web', 'apps/web/src/main.ts', { PORT: shifted(webPort, k), STATUS_API_URL: `http://127.0.0.1:${shifted(statusPort, k)}` }];
// Links in emails (from the status API's confirmations and the notifier's updates) open the
// website's confirm and unsubscribe pages. Only they get PUBLIC_BASE_URL: on the website it
// would mean sign-in, which needs the IDENTITY_* settings too.
const linksTo = (k) => ({ PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${shifted(webPort, k)}` });
const statusApi = (k) => ['status', 'apps/status-api/src/main.ts', { TRUST_PROXY: '127.0.0.1', ...linksTo(k) }];
const serviceList = (k) =>
  stack
    ? [['intake', 'apps/intake-api/src/main.ts'], ['projector', 'apps/projector/src/main.ts'], statusApi(k), ['relay', 'apps/kafka-relay/src/main.ts'], ['notifier', 'apps/notifier/src/main.ts', linksTo(k)], web(k)]
    : separateServices
      ? [['intake', 'apps/intake-api/src/main.ts'], ['projector', 'apps/projector/src/main.ts'], statusApi(k), web(k)]
      : [['platform', 'apps/platform/src/main.ts']];
const services = Array.from({ length: replicas }, (_, k) =>
  serviceList(k).map(([service, entry, extraEnv]) => {
    const opsPort = Object.values(opsEnv(service, k))[0];
    const name = replicas > 1 ? `${service}-${k + 1}` : service;
    return [name, entry, { ...(separateServices && portsOf(k)), ...extraEnv, ...opsEnv(service, k) }, opsPort];
  }),
).flat();
if (replicas > 1) {
  console.log(`${replicas} instances of each service:`);
  for (let k = 0; k < replicas; k++) {
    const p = portsOf(k);
    console.log(`  instance ${k + 1}: intake ${p.INTAKE_PORT}, status API ${p.STATUS_PORT}, website ${p.WEB_PORT}${stack ? `, notifier links ${p.NOTIFIER_PORT}` : ''}; operations ${shifted(OPS_PORTS.intake, k)}-${shifted(stack ? OPS_PORTS.notifier : OPS_PORTS.projector, k)}`);
  }
}
const env = {
  ...process.env,
  INTAKE_AGENCY_KEYS_FILE: keysFile,
  INTAKE_PORT: port,
  STATUS_PORT: statusPort,
  LINKS_PORT: linksPort,
  WEB_PORT: webPort,
  NOTIFIER_PORT: linksPort,
  EMBEDDED_DATA_DIR: join(dataDir, 'embedded'),
  OUTBOX_DIR: outboxDir,
  // Lines for a person at a terminal; every service writes JSON lines by default.
  LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
  ...(stack ? { KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092', WEBHOOK_ALLOW_INSECURE: process.env.WEBHOOK_ALLOW_INSECURE ?? 'true' } : {}),
};
let stopping = false;
const children = [];

/**
 * Runs a workspace entry point with its output prefixed. A `task` (the demo seeding) may end
 * by itself; any other process ending stops everything.
 */
function run(name, entry, args = [], { task = false, onLine, onDone, extraEnv = {} } = {}) {
  const child = spawn(process.execPath, [join(root, 'tools/run-ts.mjs'), entry, ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk) => {
      // Progress lines end in a carriage return; show each on a line of its own.
      const lines = (partial + chunk.toString()).split(/\r?\n|\r/);
      partial = lines.pop();
      for (const line of lines) {
        console.log(`${name.padEnd(replicas > 1 ? 11 : 9)} | ${line}`);
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
// DEMO_DAYS, DEMO_CASES_PER_DAY and DEMO_SPEED_UP size it.
const demoMarker = join(dataDir, stack ? 'stack-demo-seeded.json' : join('embedded', 'demo-seeded.json'));
const simulator = 'apps/agency-simulator/src/main.ts';
const simulatorArgs = ['--intake-url', `http://127.0.0.1:${port}`, '--keys', keysDir, '--cases-per-day', process.env.DEMO_CASES_PER_DAY ?? '5'];
let demoStarted = false;
function startDemo() {
  if (demoStarted) return;
  demoStarted = true;
  const live = () => run('agencies', simulator, ['live', ...simulatorArgs, '--speed-up', process.env.DEMO_SPEED_UP ?? '1440']);
  if (existsSync(demoMarker)) {
    printExamples(JSON.parse(readFileSync(demoMarker, 'utf8')).examples ?? []);
    return live();
  }
  const days = process.env.DEMO_DAYS ?? '120';
  console.log(`Seeding a demo history (${days} days of two agencies) on this first start...`);
  let examples = [];
  run('seeding', simulator, ['seed', ...simulatorArgs, '--days', days, '--seed', `demo-${Date.now()}`], {
    task: true,
    onLine: (line) => {
      const found = /^example cases: (.*)$/.exec(line);
      if (found) examples = JSON.parse(found[1]);
    },
    onDone: () => {
      writeFileSync(demoMarker, JSON.stringify({ seededAt: new Date().toISOString(), examples }, null, 2));
      printExamples(examples);
      live();
    },
  });
}

const demo = (!separateServices || stack) && process.env.DEMO !== 'off';
/** Resolves true once the service's operations server answers 200 to /health/ready; false if it ends first or everything stops. */
async function whenReady(opsPort, child) {
  const url = `http://127.0.0.1:${opsPort}/health/ready`;
  while (!stopping && child.exitCode === null && child.signalCode === null) {
    const status = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((answer) => answer.status, () => 0);
    if (status === 200) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

// The demo starts once every service is ready (each one's /health/ready answers 200).
const readiness = services.map(([name, entry, extraEnv, opsPort]) => whenReady(opsPort, run(name, entry, [], { extraEnv })));
Promise.all(readiness).then((ready) => {
  if (demo && ready.every(Boolean)) startDemo();
});

function stop(code) {
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null ? null : new Promise((r) => child.on('exit', r))))).then(() => {
    if (startedBroker) spawnSync('bash', [join(root, 'infra/kafka/stop.sh')], { stdio: 'inherit' });
    process.exit(code);
  });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
