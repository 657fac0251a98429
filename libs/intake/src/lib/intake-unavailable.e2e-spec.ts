import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { PostgresEventStore } from '@case-status/event-store';
import { INTAKE_AUDIENCE } from './agency-auth';
import { createIntakeApp } from './intake.app';

/** A loopback port nobody listens on: connecting to it is refused, as while PostgreSQL restarts. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('intake API while the database cannot be reached', () => {
  let app: NestFastifyApplication;
  let store: PostgresEventStore;
  let bearer: string;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'uscis-1', alg: 'ES256', use: 'sig' };
    const issuer = 'https://login.uscis.example';
    store = new PostgresEventStore(`postgres://postgres@127.0.0.1:${await closedPort()}/case_status`);
    app = await createIntakeApp({ eventStore: store, agencyKeys: { USCIS: { issuers: [issuer], jwks: { keys: [jwk] } } }, logger: false });
    bearer = await new SignJWT({ agency: 'USCIS', scope: 'intake:write intake:read' })
      .setProtectedHeader({ alg: 'ES256', kid: 'uscis-1' })
      .setSubject('adjudication-system-1')
      .setIssuer(issuer)
      .setAudience(INTAKE_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
  });

  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('answers 503 problem+json with Retry-After, naming no database detail', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/cases/IOE0912345678/events',
      headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      payload: { eventId: randomUUID(), type: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', data: { formType: 'I-130', office: 'NBC' } },
    });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['retry-after']).toBe('5');
    const problem = res.json();
    expect(problem).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 5, type: '/problems/service-unavailable' });
    expect(problem.detail).toContain('same event ids');
    expect(res.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|connect|postgres/i);
  });

  it('is alive but not ready, naming the database as down', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'error', info: {}, error: { database: { status: 'down', detail: 'cannot connect (Error ECONNREFUSED)' } }, details: { database: { status: 'down', detail: 'cannot connect (Error ECONNREFUSED)' } } });
  });
});
