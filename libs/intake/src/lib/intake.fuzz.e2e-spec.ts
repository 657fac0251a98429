import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { Pool } from 'pg';
import { AGENCIES, APPOINTMENT_KINDS, DOCUMENT_KINDS, REPRESENTATIVE_KINDS } from '@case-status/case-domain';
import { createPostgresEventStore, type EventStore } from '@case-status/event-store';
import { MAX_BATCH_SIZE, SUBMISSION_DATA_SCHEMAS, SUBMITTED_EVENT_TYPES } from '@case-status/intake-contract';
import { agencyKeys, agencyToken, signingKey } from '../testing/agency-tokens';
import { createIntakeApp } from './intake.app';

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';

/**
 * Property-based: random submissions, most of them almost valid (one field wrong, or a
 * lifecycle out of order), against the real intake app on real PostgreSQL. Run counts are
 * kept small so the file runs in seconds; fast-check prints the seed and the shrunk
 * counterexample of a failure, and `FUZZ_RUNS` asks for more.
 */
/**
 * The suite runs one fixed seed, so its outcome is the same on every run; `FUZZ_SEED=random`
 * (or another number) explores new inputs, and `FUZZ_RUNS` asks for more of them.
 */
const seed = process.env['FUZZ_SEED'] === 'random' ? undefined : Number(process.env['FUZZ_SEED'] ?? 20261205);
const runs = (usual: number) => ({ numRuns: Number(process.env['FUZZ_RUNS'] ?? usual), ...(seed === undefined ? {} : { seed }) });

const uscis = AGENCIES['USCIS'];
const junk = fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
/** Mostly a valid value; now and then a nearly valid one (`wrong`), or anything else. */
const mostly = <T>(valid: fc.Arbitrary<T>, ...wrong: unknown[]) =>
  fc.oneof({ weight: 24, arbitrary: valid as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: wrong.length ? fc.constantFrom(...wrong) : junk }, { weight: 1, arbitrary: junk });

/** Few receipt numbers, so events meet cases that exist; some of another agency's, some not receipt numbers at all. */
const receiptNumber = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 30 }).map((n) => `IOE09${String(n).padStart(8, '0')}`) },
  { weight: 1, arbitrary: fc.constantFrom('VBA-2026-0000001', 'ioe0900000001', ' IOE0900000001', 'IOE09000000', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
);
const text = fc.string({ minLength: 1, maxLength: 12 }).filter((t) => t.trim().length > 0);
const dateTime = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
const WRONG_DATE_TIMES = ['2026-02-30T10:00:00Z', '2026-01-05', '2026-01-05T10:00:00', 'yesterday'];
const office = fc.constantFrom(...uscis.offices.map((o) => o.code));
/** Per field, its valid values, and now and then a wrong one. */
const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
  formType: mostly(fc.constantFrom(...uscis.formTypes.map((f) => f.code)), 'I-999', ''),
  office: mostly(office, 'MOON', ' '),
  toOffice: mostly(office, 'MOON'),
  requestId: mostly(fc.constantFrom('RFE-1', 'RFE-2'), '', ' ', 'x'.repeat(101)),
  appointmentId: mostly(fc.constantFrom('APPT-1', 'APPT-2'), ''),
  documentId: mostly(fc.constantFrom('DOC-1', 'DOC-2'), ''),
  description: mostly(text, 'x'.repeat(2001)),
  reason: mostly(text, ''),
  dueDate: mostly(fc.constantFrom('2026-04-01', '2027-01-31'), '2026-02-30', '04/01/2026'),
  scheduledFor: mostly(dateTime, ...WRONG_DATE_TIMES),
  kind: mostly(fc.constantFrom(...APPOINTMENT_KINDS, ...DOCUMENT_KINDS, ...REPRESENTATIVE_KINDS), 'BIOMETRICS', 'nonsense'),
  outcome: mostly(fc.constantFrom('approved', 'denied', 'withdrawn'), 'maybe'),
  trackingNumber: mostly(text),
  representativeId: mostly(fc.constantFrom('G28-1', 'G28-2'), '', 'x'.repeat(101)),
  name: mostly(text, '', 'x'.repeat(201)),
  identity: mostly(
    fc.constantFrom({ email: 'rita.representative@example.org' }, { issuer: 'https://login.example.gov', subject: 'rita-1' }),
    { email: 'not an address' },
    { subject: 'no-issuer' },
    { email: 'rita.representative@example.org', password: 'x' },
  ),
  effectiveFrom: mostly(fc.constantFrom('2026-03-02', '2027-01-01'), '2026-02-30', '03/02/2026'),
  accessCodeHash: mostly(fc.constantFrom(`scrypt$16384$8$1$${'s'.repeat(22)}$${'h'.repeat(43)}`), `scrypt$1048576$8$1$${'s'.repeat(22)}$${'h'.repeat(43)}`, 'K7QM-4TXR-9HPA', 'x'.repeat(201)),
};
/** The fields each event type's data has (the contract's), so most data is complete and some has one too many. */
const DATA_FIELDS: Record<string, string[]> = Object.fromEntries(
  SUBMITTED_EVENT_TYPES.map((type) => [type, Object.keys((SUBMISSION_DATA_SCHEMAS[type] as unknown as { shape: Record<string, unknown> }).shape)]),
);
const dataFor = (type: unknown): fc.Arbitrary<unknown> => {
  const fields = typeof type === 'string' && DATA_FIELDS[type] ? DATA_FIELDS[type] : ['formType', 'office'];
  const data = fc.record(Object.fromEntries(fields.map((field) => [field, fieldValues[field]])), { requiredKeys: fields });
  return fc.oneof(
    { weight: 8, arbitrary: data },
    { weight: 1, arbitrary: fc.tuple(data, fc.constantFrom(...Object.keys(fieldValues)), junk).map(([d, key, value]) => ({ ...(d as object), [key]: value })) },
    { weight: 1, arbitrary: junk },
  );
};

