import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { startPlatform, type Platform } from '@case-status/platform';
import { simulate, type SimulatedEvent, type SimulationConfig } from '@case-status/agency-simulator';
import { AgencyTokens, SIMULATED_ISSUER, live, loadPrivateJwks, postEvents, seed, type PostResult } from './intake-client';

const DAY = 86_400_000;

/** The simulator against the real one-process platform: signed tokens, batches, GraphQL. */
describe('agency simulator against the platform', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agency-simulator-e2e-'));
  let platform: Platform;
  let privateJwks: Record<string, JWK>;
  const now = Date.now();
  const simulation: Omit<SimulationConfig, 'end' | 'speedUp'> = {
    seed: 'e2e',
    casesPerDay: 0.5,
    start: new Date(now - 90 * DAY).toISOString(),
    initialBacklogDays: 10,
  };
  let seeded: SimulatedEvent[];

  const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const response = await fetch(`${platform.statusUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    if (body.errors || !body.data) throw new Error(`GraphQL answered ${JSON.stringify(body.errors)}`);
    return body.data;
  };
  const eventually = async <T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> => {
    for (let attempt = 0; attempt < 300; attempt++) {
      // A case not projected yet is NOT_FOUND: keep waiting for it.
      const value = await read().catch((error: Error) => {
        if (error.message.includes('"NOT_FOUND"')) return undefined;
        throw error;
      });
      if (value !== undefined && done(value)) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`never saw ${what}`);
  };

  beforeAll(async () => {
    privateJwks = {};
    const agencyKeys: Record<string, { issuers: string[]; jwks: { keys: JWK[] } }> = {};
    for (const agency of ['USCIS', 'VBA']) {
      const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
      privateJwks[agency] = { ...(await exportJWK(privateKey)), kid: `${agency}-e2e`, alg: 'ES256' };
      agencyKeys[agency] = { issuers: [SIMULATED_ISSUER.replaceAll('{agency}', agency)], jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: `${agency}-e2e`, alg: 'ES256' }] } };
    }
    platform = await startPlatform({ dataDir, intakePort: 0, statusPort: 0, linksPort: 0, agencyKeys, notifications: { outboxDir: join(dataDir, 'outbox') }, logger: false });
    seeded = simulate({ ...simulation, end: new Date(now).toISOString() });
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 15_000);

  it('seeds about a hundred cases of both agencies, every event accepted, visible through GraphQL', async () => {
    const progress: number[] = [];
    const result = await seed({ intakeUrl: platform.intakeUrl, tokens: new AgencyTokens(privateJwks), now: () => now, simulation, onProgress: (p) => progress.push(p.posted) });
    const received = seeded.filter((event) => event.type === 'CaseReceived');
    expect(received.length).toBeGreaterThan(70);
    expect(received.length).toBeLessThan(150);
    expect(new Set(received.map((event) => event.agency))).toEqual(new Set(['USCIS', 'VBA']));
    expect(result.refusals).toEqual([]);
    expect(result.events).toBe(seeded.length);
    expect(result.recorded).toBe(seeded.length);
    expect(progress[progress.length - 1]).toBe(seeded.length);
    process.stdout.write(`seeded ${result.events} events (${received.length} cases) in ${result.seconds.toFixed(2)} s: ${Math.round(result.events / result.seconds)} events/s\n`);

    // A case of each agency with the longest history shows all of it.
    for (const agency of ['USCIS', 'VBA']) {
      const counts = new Map<string, number>();
      for (const event of seeded) if (event.agency === agency) counts.set(event.receiptNumber, (counts.get(event.receiptNumber) ?? 0) + 1);
      const [receipt, count] = [...counts].sort((a, b) => b[1] - a[1])[0];
      const shown = await eventually(
        () => graphql<{ caseStatus: { statusCode: string; history: { eventType: string }[] } | null }>('query ($r: String!) { caseStatus(receiptNumber: $r) { statusCode history { eventType } } }', { r: receipt }),
        (data) => (data.caseStatus?.history.length ?? 0) >= count,
        `the whole history of ${receipt}`,
      );
      expect(shown.caseStatus?.history[0].eventType).toBe('CaseReceived');
      expect(shown.caseStatus?.history).toHaveLength(count);
    }

    // The example cases `npm start` prints: a pending USCIS case and a decided VBA case, both shown.
    expect(result.examples.map((c) => [c.agency, c.decided])).toEqual([
      ['USCIS', false],
      ['VBA', true],
    ]);
    // Each was mailed an online access code (AccessCodeIssued, accepted by the intake), to link it on "My cases".
    expect(result.examples.map((c) => c.accessCode)).toEqual([expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/), expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)]);
    for (const example of result.examples) {
      const shown = await eventually(
        () =>
          graphql<{ caseStatus: { history: unknown[] } | null }>('query ($r: String!) { caseStatus(receiptNumber: $r) { history { eventType } } }', { r: example.receiptNumber }),
        (data) => (data.caseStatus?.history.length ?? 0) >= example.events,
        `the example case ${example.receiptNumber}`,
      );
      expect(shown.caseStatus?.history).toHaveLength(example.events);
    }

    // The cohort with the most decisions on cases never transferred.
    const transferred = new Set(seeded.filter((event) => event.type === 'CaseTransferred').map((event) => event.receiptNumber));
    const cohortOf = new Map(received.map((event) => [event.receiptNumber, { agency: event.agency, formType: String(event.data['formType']), office: String(event.data['office']) }]));
    const decided = new Map<string, number>();
    for (const event of seeded) {
      if (event.type !== 'DecisionIssued' || transferred.has(event.receiptNumber)) continue;
      const cohort = cohortOf.get(event.receiptNumber);
      if (cohort) decided.set(JSON.stringify(cohort), (decided.get(JSON.stringify(cohort)) ?? 0) + 1);
    }
    const cohort = JSON.parse([...decided].sort((a, b) => b[1] - a[1])[0][0]) as Record<string, string>;
    const times = await eventually(
      () => graphql<{ processingTimes: { completedCount: number; medianDays: number | null } }>(
        'query ($a: String!, $f: String!, $o: String!) { processingTimes(agency: $a, formType: $f, office: $o, windowMonths: 6) { completedCount medianDays } }',
        { a: cohort['agency'], f: cohort['formType'], o: cohort['office'] },
      ),
      (data) => data.processingTimes.completedCount > 0,
      `completed cases in ${JSON.stringify(cohort)}`,
    );
    expect(times.processingTimes.medianDays).not.toBeNull();
  }, 40_000);

  it('reports refusals with their problem codes instead of hiding them', async () => {
    const first = seeded.find((event) => event.type === 'CaseReceived');
    if (!first) throw new Error('no case was seeded');
    const again: SimulatedEvent = { ...first, eventId: randomUUID() };
    const result = await postEvents([again], { intakeUrl: platform.intakeUrl, tokens: new AgencyTokens(privateJwks) });
    expect(result.recorded).toBe(0);
    expect(result.refusals).toEqual([expect.objectContaining({ eventId: again.eventId, status: 409, code: 'TRANSITION_FORBIDDEN' })]);
  }, 10_000);

  it('fails a batch loudly when the intake does not accept the token', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const stranger = new AgencyTokens({ USCIS: { ...(await exportJWK(privateKey)), kid: 'USCIS-e2e', alg: 'ES256' } });
    await expect(postEvents(seeded.filter((event) => event.agency === 'USCIS').slice(0, 1), { intakeUrl: platform.intakeUrl, tokens: stranger })).rejects.toThrow(/answered 401/);
    const otherIssuer = new AgencyTokens(privateJwks, { issuer: 'https://login.{agency}.example' });
    await expect(postEvents(seeded.filter((event) => event.agency === 'USCIS').slice(0, 1), { intakeUrl: platform.intakeUrl, tokens: otherIssuer })).rejects.toThrow(/answered 401/);
    await expect(new AgencyTokens(privateJwks).token('FBI')).rejects.toThrow('No private key for agency FBI');
  }, 10_000);

  it('keeps a live trickle going: events are posted as their simulated time comes', async () => {
    const posted: PostResult[] = [];
    const errors: Error[] = [];
    const handle = live({
      intakeUrl: platform.intakeUrl,
      tokens: new AgencyTokens(privateJwks),
      now: Date.now,
      simulation: { seed: 'e2e-live', casesPerDay: 2, speedUp: 50_000 },
      horizonMs: 5_000,
      tickMs: 100,
      onPosted: (result) => posted.push(result),
      onError: (error) => errors.push(error),
    });
    try {
      await eventually(async () => posted.reduce((sum, result) => sum + result.recorded, 0), (recorded) => recorded >= 10, 'ten live events recorded');
    } finally {
      await handle.stop();
    }
    expect(errors).toEqual([]);
    expect(posted.flatMap((result) => result.refusals)).toEqual([]);
  }, 20_000);

  it('loads private keys from the directory npm start writes, or says what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agency-keys-'));
    try {
      writeFileSync(join(dir, 'USCIS.private.jwk.json'), JSON.stringify(privateJwks['USCIS']));
      expect(Object.keys(loadPrivateJwks(dir))).toEqual(['USCIS']);
      writeFileSync(join(dir, 'keys.json'), '{not json');
      expect(() => loadPrivateJwks(join(dir, 'keys.json'))).toThrow(/keys\.json is not JSON/);
      expect(() => loadPrivateJwks(join(dir, 'missing'))).toThrow(/does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
