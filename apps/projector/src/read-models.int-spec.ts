import { caseReadModels, InvalidQueryArgumentError, PostgresCaseStatusChangeFeed, PostgresReadModels, type CaseStatusChanged } from '@case-status/read-models';
import { ProjectionRunner, rebuildLockKey, rebuildProjection } from '@case-status/projection-runner';
import type { PostgresEventStore } from '@case-status/event-store';
import { append, connectionString, dropSchemas, ev, newStore, Pool, received, snapshotTables, uniqueSchema } from './read-model-test-kit';

jest.setTimeout(30_000);

const pool = new Pool({ connectionString, max: 10 });
const prefix = uniqueSchema('q');

afterAll(async () => {
  await dropSchemas(pool, prefix);
  await pool.end();
});

let counter = 0;
/** A fresh store and read-model schema per test, so row counts are exact. */
async function setup(batchSize = 500) {
  const id = ++counter;
  const store = await newStore(pool, `${prefix}_es${id}`);
  const schema = `${prefix}_rm${id}`;
  const projector = new ProjectionRunner(caseReadModels, { pool, source: store, schema, batchSize });
  await projector.init();
  const queries = new PostgresReadModels({ connection: pool, schema });
  return { store, schema, projector, queries };
}

const day = (d: string) => `${d}T09:00:00Z`;