/** One event, fields each mostly valid; `withReceipt` for batch items, which carry their receipt number. */
const submission = (withReceipt: boolean) =>
  mostly(fc.oneof({ weight: 1, arbitrary: fc.constant('CaseReceived') }, { weight: 2, arbitrary: fc.constantFrom(...SUBMITTED_EVENT_TYPES) }), 'caseReceived', 'CaseDeleted').chain((type) =>
    fc
      .tuple(
        fc.record({ eventId: mostly(fc.uuid({ version: 4 }), 'not-a-uuid', '00000000-0000-0000-0000-00000000000g'), type: fc.constant(type), occurredAt: mostly(dateTime, ...WRONG_DATE_TIMES), data: dataFor(type), receiptNumber }),
        // Now and then a condition on the revision, or a field the contract does not have.
        fc.oneof(
          { weight: 6, arbitrary: fc.constant({}) },
          { weight: 2, arbitrary: fc.record({ expectedRevision: fc.oneof(fc.integer({ min: -2, max: 4 }), fc.constantFrom('-1', '0', '99999999999999999999', '1.5')) }) },
          { weight: 1, arbitrary: fc.record({ stray: junk }) },
        ),
      )
      .map(([{ receiptNumber: receipt, ...event }, extra]) => ({ ...event, ...extra, ...(withReceipt ? { receiptNumber: receipt } : {}) })),
  );

