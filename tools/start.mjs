// `npm start`: for now, the agency intake API with its event store on the local PostgreSQL
// server (brought up by infra/postgres/ensure.sh). Creates development signing keys for the
// example agencies on first run and prints a token to try the API with.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = process.env.CASE_STATUS_DATA_DIR ?? join(root, '.data');
const keysDir = join(dataDir, 'dev-keys');
const agencies = ['USCIS', 'VBA'];

execFileSync('bash', [join(root, 'infra/postgres/ensure.sh')], { stdio: 'inherit' });

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
console.log(`
Development agency keys: ${keysDir} (public keys: ${keysFile})
A USCIS token valid for 12 hours:

  export TOKEN=${token}
  curl -s -X POST http://127.0.0.1:${port}/v1/cases/IOE0912345678/events \\
    -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
    -d '{"eventId":"'$(node -e 'console.log(crypto.randomUUID())')'","type":"CaseReceived","occurredAt":"2026-11-24T09:00:00Z","data":{"formType":"I-130","office":"NBC"}}'
`);

const child = spawn(process.execPath, [join(root, 'tools/run-ts.mjs'), 'apps/intake-api/src/main.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, INTAKE_AGENCY_KEYS_FILE: keysFile, INTAKE_PORT: port },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
