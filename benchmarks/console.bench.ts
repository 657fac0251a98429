/**
 * Console benchmark: the caseworker console's pages at 1,000,000 cases, through the real
 * website and status API, signed in as a caseworker of the local identity provider.
 *
 *   npm run bench:console
 *
 * - **backlog** (`/en/console`): pending cases by form and office and their ages, and the
 *   weekly flow of the last 12 weeks;
 * - **case list, first page** (`/en/console/cases?pending=true`): the agency's pending cases,
 *   oldest receipt first, 25 a page;
 * - **case list, deep page**: the same list from a keyset cursor 90 % of the way through the
 *   agency's pending cases (the `after` of the "Next page" link there).
 * - **reference, same run**: a bare Mercurius `{ hello }` (as `bench:query` uses), driven the
 *   same way, before and after.
 *
 * Each page request is a GET with the session cookie of Carl (USCIS), who signed in through
 * the local identity provider (a real oidc-provider) the way a browser does, with a fresh
 * sign-in before each page's run so the staff token (15 minutes) never needs renewing during
 * one. The website asks the status API's caseworker queries with that token; the status API
 * checks its signature against the provider's keys (given inline, as production refuses a
 * plain-http key URL). Both run as their own processes (their real mains, NODE_ENV
 * production; the status API's rate limit raised to its maximum). Every answer must be 200
 * and the page asked for.
 *
 * Loading: the read models are built by `bench:query`'s loader (query/load-read-models.ts):
 * BENCH_BASE_CASES cases through the real event store and projections (the case read models
 * and the weekly case flow), then SQL copies of them under new receipt numbers up to
 * BENCH_TOTAL_CASES. `bench:query` checks those copies row for row against the projector.
 *
 * Settings (environment): BENCH_DATABASE_URL, BENCH_BASE_CASES (10,000), BENCH_TOTAL_CASES
 * (1,000,000), BENCH_SECONDS (15), BENCH_WARMUP_SECONDS (5), BENCH_CONNECTIONS (4: caseworkers
 * asking at once, each the moment their previous page arrived), BENCH_MAX_MINUTES (30).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { Pool } from 'pg';
import { LOCAL_USERS, STAFF_API_RESOURCE, STAFF_API_SCOPE, staffTokenKeysOf, startLocalIdentityProvider, type LocalIdentityProvider } from '@case-status/identity';
import { clientKeyPair, CookieAgent, throughLocalProvider } from '@case-status/identity/testing';
import { encodeCursor } from '@case-status/read-models';
import { caseCounts, cloneCases, projectCases, settleReadModels } from './query/load-read-models';
import { cleanUpOnce, cpuSecondsOfPids, fmt, freePort, loadAverage, log, measure, processGroup, runBenchmark, runSettings, seconds, startServer, type Measurement, type RunningServer } from './query/load-test';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const { base: BASE_CASES, total: TOTAL_CASES } = caseCounts();
const { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, maxMinutes: MAX_MINUTES } = runSettings({ connections: 4, maxMinutes: 30 });
const TARGET_P99_MS = 200;
/** How far into the agency's pending cases the deep page starts. */
const DEEP_SHARE = 0.9;

const prefix = `bench_console_${Date.now()}`;
const schemas = { readModels: prefix, eventStore: `${prefix}_es`, flow: `${prefix}_flow`, scratch: `${prefix}_tmp` };
/** The website keeps its sessions in the schema `identity` of its DATABASE_URL: a database of this run's own. */
const sessionDatabase = prefix;
const carl = LOCAL_USERS.find((user) => user.subject === 'caseworker-carl') ?? (() => { throw new Error('no local user caseworker-carl'); })();
const AGENCY = carl.agency ?? 'USCIS';