describe('case status', () => {
  it('shows status code, bilingual texts, open evidence requests and appointments', async () => {
    const { store, projector, queries } = await setup();
    await append(store, 'IOE0000000001', [
      received('IOE0000000001', day('2026-01-05')),
      ev({ type: 'AppointmentScheduled', data: { appointmentId: 'bio', kind: 'biometrics', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' } }, day('2026-01-06')),
      ev({ type: 'EvidenceRequested', data: { requestId: 'rfe-1', dueDate: '2026-03-15', description: 'Birth certificate' } }, day('2026-01-07')),
    ]);
    await projector.catchUp();

    const status = await queries.caseStatus('IOE0000000001');
    expect(status).toEqual({
      agency: 'USCIS',
      receiptNumber: 'IOE0000000001',
      formType: 'I-485',
      office: 'NBC',
      step: 'evidence',
      statusCode: 'EVIDENCE_REQUESTED',
      statusText: {
        en: 'We asked you for more evidence. The request we mailed you says what to send and by when.',
        es: 'Le pedimos más pruebas. La solicitud que le enviamos por correo indica qué debe mandar y para cuándo.',
      },
      nextStep: expect.objectContaining({ en: expect.stringContaining('before the due date'), es: expect.stringContaining('fecha límite') }),
      receivedAt: day('2026-01-05'),
      lastChangedAt: day('2026-01-07'),
      decision: null,
      openEvidenceRequests: [{ requestId: 'rfe-1', dueDate: '2026-03-15', requestedAt: day('2026-01-07') }],
      upcomingAppointments: [{ kind: 'biometrics', scheduledFor: '2026-02-10T13:00:00-05:00', office: 'NYC' }],
      revision: '2',
    });
    expect(await queries.caseStatus('IOE9999999999')).toBeNull();
    expect(await queries.caseHistory('IOE9999999999')).toEqual([]);
  });

  it('shows the decision and drops the moot evidence request', async () => {
    const { store, projector, queries } = await setup();
    await append(store, 'IOE0000000002', [
      received('IOE0000000002', day('2026-01-05')),
      ev({ type: 'EvidenceRequested', data: { requestId: 'rfe-1', dueDate: '2026-03-15', description: 'x' } }, day('2026-01-07')),
      ev({ type: 'DecisionIssued', data: { outcome: 'denied' } }, day('2026-02-01')),
    ]);
    await projector.catchUp();
    expect(await queries.caseStatus('IOE0000000002')).toMatchObject({
      statusCode: 'CASE_DENIED',
      step: 'decided',
      statusText: { en: 'We denied your Form I-485.', es: 'Denegamos su Formulario I-485.' },
      decision: { outcome: 'denied', decidedAt: day('2026-02-01') },
      openEvidenceRequests: [],
      lastChangedAt: day('2026-02-01'),
    });
  });
});

describe('case history and late facts', () => {
  it('orders the timeline by business time, then revision, whatever order events were recorded in', async () => {
    const { store, projector, queries } = await setup();
    const r = 'IOE0000000003';
    await append(store, r, [
      received(r, day('2026-01-05')),
      ev({ type: 'AppointmentScheduled', data: { appointmentId: 'bio', kind: 'biometrics', scheduledFor: '2026-01-20T13:00:00Z', office: 'NYC' } }, day('2026-01-06')),
      ev({ type: 'CaseReviewStarted', data: {} }, day('2026-01-25')),
    ]);
    await projector.catchUp();
    // Reported late: attended on the 20th, after review had been recorded as starting on the 25th.
    await append(store, r, [ev({ type: 'AppointmentAttended', data: { appointmentId: 'bio' } }, day('2026-01-20'))]);
    await append(store, r, [ev({ type: 'CaseTransferred', data: { fromOffice: 'NBC', toOffice: 'CSC' } }, day('2026-01-25'))]);
    await projector.catchUp();

    const history = await queries.caseHistory(r);
    expect(history.map((entry) => [entry.eventType, entry.occurredAt])).toEqual([
      ['CaseReceived', day('2026-01-05')],
      ['AppointmentScheduled', day('2026-01-06')],
      ['AppointmentAttended', day('2026-01-20')],
      ['CaseReviewStarted', day('2026-01-25')],
      ['CaseTransferred', day('2026-01-25')], // same time as the review: revision decides
    ]);
    expect(history[2]).toMatchObject({ step: 'in_review', title: { en: 'Appointment attended', es: 'Asistió a la cita' } });
    expect(history[1].title).toEqual({ en: 'Biometrics appointment scheduled', es: 'Cita de datos biométricos programada' });
    expect(history.every((entry) => /^[0-9a-f-]{36}$/.test(entry.eventId))).toBe(true);
  });

  it('measures a decision dated before an already projected event from its own business time', async () => {
    const { store, projector, queries } = await setup();
    const r = 'IOE0000000004';
    await append(store, r, [received(r, day('2026-01-05')), ev({ type: 'CaseReviewStarted', data: {} }, day('2026-03-01'))]);
    await projector.catchUp();
    await append(store, r, [ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, day('2026-02-04'))]);
    await projector.catchUp();

    expect((await queries.caseHistory(r)).map((entry) => entry.eventType)).toEqual(['CaseReceived', 'DecisionIssued', 'CaseReviewStarted']);
    expect(await queries.caseStatus(r)).toMatchObject({ statusCode: 'CASE_APPROVED', lastChangedAt: day('2026-02-04'), decision: { decidedAt: day('2026-02-04') } });
    const times = await queries.processingTimes({ agency: 'USCIS', formType: 'I-485', office: 'NBC' }, { asOf: new Date('2026-02-10T00:00:00Z'), windowDays: 30 });
    expect(times).toMatchObject({ completedCount: 1, medianDays: 30, p80Days: 30, p93Days: 30, pendingCount: 0 });
  });
});

describe('cohort statistics', () => {
  const cohort = { agency: 'USCIS', formType: 'I-485', office: 'NBC' };

  it('gives median, 80th and 93rd percentile of cases decided in the window, and the pending count', async () => {
    const { store, projector, queries } = await setup(7); // several batches
    // Ten cases received on Jan 1 and decided after 10..100 days, one decided long before the window, three pending.
    for (let i = 1; i <= 10; i++) {
      const r = `IOE10000000${String(i).padStart(2, '0')}`;
      const decided = new Date(Date.parse('2026-01-01T09:00:00Z') + i * 10 * 86_400_000).toISOString().replace('.000Z', 'Z');
      await append(store, r, [received(r, day('2026-01-01')), ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, decided)]);
    }
    await append(store, 'IOE2000000001', [received('IOE2000000001', day('2025-01-01')), ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, day('2025-02-01'))]);
    for (let i = 1; i <= 3; i++) await append(store, `IOE300000000${i}`, [received(`IOE300000000${i}`, day(`2026-0${i}-01`))]);
    await append(store, 'IOE3000000009', [received('IOE3000000009', day('2026-01-02'), { office: 'CSC' })]); // another cohort
    await projector.catchUp();

    const times = await queries.processingTimes(cohort, { asOf: new Date('2026-06-30T12:00:00Z'), windowDays: 180 });
    expect(times).toEqual({
      cohort,
      windowStart: '2026-01-02',
      windowEnd: '2026-06-30',
      completedCount: 10,
      medianDays: 50,
      p80Days: 80,
      p93Days: 100,
      pendingCount: 3,
    });
    // A window that ends before some receipts counts only what was pending by then.
    expect(await queries.processingTimes(cohort, { asOf: new Date('2026-02-15T00:00:00Z'), windowDays: 30 })).toMatchObject({
      windowStart: '2026-01-17',
      completedCount: 3, // decided Jan 21, Jan 31, Feb 10
      medianDays: 30,
      pendingCount: 2,
    });
    expect(await queries.processingTimes({ ...cohort, office: 'XXX' }, { asOf: new Date('2026-06-30T00:00:00Z'), windowDays: 180 })).toMatchObject({
      completedCount: 0,
      medianDays: null,
      p93Days: null,
      pendingCount: 0,
    });
  });

  it('keeps backlog aging buckets per form and office, moving a case on transfer and decision', async () => {
    const { store, projector, queries } = await setup();
    const asOf = new Date('2026-12-31T12:00:00Z');
    const receipts: [string, string, string][] = [
      ['IOE4000000001', '2026-12-20', 'I-485'], // 11 days
      ['IOE4000000002', '2026-12-01', 'I-485'], // 30 days
      ['IOE4000000003', '2026-10-01', 'I-485'], // 91 days
      ['IOE4000000004', '2026-07-04', 'I-485'], // 180 days
      ['IOE4000000005', '2026-01-01', 'I-485'], // 364 days
      ['IOE4000000006', '2025-06-01', 'I-485'], // over a year
      ['IOE4000000007', '2026-11-01', 'I-130'],
    ];
    for (const [r, date, formType] of receipts) await append(store, r, [received(r, day(date), { formType })]);
    await projector.catchUp();
    await append(store, 'IOE4000000002', [ev({ type: 'CaseTransferred', data: { fromOffice: 'NBC', toOffice: 'CSC' } }, day('2026-12-05'))]);
    await append(store, 'IOE4000000007', [ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, day('2026-12-10'))]);
    await projector.catchUp();

    expect(await queries.backlog({ agency: 'USCIS' }, asOf)).toEqual([
      {
        agency: 'USCIS',
        formType: 'I-485',
        office: 'CSC',
        pendingCount: 1,
        aging: { upTo30: 1, upTo90: 0, upTo180: 0, upTo365: 0, over365: 0 },
        oldestReceivedAt: day('2026-12-01'),
      },
      {
        agency: 'USCIS',
        formType: 'I-485',
        office: 'NBC',
        pendingCount: 5,
        aging: { upTo30: 1, upTo90: 0, upTo180: 2, upTo365: 1, over365: 1 },
        oldestReceivedAt: day('2025-06-01'),
      },
    ]);
    expect(await queries.backlog({ agency: 'USCIS', office: 'CSC' }, asOf)).toHaveLength(1);
    expect(await queries.backlog({ agency: 'USCIS', formType: 'I-130' }, asOf)).toEqual([]);
    // As of mid-2026 the December receipts were not pending yet.
    expect((await queries.backlog({ agency: 'USCIS', office: 'NBC' }, new Date('2026-07-04T00:00:00Z')))[0]).toMatchObject({
      pendingCount: 3, // received 2026-07-04 (0 days), 2026-01-01 (184 days), 2025-06-01
      aging: { upTo30: 1, upTo90: 0, upTo180: 0, upTo365: 1, over365: 1 },
    });
  });
});

