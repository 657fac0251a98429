import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import type { SimulatedEvent } from '@case-status/agency-simulator';
import { AgencyTokens, postEvents } from './intake-client';

describe('posting events to the intake', () => {
  const event = (): SimulatedEvent =>
    ({ agency: 'USCIS', receiptNumber: 'IOE0900000001', eventId: randomUUID(), type: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', data: { formType: 'I-130', office: 'NBC' } }) as SimulatedEvent;

  it('sends a batch refused by the rate limit again after the Retry-After the intake asked for', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const tokens = new AgencyTokens({ USCIS: { ...(await exportJWK(privateKey)), kid: 'k', alg: 'ES256' } });
    const answers = [
      new Response(JSON.stringify({ status: 429, code: 'RATE_LIMITED' }), { status: 429, headers: { 'retry-after': '7' } }),
      new Response(JSON.stringify({ results: [{ index: 0, status: 201 }] }), { status: 200 }),
    ];
    const bodies: string[] = [];
    const waits: number[] = [];
    const result = await postEvents([event()], {
      intakeUrl: 'http://intake.test',
      tokens,
      fetch: async (_url, init) => {
        bodies.push(String(init?.body));
        return answers.shift() as Response;
      },
      sleep: async (ms) => void waits.push(ms),
    });
    expect(waits).toEqual([7000]);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(result.recorded).toBe(1);
  });
});