const servers = new Set<RunningServer>();
const pool = new Pool({ connectionString: databaseUrl, max: 4 });
const dropSchemas = cleanUpOnce(pool, servers, prefix);
let provider: LocalIdentityProvider | undefined;
let keyDir: string | undefined;
let sessionDatabaseMade = false;
let cleaning: Promise<void> | undefined;
/** Stops the servers and the provider, drops the schemas and the session database; safe to call twice. */
const cleanUp = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const server of servers) await server.stop().catch(() => undefined);
    await provider?.close().catch(() => undefined);
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
    if (sessionDatabaseMade) await pool.query(`DROP DATABASE IF EXISTS "${sessionDatabase}" WITH (FORCE)`).catch((error: Error) => console.error(`could not drop database ${sessionDatabase}: ${error.message}`));
    await dropSchemas();
  })());

/** Signs Carl in as a browser would (the site's redirect, the provider's pages, the callback); returns the site's Cookie header. */
async function signIn(webUrl: string): Promise<string> {
  const agent = new CookieAgent();
  const start = await agent.request(`${webUrl}/en/console`);
  if (start.status !== 303) throw new Error(`the console did not send a signed-out visitor to sign in (${start.status})`);
  const toProvider = await agent.request(new URL(start.headers.get('location') ?? '', webUrl).href);
  const done = await agent.request(await throughLocalProvider(agent, toProvider.headers.get('location') ?? '', carl));
  if (done.status !== 303) throw new Error(`signing in as ${carl.email} did not end in a redirect back to the console (${done.status})`);
  return agent.cookieHeader(new URL(webUrl).host);
}

function report(label: string, m: Measurement): void {
  log(
    `${label.padEnd(30)} ${fmt(m.perSecond).padStart(6)} req/s   p50 ${m.p50.toFixed(2).padStart(7)} ms   p99 ${m.p99.toFixed(2).padStart(7)} ms   max ${m.max.toFixed(1).padStart(7)} ms   (${fmt(m.requests)} requests, ${m.failed} failed)`,
  );
  const cpu = Object.entries(m.cpuPerRequest).map(([who, ms]) => `${who} ${ms.toFixed(3)}`);
  log(`${''.padEnd(30)} CPU ms per request: ${cpu.join(', ')}; machine CPU busy ${Math.round(m.cpuBusy * 100)} %, load average ${loadAverage()}`);
  if (m.failed > 0) throw new Error(`${label}: ${m.failed} answers were not the page asked for; first: ${m.firstFailure}`);
}