describe('listCases', () => {
  it('pages in receipt-time order with opaque cursors, ties broken by receipt number, and filters', async () => {
    const { store, projector, queries } = await setup();
    const cases: [string, string, { formType?: string; office?: string }][] = [
      ['IOE5000000003', '2026-01-02', {}],
      ['IOE5000000001', '2026-01-02', {}],
      ['IOE5000000002', '2026-01-01', { office: 'CSC' }],
      ['IOE5000000004', '2026-01-03', { formType: 'I-130' }],
      ['IOE5000000005', '2026-01-04', {}],
    ];
    for (const [r, date, cohort] of cases) await append(store, r, [received(r, day(date), cohort)]);
    await append(store, 'IOE5000000005', [ev({ type: 'CaseReviewStarted', data: {} }, day('2026-01-05'))]);
    await append(store, 'VBA-2026-0000001', [received('VBA-2026-0000001', day('2026-01-01'), { agency: 'VBA', formType: '21-526EZ', office: 'RO301' })], 'any', 'VBA');
    await projector.catchUp();

    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await queries.listCases({ agency: 'USCIS' }, { first: 2, after });
      seen.push(...page.edges.map((edge) => edge.node.receiptNumber));
      if (!page.pageInfo.hasNextPage) {
        expect(page.pageInfo.endCursor).toBe(page.edges[page.edges.length - 1].cursor);
        break;
      }
      after = page.pageInfo.endCursor ?? undefined;
    }
    expect(seen).toEqual(['IOE5000000002', 'IOE5000000001', 'IOE5000000003', 'IOE5000000004', 'IOE5000000005']);

    const receipts = async (filter: object) =>
      (await queries.listCases({ agency: 'USCIS', ...filter }, { first: 10 })).edges.map((edge) => edge.node.receiptNumber);
    expect(await receipts({ formType: 'I-485', office: 'NBC' })).toEqual(['IOE5000000001', 'IOE5000000003', 'IOE5000000005']);
    expect(await receipts({ statusCode: 'CASE_IN_REVIEW' })).toEqual(['IOE5000000005']);
    expect(await receipts({ receivedFrom: '2026-01-02', receivedTo: '2026-01-03' })).toEqual(['IOE5000000001', 'IOE5000000003', 'IOE5000000004']);
    expect(await receipts({ receivedTo: day('2026-01-02') })).toEqual(['IOE5000000002', 'IOE5000000001', 'IOE5000000003']);
    expect((await queries.listCases({ agency: 'VBA' }, { first: 10 })).edges.map((edge) => edge.node.receiptNumber)).toEqual(['VBA-2026-0000001']);
    expect(await queries.listCases({ agency: 'NOPE' }, { first: 10 })).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('refuses bad arguments with an error naming them', async () => {
    const { queries } = await setup();
    const refusal = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);
    const cases: [Promise<unknown>, string][] = [
      [queries.listCases({ agency: 'USCIS' }, { first: 0 }), 'first'],
      [queries.listCases({ agency: 'USCIS' }, { first: 101 }), 'first'],
      [queries.listCases({ agency: 'USCIS' }, { first: 5, after: 'garbage!' }), 'after'],
      [queries.listCases({ agency: 'USCIS', statusCode: 'DONE' as never }, { first: 5 }), 'statusCode'],
      [queries.listCases({ agency: 'USCIS', receivedFrom: '2026-13-01' }, { first: 5 }), 'receivedFrom'],
      [queries.listCases({ agency: '' }, { first: 5 }), 'agency'],
      [queries.processingTimes({ agency: 'USCIS', formType: 'I-485', office: 'NBC' }, { asOf: new Date('x'), windowDays: 180 }), 'asOf'],
      [queries.processingTimes({ agency: 'USCIS', formType: 'I-485', office: 'NBC' }, { asOf: new Date(), windowDays: 0 }), 'windowDays'],
      [queries.backlog({ agency: 'USCIS', office: '' }, new Date()), 'office'],
      [queries.caseStatus(''), 'receiptNumber'],
    ];
    for (const [promise, argument] of cases) {
      const error = await refusal(promise);
      expect(error).toBeInstanceOf(InvalidQueryArgumentError);
      expect(error).toMatchObject({ argument, code: 'INVALID_QUERY_ARGUMENT' });
    }
  });
});

