import { createHash, randomUUID } from 'node:crypto';
import {
  FEEDBACK_MIGRATIONS,
  feedbackResults,
  FeedbackSubmitter,
  PostgresFeedbackResults,
  QUESTION_IDS,
  type QuestionId,
  type SubmittedAnswers,
} from '@case-status/feedback';
import type { Language } from '@case-status/case-domain';
import type { PostgresEventStore } from '@case-status/event-store';
import { migrateSchema } from '@case-status/postgres-support';
import { ProjectionRunner, rebuildProjection } from '@case-status/projection-runner';
import { append, connectionString, dropSchemas, newStore, Pool, received, uniqueSchema } from './read-model-test-kit';

jest.setTimeout(30_000);

const pool = new Pool({ connectionString, max: 10 });
const prefix = uniqueSchema('fb');
const SECRET = 'projection-test-secret';

afterAll(async () => {
  await dropSchemas(pool, prefix);
  await pool.end();
});

let counter = 0;
/** A fresh store and feedback schema per test; batches of 4 so every test spans several. */
async function setup() {
  const id = ++counter;
  const storeSchema = `${prefix}_es${id}`;
  const store = await newStore(pool, storeSchema);
  const schema = `${prefix}_fb${id}`;
  const projector = new ProjectionRunner(feedbackResults, { pool, source: store, schema, batchSize: 4 });
  await projector.init();
  return { store, schema, projector, results: new PostgresFeedbackResults({ connection: pool, schema, secret: SECRET }), settle: (p = projector) => settle(p, storeSchema) };
}

/**
 * Catches up until the projector has passed the store's last feedback event; returns the
 * events it read. One catch-up may stop short: a transaction open anywhere in the cluster
 * holds back what readers may see until it ends (docs/adr/0002).
 */
