import { fork, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudEvent, Kafka as CloudEventsKafka, type KafkaMessage } from 'cloudevents';
import { Pool } from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { CASE_STATUS_CHANGED_V1 } from '@case-status/integration-events';
import {
  CaseStatusRelay,
  ensureCaseStatusTopics,
  KafkaCaseStatusPublisher,
  PostgresRelayCheckpoints,
  readTopic,
  type CaseStatusRelayOptions,
  type ConsumedRecord,
  type RelayBatch,
} from '@case-status/messaging';
import { comparePositions, formatPosition, type GlobalPosition } from '@case-status/event-contract';
import { aCaseHistory, aReceiptNumber, storedCaseEvent, testBrokers, testDatabaseUrl, testKafka } from './fixtures/test-support';

jest.setTimeout(60_000);

const root = join(__dirname, '../../..');
const pool = new Pool({ connectionString: testDatabaseUrl(), max: 6 });
const schemas: string[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

function uniqueSchema(label: string): string {
  const schema = `relay_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
});

interface Fixture {
  store: PostgresEventStore;
  checkpoints: PostgresRelayCheckpoints;
  topic: string;
  eventSchema: string;
  checkpointSchema: string;
}

async function fixture(kafka: ReturnType<typeof testKafka>, label: string): Promise<Fixture> {
  const eventSchema = uniqueSchema(`${label}_events`);
  const checkpointSchema = uniqueSchema(`${label}_ckpt`);
  const store = await createPostgresEventStore({ connection: pool, schema: eventSchema, pollIntervalMs: 50 });
  const checkpoints = new PostgresRelayCheckpoints({ pool, schema: checkpointSchema });
  await checkpoints.migrate();
  const topic = `t.relay-${label}.${randomUUID().slice(0, 8)}`;
  await ensureCaseStatusTopics(kafka, { topic, partitions: 6 });
  cleanups.push(() => deleteTopics(kafka, [topic, `${topic}.dlq`]), () => store.close());
  return { store, checkpoints, topic, eventSchema, checkpointSchema };
}

async function deleteTopics(kafka: ReturnType<typeof testKafka>, topics: string[]) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } finally {
    await admin.disconnect();
  }
}

async function startRelay(kafka: ReturnType<typeof testKafka>, f: Fixture, overrides: Partial<CaseStatusRelayOptions> = {}) {
  const publisher = await KafkaCaseStatusPublisher.connect({ kafka, topic: f.topic });
  const relay = await CaseStatusRelay.start({
    source: f.store,
    publisher,
    checkpoints: f.checkpoints,
    retryDelayMs: { initial: 50, max: 500 },
    ...overrides,
  });
  const stop = async () => {
    await relay.stop();
    await publisher.close();
  };
  cleanups.push(stop);
  return { relay, stop };
}

/** Appends a case's events one append per event (as an agency sending them over time would). */
async function appendCase(store: PostgresEventStore, bodies = aCaseHistory(aReceiptNumber())) {
  const receipt = (bodies[0].data as { receiptNumber: string }).receiptNumber;
  const streamId = `case-USCIS-${receipt}`;
  const ids: string[] = [];
  let position: GlobalPosition | undefined;
  for (const [index, body] of bodies.entries()) {
    const event = storedCaseEvent(body, new Date(Date.UTC(2025, 2, 1, 10, index)).toISOString());
    const result = await store.appendToStream(streamId, [event], { expectedRevision: index === 0 ? 'no_stream' : BigInt(index - 1) });
    ids.push(event.id);
    position = result.position;
  }
  return { streamId, ids, last: position as GlobalPosition };
}

/** Ids of the status-relevant events of `aCaseHistory` (all but the second review start). */
const relevant = (ids: string[]) => ids.filter((_, index) => index !== 3);

async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const idsOf = (records: ConsumedRecord[]) => records.map((r) => r.headers['ce_id']);
const hasAll = (expected: string[]) => (records: ConsumedRecord[]) => expected.every((id) => idsOf(records).includes(id));

describe('CaseStatusRelay on PostgreSQL and Kafka', () => {
  const kafka = testKafka('relay-int-spec');

  it('publishes each status change once, in order per case, keyed by stream id, as valid CloudEvents; then checkpoints', async () => {
    const f = await fixture(kafka, 'order');
    const [a, b] = await Promise.all([appendCase(f.store), appendCase(f.store)]);
    await startRelay(kafka, f, { maxBatchSize: 4 }); // several batches
    const expected = [...relevant(a.ids), ...relevant(b.ids)];
    const records = await readTopic({ kafka, topic: f.topic, until: (r) => r.length >= expected.length });

    expect(idsOf(records).sort()).toEqual([...expected].sort());
    for (const c of [a, b]) {
      const mine = records.filter((r) => r.key === c.streamId);
      expect(new Set(mine.map((r) => r.partition)).size).toBe(1);
      expect(idsOf(mine)).toEqual(relevant(c.ids)); // offsets in one partition: the case's order
      expect(mine.map((r) => r.headers['ce_subject'])).toEqual(mine.map(() => c.streamId.replace('case-USCIS-', '')));
    }
    for (const record of records) {
      expect(record.headers).toMatchObject({ ce_specversion: '1.0', ce_type: CASE_STATUS_CHANGED_V1.type, ce_source: '/agencies/USCIS', 'content-type': 'application/json' });
      // Independently of our decoder: the CloudEvents SDK's own Kafka binding and validation.
      const message: KafkaMessage<Buffer> = { key: record.key ?? '', value: record.value as Buffer, headers: record.headers, body: record.value };
      const event = CloudEventsKafka.toEvent(message) as CloudEvent;
      expect(event.validate()).toBe(true);
      expect(event.partitionkey).toBe(record.key);
    }
    const statuses = records.filter((r) => r.key === a.streamId).map((r) => ('error' in r.decoded ? r.decoded.error : r.decoded.data.statusCode));
    expect(statuses).toEqual(['CASE_RECEIVED', 'CASE_IN_REVIEW', 'EVIDENCE_REQUESTED', 'EVIDENCE_RECEIVED', 'CASE_APPROVED']);

    const lastPosition = comparePositions(a.last, b.last) > 0 ? a.last : b.last;
    const checkpoint = await eventually(() => f.checkpoints.load(), (p) => p !== undefined && comparePositions(p, lastPosition) === 0);
    expect(checkpoint && formatPosition(checkpoint)).toBe(formatPosition(lastPosition));
  });

  it('loses nothing when killed between the broker’s ack and its checkpoint: the batch is published again, same ce ids', async () => {
    const f = await fixture(kafka, 'crash');
    const first = await appendCase(f.store);
    const child: ChildProcess = fork(join(__dirname, 'fixtures/relay-child.ts'), [], {
      cwd: root,
      execArgv: ['-r', '@swc-node/register'],
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'),
        KAFKA_BROKERS: testBrokers().join(','),
        TEST_DATABASE_URL: testDatabaseUrl(),
        RELAY_EVENT_SCHEMA: f.eventSchema,
        RELAY_CHECKPOINT_SCHEMA: f.checkpointSchema,
        RELAY_TOPIC: f.topic,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const acked = await new Promise<{ published: string[]; upTo: string }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { published: string[]; upTo: string }));
      child.once('exit', (code) => reject(new Error(`relay child exited (${code}) before publishing`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(acked.published).toEqual(relevant(first.ids));
    expect(await f.checkpoints.load()).toBeUndefined(); // acknowledged, never checkpointed

    const second = await appendCase(f.store);
    await startRelay(kafka, f);
    const expected = [...relevant(first.ids), ...relevant(second.ids)];
    const records = await readTopic({
      kafka,
      topic: f.topic,
      until: (r) => hasAll(expected)(r) && relevant(first.ids).every((id) => idsOf(r).filter((x) => x === id).length >= 2),
    });
    expect(hasAll(expected)(records)).toBe(true);
    // The crashed batch twice (same ids, so consumers can dedupe), in the same order both times.
    const firstCase = records.filter((r) => r.key === first.streamId);
    expect(idsOf(firstCase)).toEqual([...relevant(first.ids), ...relevant(first.ids)]);
    const checkpoint = await eventually(() => f.checkpoints.load(), (p) => p !== undefined && comparePositions(p, second.last) === 0);
    expect(checkpoint && formatPosition(checkpoint)).toBe(formatPosition(second.last));
  });
});

describe('CaseStatusRelay across a broker restart', () => {
  // A broker of its own: stopping the shared one would break every other test file running now.
  // Three ports each: client, controller (+1), SASL_SSL (+2).
  const port = 19_092 + Math.floor(Math.random() * 300) * 3;
  const scriptEnv = { ...process.env, KAFKA_PORT: String(port), KAFKA_RUN_DIR: `/tmp/case-status-kafka-test-${port}` };
  const run = (script: string, ...args: string[]) => promisify(execFile)('bash', [join(root, 'infra/kafka', script), ...args], { env: scriptEnv });
  const kafka = testKafka('relay-restart-spec', [`127.0.0.1:${port}`]);

  beforeAll(async () => {
    await run('start.sh', '--fresh');
  });
  afterAll(async () => {
    await run('stop.sh');
    await promisify(execFile)('rm', ['-rf', scriptEnv.KAFKA_RUN_DIR]);
  });

  it('keeps the checkpoint while the broker is down, retries, and delivers everything once it is back', async () => {
    const f = await fixture(kafka, 'restart');
    const attempts: RelayBatch[] = [];
    await startRelay(kafka, f, { hooks: { beforePublish: (batch) => void attempts.push(batch) } });
    const before = await appendCase(f.store);
    await readTopic({ kafka, topic: f.topic, until: hasAll(relevant(before.ids)) });
    const checkpointBefore = await eventually(() => f.checkpoints.load(), (p) => p !== undefined && comparePositions(p, before.last) === 0);

    await run('stop.sh');
    const during = await appendCase(f.store);
    await eventually(async () => attempts.some((b) => b.changes.some((c) => c.attributes.id === during.ids[0])), Boolean);
    // Give a relay that did not wait for the ack ample time to move the checkpoint anyway.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await f.checkpoints.load()).toEqual(checkpointBefore);

    await run('start.sh');
    const records = await readTopic({ kafka, topic: f.topic, until: hasAll([...relevant(before.ids), ...relevant(during.ids)]) });
    expect(hasAll([...relevant(before.ids), ...relevant(during.ids)])(records)).toBe(true);
    const checkpoint = await eventually(() => f.checkpoints.load(), (p) => p !== undefined && comparePositions(p, during.last) === 0);
    expect(checkpoint && formatPosition(checkpoint)).toBe(formatPosition(during.last));
  });
});