/** A body that is not an event at all, now and then. */
const anyBody = fc.oneof({ weight: 9, arbitrary: submission(false) as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { field: string; reason: string }[];
}

describe('intake API under random submissions (property-based), on real PostgreSQL', () => {
  const schema = `intake_fuzz_${process.pid}_${Date.now()}`;
  let pool: Pool;
  let store: EventStore;
  let app: NestFastifyApplication;
  let bearer: string;

  const send = (method: 'POST', url: string, body: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
  const storedCopies = async (eventId: string) =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".events WHERE event_id = $1`, [eventId])).rows[0].n;

  /** A refusal is problem+json with its status, a stable code and the field it is about. */
  const expectNamedProblem = (problem: Problem, status: number) => {
    expect(problem).toMatchObject({ type: expect.stringMatching(/^\/problems\/[a-z-]+$/), title: expect.any(String), status, detail: expect.any(String), code: expect.stringMatching(/^[A-Z_]+$/) });
    expect(problem.errors?.length).toBeGreaterThan(0);
    for (const error of problem.errors ?? []) expect(error).toEqual({ field: expect.stringMatching(/^\//), reason: expect.any(String) });
  };

  beforeAll(async () => {
    pool = new Pool({ connectionString: databaseUrl, max: 8 });
    store = await createPostgresEventStore({ connection: pool, schema });
    const key = await signingKey('USCIS');
    // Rate limits are tested on their own; here they would only cut the runs short.
    app = await createIntakeApp({ eventStore: store, agencyKeys: agencyKeys(key), rateLimit: false, logger: false });
    bearer = await agencyToken(key);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
    await store?.close();
    await pool?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool?.end();
  }, 30_000);

  it('answers every single submission without a 500, refuses with a problem naming the field, and records an accepted event once however often it is sent', async () => {
    await fc.assert(
      fc.asyncProperty(receiptNumber, anyBody, async (receipt, body) => {
        const res = await send('POST', `/v1/cases/${encodeURIComponent(receipt)}/events`, body);
        expect(res.statusCode).toBeLessThan(500);
        // A path without a receipt number (or one longer than Fastify matches, or a "." or ".."
        // segment, which the URL resolves away) is no route at all.
        const noRoute = receipt === '' || receipt === '.' || receipt === '..' || encodeURIComponent(receipt).length > 100;
        expect(res.statusCode === 404).toBe(noRoute);
        if (noRoute) return expect(res.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
        if (res.statusCode !== 201) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expectNamedProblem(res.json<Problem>(), res.statusCode);
          return;
        }
        const replay = await send('POST', `/v1/cases/${encodeURIComponent(receipt)}/events`, body);
        expect(replay.statusCode).toBe(201);
        expect(replay.headers['idempotent-replayed']).toBe('true');
        expect(replay.json()).toEqual(res.json());
        expect(await storedCopies(res.json<{ eventId: string }>().eventId)).toBe(1);
      }),
      runs(300),
    );
  }, 60_000);

  it('answers every batch without a 500, item by item, and keeps what it accepted the same when the batch is sent again', async () => {
    const batchBody = fc.oneof(
      { weight: 9, arbitrary: fc.array(submission(true), { minLength: 1, maxLength: 12 }).map((events) => ({ events }) as unknown) },
      { weight: 1, arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant({ events: [] }), fc.record({ events: junk })) },
    );
    await fc.assert(
      fc.asyncProperty(batchBody, async (body) => {
        const res = await send('POST', '/v1/events/batch', body);
        expect(res.statusCode).toBeLessThan(500);
        if (res.statusCode !== 200) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          expectNamedProblem(res.json<Problem>(), res.statusCode);
          return;
        }
        const events = (body as { events: unknown[] }).events;
        expect(events.length).toBeLessThanOrEqual(MAX_BATCH_SIZE);
        const answer = res.json<{ recorded: number; refused: number; results: ({ index: number; status: number; eventId?: string; problem?: Problem } & Record<string, unknown>)[] }>();
        expect(answer.results.map((r) => r.index)).toEqual(events.map((_, i) => i));
        expect(answer.recorded + answer.refused).toBe(events.length);
        for (const result of answer.results) if (result.problem) expectNamedProblem(result.problem, result.status);

        const again = (await send('POST', '/v1/events/batch', body)).json<typeof answer>();
        const accepted = answer.results.filter((r) => r.status === 201);
        for (const first of accepted) expect(again.results[first.index]).toEqual(first);
        for (const eventId of new Set(accepted.map((r) => r.eventId as string))) expect(await storedCopies(eventId)).toBe(1);
      }),
      runs(80),
    );
  }, 60_000);
});