async function settle(projector: ProjectionRunner, storeSchema: string): Promise<number> {
  let read = 0;
  for (let attempt = 0; attempt < 400; attempt++) {
    read += await projector.catchUp();
    const { rows } = await pool.query<{ last: string }>(
      `SELECT transaction_id::text || ':' || seq::text AS last FROM "${storeSchema}".events WHERE stream_id LIKE 'feedback-%' ORDER BY transaction_id DESC, seq DESC LIMIT 1`,
    );
    if (rows.length === 0 || rows[0].last === projector.checkpoint) return read;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the feedback projector did not reach the end of the store');
}

interface Response {
  service: string;
  at: string;
  answers: SubmittedAnswers;
  language?: Language;
}

/** Records responses through the submitter, each for a case of its own, at its own time. */
async function submitAll(store: PostgresEventStore, responses: Response[]): Promise<void> {
  for (const response of responses) {
    const submitter = new FeedbackSubmitter({ events: store, secret: SECRET, clock: () => new Date(response.at) });
    await submitter.submit({ receiptNumber: `IOE${randomUUID().replace(/\D/g, '').padEnd(10, '7').slice(0, 10)}`, agency: 'USCIS', formType: response.service, decided: true }, response.answers, response.language ?? 'en');
  }
}

/** The expected counts of a list of responses, computed the plain way. */
function expectedCounts(responses: Response[], quarterOf: (at: string) => string) {
  const counts = new Map<string, number>();
  for (const response of responses) {
    for (const question of QUESTION_IDS) {
      const value = response.answers[question as QuestionId];
      if (value == null) continue;
      const key = `${response.service}|${quarterOf(response.at)}|${question}|${value}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : 1)));
}

async function countsIn(schema: string) {
  const { rows } = await pool.query<{ key: string; responses: number }>(
    `SELECT service || '|' || quarter || '|' || question || '|' || value AS key, responses FROM "${schema}".answer_counts`,
  );
  return Object.fromEntries(rows.map((row) => [row.key, row.responses]).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Every table of a feedback schema, in a fixed order; the checkpoint by position only. */
async function snapshot(schema: string) {
  const tables: Record<string, string> = {
    group_responses: 'agency, quarter, service',
    answer_counts: 'agency, quarter, service, question, value',
    comments: 'content_key, copy',
    stream_revision: 'stream_id',
  };
  const result: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(tables)) result[table] = (await pool.query(`SELECT * FROM "${schema}".${table} ORDER BY ${order}`)).rows;
  result['checkpoint'] = (await pool.query(`SELECT projection, position FROM "${schema}".checkpoint`)).rows;
  return result;
}

const quarterOf = (at: string) => (at < '2027-01-01' ? 'FY2027-Q1' : 'FY2027-Q2');

/** Seventeen responses over two services and two quarters, with skipped questions and comments. */
function sampleResponses(): Response[] {
  const responses: Response[] = [];
  for (let i = 0; i < 17; i++) {
    const answers: SubmittedAnswers = {};
    QUESTION_IDS.forEach((question, q) => {
      if ((i + q) % 3 !== 0) answers[question] = ((i * 7 + q * 3) % 5) + 1;
    });
    if (Object.keys(answers).length === 0) answers.ease = 3;
    if (i % 4 === 0) answers.freeText = `comment ${i}, reach me at p${i}@example.org`;
    responses.push({ service: i % 3 === 0 ? 'I-485' : 'I-130', at: i < 9 ? '2026-11-24T10:00:00Z' : '2027-01-15T10:00:00Z', answers, language: i % 2 ? 'es' : 'en' });
  }
  return responses;
}

describe('feedback projection', () => {
  it('counts every answer per service, quarter, question and value, and ignores case streams', async () => {
    const { store, schema, results, settle } = await setup();
    const responses = sampleResponses();
    await submitAll(store, responses.slice(0, 8));
    await append(store, 'IOE0000000001', [received('IOE0000000001', '2026-11-01T09:00:00Z')]);
    await submitAll(store, responses.slice(8));
    await settle();

    expect(await countsIn(schema)).toEqual(expectedCounts(responses, quarterOf));
    const { rows: groups } = await pool.query(`SELECT service, quarter, responses FROM "${schema}".group_responses ORDER BY service, quarter`);
    const expectedGroups = new Map<string, number>();
    for (const r of responses) expectedGroups.set(`${r.service} ${quarterOf(r.at)}`, (expectedGroups.get(`${r.service} ${quarterOf(r.at)}`) ?? 0) + 1);
    expect(groups.map((g) => `${g.service} ${g.quarter} ${g.responses}`)).toEqual([...expectedGroups].sort().map(([k, n]) => `${k} ${n}`));

    const { rows: comments } = await pool.query<{ text: string }>(`SELECT text FROM "${schema}".comments ORDER BY text`);
    expect(comments.map((c) => c.text)).toEqual(['comment 0, reach me at [email removed]', 'comment 12, reach me at [email removed]', 'comment 16, reach me at [email removed]', 'comment 4, reach me at [email removed]', 'comment 8, reach me at [email removed]']);

    // The reader's view of the same rows: sample sizes per question add up.
    const [i130q1] = await results.results({ agency: 'USCIS', service: 'I-130', toQuarter: 'FY2027-Q1' }, { minResponses: 0 });
    const inGroup = responses.filter((r) => r.service === 'I-130' && quarterOf(r.at) === 'FY2027-Q1');
    expect(i130q1.responses).toBe(inGroup.length);
    expect(i130q1.questions.map((q) => q.responses)).toEqual(QUESTION_IDS.map((id) => inGroup.filter((r) => r.answers[id] != null).length));
  });

  it('survives a checkpoint reset without counting anything twice, ending equal to a rebuild', async () => {
    const { store, schema, settle } = await setup();
    const responses = sampleResponses();
    await submitAll(store, responses);
    await settle();
    const before = await snapshot(schema);

    await pool.query(`UPDATE "${schema}".checkpoint SET position = '0:0'`);
    const replaying = new ProjectionRunner(feedbackResults, { pool, source: store, schema, batchSize: 3 });
    await replaying.init();
    expect(await settle(replaying)).toBe(responses.length);
    expect(await snapshot(schema)).toEqual(before);

    const rebuiltSchema = `${schema}_r`;
    await rebuildProjection(feedbackResults, { pool, source: store, schema: rebuiltSchema, batchSize: 5 });
    expect(await snapshot(rebuiltSchema)).toEqual(before);
    expect(await countsIn(schema)).toEqual(expectedCounts(responses, quarterOf));
  });

  it('ends equal to a rebuild when two projectors run on one schema at once', async () => {
    const { store, schema, settle } = await setup();
    const second = new ProjectionRunner(feedbackResults, { pool, source: store, schema, batchSize: 2 });
    await second.init();
    const responses = sampleResponses();
    await submitAll(store, responses);
    await Promise.all([settle(), settle(second)]);
    await rebuildProjection(feedbackResults, { pool, source: store, schema: `${schema}_r` });
    expect(await snapshot(schema)).toEqual(await snapshot(`${schema}_r`));
  });

  it('lets a running projector carry on after a rebuild swapped its schema', async () => {
    const { store, schema, projector } = await setup();
    const responses = sampleResponses();
    await submitAll(store, responses.slice(0, 10));
    const running = projector.start();
    try {
      const result = await rebuildProjection(feedbackResults, { pool, source: store, schema });
      expect(result).toMatchObject({ replaced: true });
      expect(await groupTotal(schema)).toBe(10);
      await submitAll(store, responses.slice(10));
      await waitFor(async () => (await groupTotal(schema)) === responses.length);
    } finally {
      await projector.stop();
      await running;
    }
    expect(await countsIn(schema)).toEqual(expectedCounts(responses, quarterOf));
  });

  it('keys comments by what they say, never by the response id, numbering identical ones, also in a schema migrated from v1', async () => {
    const { store, schema, settle } = await setup();
    const same = { ease: 2, freeText: 'Too slow.' };
    const responses: Response[] = [
      ...sampleResponses(),
      { service: 'I-130', at: '2027-01-15T10:00:00Z', answers: same },
      { service: 'I-130', at: '2027-01-16T10:00:00Z', answers: same },
    ];
    await submitAll(store, responses);
    await settle();
    const events = (await store.readAll({ streamPrefixes: ['feedback-'] })).filter((event) => event.data['freeText'] !== undefined);
    const { rows } = await pool.query<Record<string, unknown>>(`SELECT * FROM "${schema}".comments`);
    expect(rows).toHaveLength(events.length);
    expect(rows.filter((row) => row['text'] === 'Too slow.').map((row) => row['copy']).sort()).toEqual([1, 2]);
    const stored = JSON.stringify(rows);
    for (const event of events) {
      // v1 kept this hash of the event id; the event id is the HMAC of the receipt number.
      expect(stored).not.toContain(createHash('sha256').update(event.id).digest('hex'));
      expect(stored).not.toContain(event.id);
    }

    // A schema projected by v1 (comments keyed by the hash of the event id), then migrated.
    const old = `${schema}_v1`;
    await migrateSchema(pool, old, FEEDBACK_MIGRATIONS.slice(0, 1), 'case-status/feedback');
    for (const event of events) {
      const { agency, service, quarter, language, freeText } = event.data as Record<string, string>;
      await pool.query(`INSERT INTO "${old}".comments (sort_key, agency, service, quarter, language, text) VALUES ($1, $2, $3, $4, $5, $6)`, [
        createHash('sha256').update(event.id).digest('hex'),
        agency,
        service,
        quarter,
        language,
        freeText,
      ]);
    }
    const migrating = new ProjectionRunner(feedbackResults, { pool, source: store, schema: old });
    await migrating.init();
    const columns = await pool.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'comments' ORDER BY column_name`, [old]);
    expect(columns.rows.map((row) => row.column_name)).toEqual(['agency', 'content_key', 'copy', 'language', 'quarter', 'service', 'text']);
    const ordered = (name: string) => pool.query(`SELECT * FROM "${name}".comments ORDER BY content_key, copy`).then((result) => result.rows);
    expect(await ordered(old)).toEqual(await ordered(schema));
  });

  it('stops rather than miscount when a feedback event is not one it can read, leaving the checkpoint where it was', async () => {
    const { store, schema, settle } = await setup();
    await submitAll(store, sampleResponses().slice(0, 2));
    await settle();
    const before = await snapshot(schema);
    await store.appendToStream('feedback-USCIS-I-130', [{ id: randomUUID(), type: 'FeedbackSubmitted', data: { agency: 'USCIS', service: 'I-130', quarter: 'FY2027-Q1', language: 'en', answers: { ease: 9 } } }], {
      expectedRevision: 'any',
    });
    await expect(settle()).rejects.toThrow(/answers.ease/);
    expect(await snapshot(schema)).toEqual(before);
  });
});

async function groupTotal(schema: string): Promise<number> {
  const { rows } = await pool.query<{ total: number }>(`SELECT coalesce(sum(responses), 0)::int AS total FROM "${schema}".group_responses`);
  return rows[0].total;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