async function measureHello(label: string): Promise<Measurement> {
  const port = await freePort();
  const server = await startServer({ entry: 'benchmarks/query/hello-mercurius.ts', env: { PORT: String(port), NODE_ENV: 'production' }, port, readyQuery: '{ hello }', timeoutMs: 60_000 });
  servers.add(server);
  try {
    const result = await measure({
      url: server.url,
      connections: CONNECTIONS,
      warmupSeconds: WARMUP_SECONDS,
      seconds: SECONDS,
      body: () => JSON.stringify({ query: 'query { hello }' }),
      isExpected: (body) => body === '{"data":{"hello":"world"}}',
      cpuSeconds: async () => ({ server: cpuSecondsOfPids(processGroup(server.pid)) }),
    });
    report(label, result);
    return result;
  } finally {
    await server.stop();
    servers.delete(server);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  log(
    `console benchmark ${new Date().toISOString()}: ${cpus().length} cores, load ${loadAverage()}; ${fmt(TOTAL_CASES)} cases (${fmt(BASE_CASES)} projected, the rest copies); ` +
      `${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per page; schema ${schemas.readModels}`,
  );
  const base = await projectCases(pool, {
    eventStoreSchema: schemas.eventStore,
    readModelSchema: schemas.readModels,
    flowSchema: schemas.flow,
    cases: Array.from({ length: BASE_CASES }, (_, n) => [n, n] as const),
  });
  log(`loaded ${fmt(base.cases)} cases (${fmt(base.events)} events) through the event store (${seconds(base.seedMs)}) and the projections (${seconds(base.projectMs)} for the case read models)`);
  const copies = TOTAL_CASES / BASE_CASES - 1;
  if (copies > 0) {
    const cloneStarted = performance.now();
    await cloneCases(pool, { schema: schemas.readModels, scratchSchema: schemas.scratch, flowSchema: schemas.flow, base: BASE_CASES, copies, log });
    log(`grown to ${fmt(TOTAL_CASES)} cases by ${copies} SQL copies in ${seconds(performance.now() - cloneStarted)}`);
  }
  await settleReadModels(pool, schemas.readModels);
  const { rows: counts } = await pool.query<{ cases: number; pending: number }>(
    `SELECT count(*)::int AS cases, count(*) FILTER (WHERE is_pending AND status_code IS NOT NULL)::int AS pending FROM "${schemas.readModels}".case_status WHERE agency = $1`,
    [AGENCY],
  );
  const { cases: agencyCases, pending } = counts[0];
  // The deep page: after the pending case 90 % of the way down the list, the cursor its page's "Next page" carries.
  const { rows: deep } = await pool.query<{ micros: string; receipt: string }>(
    `SELECT (extract(epoch FROM received_at) * 1000000)::bigint::text AS micros, receipt_number AS receipt FROM "${schemas.readModels}".case_status
     WHERE agency = $1 AND status_code IS NOT NULL AND is_pending ORDER BY received_at, receipt_number OFFSET $2 LIMIT 1`,
    [AGENCY, Math.floor(pending * DEEP_SHARE)],
  );
  if (deep.length === 0) throw new Error(`${AGENCY} has no pending cases to page through`);
  const deepCursor = encodeCursor({ receivedAtMicros: BigInt(deep[0].micros), receiptNumber: deep[0].receipt });
  log(`${AGENCY}: ${fmt(agencyCases)} cases, ${fmt(pending)} pending; the deep page starts after pending case ${fmt(Math.floor(pending * DEEP_SHARE) + 1)} (page ${fmt(Math.floor((pending * DEEP_SHARE) / 25) + 2)})`);

  // Sign-in: the local provider with the site registered as a client, and the status API trusting its staff tokens.
  const webPort = await freePort();
  const webUrl = `http://127.0.0.1:${webPort}`;
  const client = await clientKeyPair('website-bench');
  provider = await startLocalIdentityProvider({
    clients: [{ clientId: 'website', publicKey: client.publicKey, redirectUris: [`${webUrl}/sign-in/callback`], postLogoutRedirectUris: [`${webUrl}/en/signed-out`] }],
  });
  const jwks = await (await fetch(`${provider.issuer}/jwks`)).json();
  const staffKeys = Object.fromEntries(Object.entries(staffTokenKeysOf(provider)).map(([agency, keys]) => [agency, { issuers: keys.issuers, jwks }]));
  keyDir = mkdtempSync(join(tmpdir(), 'bench-console-'));
  const keysFile = join(keyDir, 'caseworker-keys.json');
  writeFileSync(keysFile, JSON.stringify(staffKeys));
  await pool.query(`CREATE DATABASE "${sessionDatabase}"`);
  sessionDatabaseMade = true;

  const statusPort = await freePort();
  const status = await startServer({
    entry: 'apps/status-api/src/main.ts',
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      READ_MODEL_SCHEMA: schemas.readModels,
      WEEKLY_CASE_FLOW_SCHEMA: schemas.flow,
      SERVED_ESTIMATES_SCHEMA: `${prefix}_served`,
      FEEDBACK_SCHEMA: `${prefix}_feedback`,
      NOTIFICATIONS_SCHEMA: `${prefix}_notifications`,
      REPRESENTATIVES_SCHEMA: `${prefix}_representatives`,
      CASE_LINKS_SCHEMA: `${prefix}_links`,
      ACCESS_AUDIT_SCHEMA: `${prefix}_audit`,
      ACCESS_CODE_ATTEMPTS_SCHEMA: `${prefix}_attempts`,
      CASEWORKER_KEYS_FILE: keysFile,
      STATUS_PORT: String(statusPort),
      OPS_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      STATUS_RATE_LIMIT_PER_MINUTE: '1000000',
    },
    port: statusPort,
    readyQuery: '{ __typename }',
    timeoutMs: 90_000,
  });
  servers.add(status);
  const assertionKey = await generateKeyPair('ES256', { extractable: true });
  const sessionUrl = new URL(databaseUrl);
  sessionUrl.pathname = `/${sessionDatabase}`;
  // The first start of a checkout compiles USWDS's Sass; later ones reuse the cache.
  const web = await startServer({
    entry: 'apps/web/src/main.ts',
    env: {
      NODE_ENV: 'production',
      STATUS_API_URL: status.url.replace(/\/graphql$/, ''),
      PORT: String(webPort),
      OPS_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      IDENTITY_ISSUER_URL: provider.issuer,
      IDENTITY_CLIENT_ID: 'website',
      IDENTITY_CLIENT_KEY: JSON.stringify(client.privateKey),
      PERSON_ASSERTION_KEY: JSON.stringify({ ...(await exportJWK(assertionKey.privateKey)), kid: 'bench-assertions', alg: 'ES256' }),
      PUBLIC_BASE_URL: webUrl,
      IDENTITY_API_RESOURCE: STAFF_API_RESOURCE,
      IDENTITY_API_SCOPE: STAFF_API_SCOPE,
      DATABASE_URL: sessionUrl.href,
      SESSION_COOKIE_SECURE: 'off',
    },
    port: webPort,
    readyPath: '/health/live',
    timeoutMs: 120_000,
  });
  servers.add(web);
  const cpu = async () => ({ web: cpuSecondsOfPids(processGroup(web.pid)), statusApi: cpuSecondsOfPids(processGroup(status.pid)) });

  // What each page must show: the agency's pending count on the backlog; 25 cases and a next page on the lists.
  const pendingText = `${pending.toLocaleString('en-US')} cases are waiting for a decision.`;
  const pages = [
    { label: 'backlog', path: '/en/console', isExpected: (body: string) => body.includes('>Backlog</h1>') && body.includes(pendingText) },
    { label: 'case list, first page', path: '/en/console/cases?pending=true', isExpected: (body: string) => body.includes('>Case list</h1>') && body.includes('Next page') },
    { label: 'case list, deep page', path: `/en/console/cases?pending=true&after=${deepCursor}`, isExpected: (body: string) => body.includes('>Case list</h1>') && body.includes('First page') },
  ];
  const helloBefore = await measureHello('hello-world (before)');
  const results: [string, Measurement][] = [];
  for (const page of pages) {
    const cookie = await signIn(webUrl);
    const sample = await fetch(`${webUrl}${page.path}`, { headers: { cookie } });
    const html = await sample.text();
    if (sample.status !== 200 || !page.isExpected(html)) throw new Error(`${page.label} (${page.path}) is not the page expected: ${sample.status} ${html.replace(/[\s\S]*<main/, '<main').slice(0, 600)}`);
    const rows = html.match(/<tr/g)?.length ?? 0;
    const result = await measure({ url: webUrl, connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds: SECONDS, page: { path: () => page.path, headers: { cookie } }, isExpected: page.isExpected, cpuSeconds: cpu });
    report(`${page.label} (${rows} rows)`, result);
    results.push([page.label, result]);
  }
  const helloAfter = await measureHello('hello-world (after)');

  log('');
  log(`| run | req/s | p50 ms | p99 ms |`);
  log(`| --- | --- | --- | --- |`);
  for (const [label, m] of [['hello-world (before)', helloBefore], ...results, ['hello-world (after)', helloAfter]] as const) {
    log(`| ${label} | ${fmt(m.perSecond)} | ${m.p50.toFixed(2)} | ${m.p99.toFixed(2)} |`);
  }
  log('');
  const referenceP99 = (helloBefore.p99 + helloAfter.p99) / 2;
  for (const [label, m] of results) {
    log(`${label}: p99 ${m.p99.toFixed(2)} ms (${(m.p99 / referenceP99).toFixed(1)} × the hello-world's ${referenceP99.toFixed(2)} ms); target p99 < ${TARGET_P99_MS} ms: ${m.p99 < TARGET_P99_MS ? 'met' : 'NOT met'}`);
  }
  log(`total ${seconds(performance.now() - started)}`);
}

runBenchmark('console benchmark', { maxMinutes: MAX_MINUTES, cleanUp }, main);