describe('exactly once in effect', () => {
  async function lifecycleStore(store: PostgresEventStore) {
    for (let i = 1; i <= 12; i++) {
      const r = `IOE60000000${String(i).padStart(2, '0')}`;
      await append(store, r, [received(r, day(`2026-01-${String(i).padStart(2, '0')}`))]);
      if (i % 2 === 0) await append(store, r, [ev({ type: 'DecisionIssued', data: { outcome: 'approved' } }, day('2026-02-15'))]);
      if (i % 3 === 0) await append(store, r, [ev({ type: 'CaseTransferred', data: { fromOffice: 'NBC', toOffice: 'TSC' } }, day('2026-02-20'))]).catch(() => undefined);
      if (i % 4 === 0) await append(store, r, [ev({ type: 'CaseReopened', data: { reason: 'motion' } }, day('2026-03-01'))]);
    }
  }

  it('ignores replayed events: a checkpoint reset re-reads everything and changes no count', async () => {
    const { store, schema, projector } = await setup(5);
    await lifecycleStore(store);
    await projector.catchUp();
    const before = await snapshotTables(pool, schema);

    await pool.query(`UPDATE "${schema}".checkpoint SET position = '0:0'`);
    const replay = new ProjectionRunner(caseReadModels, { pool, source: store, schema, batchSize: 3 });
    await replay.init();
    expect(await replay.catchUp()).toBeGreaterThan(20);

    const after = await snapshotTables(pool, schema);
    expect(after.case_status).toEqual(before.case_status);
    expect(after.case_history).toEqual(before.case_history);
    expect(after.cohort_completed).toEqual(before.cohort_completed);
    expect(after.cohort_pending).toEqual(before.cohort_pending);
    expect(after.cohort_pending.reduce((sum: number, row) => sum + (row as { cases: number }).cases, 0)).toBe(9); // 6 never decided + 3 reopened
  });

  it('lets two projectors race on one schema without double counting, and matches a rebuild', async () => {
    const { store, schema } = await setup();
    await lifecycleStore(store);
    const one = new ProjectionRunner(caseReadModels, { pool, source: store, schema, batchSize: 2 });
    const two = new ProjectionRunner(caseReadModels, { pool, source: store, schema, batchSize: 3 });
    await Promise.all([one.init(), two.init()]);
    await Promise.all([one.catchUp(), two.catchUp()]);

    const rebuilt = `${schema}_cmp`;
    await rebuildProjection(caseReadModels, { pool, source: store, schema: rebuilt, batchSize: 4 });
    expect(await snapshotTables(pool, schema)).toEqual(await snapshotTables(pool, rebuilt));
  });
});

