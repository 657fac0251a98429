import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { eventStoreCheck, PostgresEventStore } from '@case-status/event-store';
import { checkReadiness } from '@case-status/http-support';
import { agencyKeys, agencyToken, signingKey } from '../testing/agency-tokens';
import { createIntakeApp } from './intake.app';
import { freePort } from '@case-status/http-support/testing';

describe('intake API while the database cannot be reached', () => {
  let app: NestFastifyApplication;
  let store: PostgresEventStore;
  let bearer: string;

  beforeAll(async () => {
    const key = await signingKey('USCIS');
    store = new PostgresEventStore(`postgres://postgres@127.0.0.1:${await freePort()}/case_status`);
    app = await createIntakeApp({ eventStore: store, agencyKeys: agencyKeys(key), logger: false });
    bearer = await agencyToken(key);
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

  it('is alive, and its readiness check names the database as down', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await checkReadiness([eventStoreCheck(store)]);
    expect(ready).toEqual({ status: 'error', info: {}, error: { database: { status: 'down', detail: 'cannot connect (Error ECONNREFUSED)' } }, details: { database: { status: 'down', detail: 'cannot connect (Error ECONNREFUSED)' } } });
  });
});