describe('rebuild', () => {
  it('swaps a complete new model in while the live one keeps answering, and drops the old one', async () => {
    const { store, schema, projector, queries } = await setup();
    await append(store, 'IOE7000000001', [received('IOE7000000001', day('2026-01-05'))]);
    await projector.catchUp();
    // Corrupt the live model, as a bug fixed since would have: the rebuild must not carry it over.
    await pool.query(`UPDATE "${schema}".case_status SET status_code = 'CASE_CLOSED'`);
    await pool.query(`UPDATE "${schema}".cohort_pending SET cases = 40`);
    await append(store, 'IOE7000000002', [received('IOE7000000002', day('2026-01-06'))]);

    const result = await rebuildProjection(caseReadModels, { pool, source: store, schema, batchSize: 1, now: () => new Date(1_800_000_000_000) });
    expect(result).toMatchObject({ events: 2, replaced: true, buildSchema: `${schema}_build_1800000000000` });
    expect((await pool.query(`SELECT count(*)::int AS cases FROM "${schema}".case_status`)).rows).toEqual([{ cases: 2 }]);
    expect((await queries.caseStatus('IOE7000000001'))?.statusCode).toBe('CASE_RECEIVED');
    expect((await queries.processingTimes({ agency: 'USCIS', formType: 'I-485', office: 'NBC' }, { asOf: new Date('2026-02-01T00:00:00Z'), windowDays: 30 })).pendingCount).toBe(2);
    const { rows } = await pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1 ORDER BY 1`, [`${schema}%`]);
    expect(rows.map((row) => row.nspname)).toEqual([schema]);

    // The live projector notices the swap and carries on from the rebuilt checkpoint.
    await append(store, 'IOE7000000003', [received('IOE7000000003', day('2026-01-07'))]);
    await projector.catchUp();
    expect((await queries.processingTimes({ agency: 'USCIS', formType: 'I-485', office: 'NBC' }, { asOf: new Date('2026-02-01T00:00:00Z'), windowDays: 30 })).pendingCount).toBe(3);
  });

  it('refuses a second rebuild of the same schema while one runs', async () => {
    const { store, schema } = await setup();
    const holder = await pool.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [rebuildLockKey(schema)]);
      await expect(rebuildProjection(caseReadModels, { pool, source: store, schema })).rejects.toThrow(`a rebuild of ${schema} is already running`);
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
  });
});

describe('status change feed', () => {
  it('delivers committed changes and nothing for a rolled-back batch', async () => {
    const { store, schema } = await setup();
    const feed = new PostgresCaseStatusChangeFeed({ connection: connectionString, schema });
    const changes: CaseStatusChanged[] = [];
    let arrived: () => void = () => undefined;
    const stop = await feed.listen((change) => {
      changes.push(change);
      arrived();
    });
    try {
      await append(store, 'IOE8000000001', [received('IOE8000000001', day('2026-01-05'))]);
      const failing = new ProjectionRunner(caseReadModels, {
        pool,
        source: store,
        schema,
        beforeCommit: () => Promise.reject(new Error('crash before commit')),
      });
      await failing.init();
      await expect(failing.catchUp()).rejects.toThrow('crash before commit');

      await append(store, 'IOE8000000002', [received('IOE8000000002', day('2026-01-06'))]);
      const second = new Promise<void>((resolve) => (arrived = resolve));
      const projector = new ProjectionRunner(caseReadModels, { pool, source: store, schema });
      await projector.init();
      await projector.catchUp();
      await second;
      // Both cases commit in this one batch; the rolled-back attempt announced nothing before it.
      expect(changes).toEqual([
        { agency: 'USCIS', receiptNumber: 'IOE8000000001', revision: '0' },
        { agency: 'USCIS', receiptNumber: 'IOE8000000002', revision: '0' },
      ]);
    } finally {
      await stop();
      await feed.close();
    }
  });

  it('shows a stranger watching a receipt number no trace of private events: no new revision, no live update', async () => {
    const { store, schema, projector, queries } = await setup();
    const feed = new PostgresCaseStatusChangeFeed({ connection: connectionString, schema });
    const changes: CaseStatusChanged[] = [];
    const stop = await feed.listen((change) => changes.push(change));
    const receipt = 'IOE8000000003';
    const heard = async (count: number) => {
      for (let waited = 0; changes.length < count && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    try {
      await append(store, receipt, [received(receipt, day('2026-01-05')), ev({ type: 'CaseReviewStarted', data: {} }, day('2026-01-06'))]);
      await projector.catchUp();
      await heard(1);
      const before = await queries.caseStatus(receipt);
      expect(before?.revision).toBe('1');

      // Revisions 2-4 of the stream: none of them is anyone's business but the applicant's.
      await append(store, receipt, [
        ev({ type: 'AccessCodeIssued', data: { accessCodeHash: 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g' } }, day('2026-01-07')),
        ev({ type: 'RepresentativeAppointed', data: { representativeId: 'g28-1', name: 'Rita Ortiz', kind: 'attorney', identity: { email: 'rita@example.org' }, effectiveFrom: '2026-01-08' } }, day('2026-01-08')),
        ev({ type: 'RepresentativeWithdrawn', data: { representativeId: 'g28-1' } }, day('2026-01-09')),
      ]);
      await projector.catchUp();
      expect(await queries.caseStatus(receipt)).toEqual(before);

      // The next public event moves it on, and is announced once.
      await append(store, receipt, [ev({ type: 'EvidenceRequested', data: { requestId: 'rfe-1', dueDate: '2026-03-15', description: 'Birth certificate' } }, day('2026-01-10'))]);
      await projector.catchUp();
      await heard(2);
      expect((await queries.caseStatus(receipt))?.revision).toBe('5');
      expect(changes.map((change) => change.revision)).toEqual(['1', '5']);
    } finally {
      await stop();
      await feed.close();
    }
  });
});
