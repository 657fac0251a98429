/**
 * `npm run bench:fanout` (needs PostgreSQL and Kafka: infra/postgres, infra/kafka). Two figures:
 *
 * 1. Relay throughput: N status-changing events are appended to a PostgreSQL event store, then an
 *    in-process `CaseStatusRelay` publishes them to Kafka; events/s = N / time from its start until
 *    its checkpoint reached the last event. Same-run reference: a bare kafkajs producer configured
 *    as the relay's (idempotent, acks -1, one request in flight) sending the very same records in
 *    the very same batches to a fresh topic.
 * 2. Latency, event accepted → webhook delivered, at a steady rate: events are POSTed one by one
 *    to the real intake app (child process), relayed by the real kafka-relay app (child process),
 *    consumed by the real notifier app (child process) and delivered to a webhook receiver in
 *    this process. Latency = arrival at the receiver − the moment intake answered 201, both on
 *    this process's clock. Target: p99 < 1 s.
 *
 * Loopback only, bounded in events and time, cleans up its schemas and topics. Knobs:
 * BENCH_RELAY_EVENTS (20000), BENCH_RATE (500/s), BENCH_SECONDS (20), BENCH_DATABASE_URL, KAFKA_BROKERS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { logLevel, Partitioners, type Kafka, type Message } from 'kafkajs';
import { Pool } from 'pg';
import { comparePositions, createPostgresEventStore, type EventToAppend, type GlobalPosition } from '@case-status/event-store';
import {
  CaseStatusRelay,
  createKafka,
  ensureCaseStatusTopics,
  KafkaCaseStatusPublisher,
  loadKafkaConnection,
  PostgresRelayCheckpoints,
  type CaseStatusChange,
  type CaseStatusPublisher,
} from '@case-status/messaging';
import { encodeCaseStatusChanged } from '@case-status/integration-events';
import { registerAgencyWebhook } from '@case-status/notifications/testing';
import { intakeCredentials, UNLIMITED_INTAKE } from './support/intake-credentials';
import { cpuProfileEnv, profiled, stopProcess } from './support/cpu-profile';

const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const kafkaConnection = loadKafkaConnection(process.env);
const { brokers } = kafkaConnection;
const RELAY_EVENTS = positive('BENCH_RELAY_EVENTS', 20_000);
const RATE = positive('BENCH_RATE', 500);
const SECONDS = positive('BENCH_SECONDS', 20);
const DRAIN_MS = 30_000;
const PARTITIONS = 6;
const INTAKE_PORT = 3951;

const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const schemas = {
  relayEvents: `bench_fanout_${run}_rel_events`,
  relayCheckpoints: `bench_fanout_${run}_rel_ckpt`,
  events: `bench_fanout_${run}_events`,
  checkpoints: `bench_fanout_${run}_ckpt`,
  notifications: `bench_fanout_${run}_notif`,
};
const topics = { relay: `bench.fanout-relay.${run}`, reference: `bench.fanout-ref.${run}`, flow: `bench.fanout-flow.${run}` };

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

const now = () => performance.timeOrigin + performance.now();
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

let receiptSeq = 0;
const receiptPrefix = String(Math.floor(Math.random() * 900) + 100);
/** Unique per run: a random 3-digit prefix and a counter. */
const newReceipt = () => `IOE${receiptPrefix}${String(++receiptSeq).padStart(7, '0')}`;

/** A case's life, every event a public status change (what the relay publishes and the notifier delivers). */
function caseLife(receiptNumber: string) {
  return [
    { type: 'CaseReceived', occurredAt: '2026-01-05T10:00:00Z', data: { formType: 'I-130', office: 'NBC' } },
    { type: 'CaseReviewStarted', occurredAt: '2026-01-20T10:00:00Z', data: {} },
    { type: 'EvidenceRequested', occurredAt: '2026-02-01T10:00:00Z', data: { requestId: 'RFE-1', dueDate: '2026-04-01', description: 'Birth certificate' } },
    { type: 'EvidenceReceived', occurredAt: '2026-03-01T10:00:00Z', data: { requestId: 'RFE-1' } },
    { type: 'DecisionIssued', occurredAt: '2026-05-01T10:00:00Z', data: { outcome: 'approved' } },
  ].map((e, index) => ({ ...e, data: index === 0 ? { ...e.data, agency: 'USCIS', receiptNumber } : e.data }));
}

// ---------------------------------------------------------------- 1. relay throughput

/** Passes batches on unchanged and keeps them, so the reference can send the same records in the same batches. */
class RecordingPublisher implements CaseStatusPublisher {
  readonly batches: (readonly CaseStatusChange[])[] = [];
  constructor(private readonly inner: CaseStatusPublisher) {}
  async publish(changes: readonly CaseStatusChange[]): Promise<void> {
    await this.inner.publish(changes);
    this.batches.push(changes);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

async function relayThroughput(pool: Pool, kafka: Kafka): Promise<void> {
  const store = await createPostgresEventStore({ connection: pool, schema: schemas.relayEvents });
  const cases = Math.ceil(RELAY_EVENTS / 5);
  let last: GlobalPosition | undefined;
  const appendStarted = now();
  for (let c = 0; c < cases; c++) {
    const receipt = newReceipt();
    const events: EventToAppend[] = caseLife(receipt).map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata: { occurredAt: e.occurredAt } }));
    last = (await store.appendToStream(`case-USCIS-${receipt}`, events, { expectedRevision: 'no_stream' })).position;
  }
  const appended = cases * 5;
  console.log(`  appended ${appended} events (${cases} cases) in ${Math.round(now() - appendStarted)} ms`);

  await ensureCaseStatusTopics(kafka, { topic: topics.relay, partitions: PARTITIONS });
  const checkpoints = new PostgresRelayCheckpoints({ pool, schema: schemas.relayCheckpoints });
  await checkpoints.migrate();
  const kafkaPublisher = await KafkaCaseStatusPublisher.connect({ kafka, topic: topics.relay });
  const publisher = new RecordingPublisher(kafkaPublisher);
  const started = now();
  const { relayMs, published } = await profiled('relay', async () => {
    const relay = await CaseStatusRelay.start({ source: store, publisher, checkpoints });
    const target = last as GlobalPosition;
    const deadline = started + 120_000;
    while (!(relay.checkpoint && comparePositions(relay.checkpoint, target) >= 0)) {
      if (now() > deadline) throw new Error(`the relay did not reach the last event within 120 s (published ${relay.publishedCount})`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const result = { relayMs: now() - started, published: relay.publishedCount };
    await relay.stop();
    return result;
  });
  await kafkaPublisher.close();
  await store.close();

  // Reference: the same records, the same batches, a producer set up like the relay's.
  const encoded: Message[][] = publisher.batches.map((batch) => batch.map((change) => encodeCaseStatusChanged(change)));
  await ensureCaseStatusTopics(kafka, { topic: topics.reference, partitions: PARTITIONS });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  const refStarted = now();
  for (const messages of encoded) await producer.send({ topic: topics.reference, acks: -1, messages });
  const refMs = now() - refStarted;
  await producer.disconnect();

  const sizes = encoded.map((b) => b.length);
  const bytes = encoded.flat().reduce((sum, m) => sum + Buffer.byteLength(m.value as Buffer | string) + Buffer.byteLength(String(m.key)), 0);
  const relayRate = rate(published, relayMs);
  const refRate = rate(sizes.reduce((a, b) => a + b, 0), refMs);
  console.log(`  ${published} status changes in ${publisher.batches.length} batches (max ${Math.max(...sizes)}, mean ${Math.round(published / sizes.length)}), ~${Math.round(bytes / published)} bytes/record (key + value) plus ce_* headers`);
  console.log(`reference  kafkajs producer, idempotent, acks -1, same records and batches: ${refRate} records/s (${Math.round(refMs)} ms)`);
  console.log(`relay      store -> Kafka, start to checkpoint at the last event:          ${relayRate} events/s (${Math.round(relayMs)} ms) = ${Math.round((relayRate / refRate) * 100)}% of the reference`);
}

// ---------------------------------------------------------------- 2. end-to-end latency

interface App {
  name: string;
  child: ChildProcess;
  output: string[];
}

/** Starts a workspace app (tools/run-ts.mjs) and resolves once it printed `ready`. */
function startApp(name: string, entry: string, env: Record<string, string>, ready: string): Promise<App> {
  const child = spawn(process.execPath, ['tools/run-ts.mjs', entry], { env: { ...process.env, HEALTH_PORT: '0', ...env, ...cpuProfileEnv(name) }, stdio: ['ignore', 'pipe', 'pipe'] });
  const app: App = { name, child, output: [] };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${app.output.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      app.output.push(chunk.toString());
      if (app.output.length > 200) app.output.shift();
      if (chunk.toString().includes(ready)) {
        clearTimeout(timer);
        resolve(app);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${app.output.join('')}`));
    });
  });
}

async function stopApp(app: App | undefined): Promise<void> {
  if (app) await stopProcess(app.child);
}

/** The subscriber's endpoint: records when each event arrived. */
class LatencyReceiver {
  readonly arrivals = new Map<string, number>();
  duplicates = 0;
  unsigned = 0;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const arrived = now();
        if (!req.headers['webhook-signature']) this.unsigned++;
        const eventId = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { eventId: string } }).data.eventId;
        if (this.arrivals.has(eventId)) this.duplicates++;
        else this.arrivals.set(eventId, arrived);
        res.writeHead(204).end();
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function post(path: string, body: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: INTAKE_PORT, path, method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface CaseInFlight {
  receipt: string;
  next: number;
  life: ReturnType<typeof caseLife>;
}

async function endToEndLatency(pool: Pool, kafka: Kafka): Promise<void> {
  const { keysFile, token, remove } = await intakeCredentials('fanout');

  const receiver = new LatencyReceiver();
  await receiver.start();
  const apps: App[] = [];
  try {
    const common = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers.join(','), EVENT_STORE_SCHEMA: schemas.events };
    apps.push(await startApp('intake-api', 'apps/intake-api/src/main.ts', { ...common, INTAKE_AGENCY_KEYS_FILE: keysFile, INTAKE_PORT: String(INTAKE_PORT), ...UNLIMITED_INTAKE }, 'listening on'));
    // The relay creates the topics, so it starts before the notifier subscribes.
    apps.push(await startApp('kafka-relay', 'apps/kafka-relay/src/main.ts', { ...common, KAFKA_RELAY_SCHEMA: schemas.checkpoints, KAFKA_TOPIC: topics.flow, KAFKA_TOPIC_PARTITIONS: String(PARTITIONS) }, 'relaying case events'));
    apps.push(
      await startApp(
        'notifier',
        'apps/notifier/src/main.ts',
        { ...common, NOTIFICATIONS_SCHEMA: schemas.notifications, NOTIFIER_GROUP_ID: `bench-fanout-${run}`, NOTIFIER_TOPIC: topics.flow, NOTIFIER_PORT: '0', SMTP_URL: 'smtp://127.0.0.1:2525', WEBHOOK_ALLOW_INSECURE: 'true' },
        'links on',
      ),
    );
    await registerAgencyWebhook({ pool, schema: schemas.notifications, url: `http://127.0.0.1:${receiver.port}/case-status`, owner: 'bench' });

    const accepted = new Map<string, number>();
    const intakeMs: number[] = [];
    let refused = 0;
    const send = async (c: CaseInFlight): Promise<void> => {
      const event = c.life[c.next];
      const eventId = randomUUID();
      const body = JSON.stringify({ eventId, type: event.type, occurredAt: event.occurredAt, data: c.life[c.next].type === 'CaseReceived' ? { formType: 'I-130', office: 'NBC' } : event.data });
      const sent = now();
      const status = await post(`/v1/cases/${c.receipt}/events`, body, token);
      const answered = now();
      intakeMs.push(answered - sent);
      if (status === 201) accepted.set(eventId, answered);
      else refused++;
      c.next++;
    };

    // Warm-up: the notifier's consumer group only reads what is produced after it joined, so
    // events go through until one arrives; this also warms the JITs and connection pools.
    const warmDeadline = now() + 60_000;
    const warm: CaseInFlight = { receipt: newReceipt(), next: 0, life: caseLife('') };
    while (receiver.arrivals.size === 0) {
      if (now() > warmDeadline) throw new Error('warm-up: no webhook arrived within 60 s');
      if (warm.next === warm.life.length) Object.assign(warm, { receipt: newReceipt(), next: 0 });
      await send(warm);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    for (let i = 0; i < 200; i++) {
      if (warm.next === warm.life.length) Object.assign(warm, { receipt: newReceipt(), next: 0 });
      await send(warm);
    }
    await waitFor(() => [...accepted.keys()].every((id) => receiver.arrivals.has(id)), 30_000);
    accepted.clear();
    intakeMs.length = 0;
    refused = 0;
    receiver.arrivals.clear();
    receiver.duplicates = 0;

    // Steady load: RATE events/s, open loop; a case's next event waits for its previous answer.
    const total = Math.round(RATE * SECONDS);
    const ready: CaseInFlight[] = [];
    const inFlight = new Set<Promise<void>>();
    let sentCount = 0;
    let late = 0;
    const started = now();
    while (sentCount < total) {
      const due = Math.min(total, Math.floor(((now() - started) / 1000) * RATE));
      if (due - sentCount > RATE / 10) late++;
      while (sentCount < due) {
        const c = ready.shift() ?? { receipt: newReceipt(), next: 0, life: caseLife('') };
        const p = send(c).then(
          () => {
            inFlight.delete(p);
            if (c.next < c.life.length) ready.push(c);
          },
          (error: unknown) => {
            inFlight.delete(p);
            refused++;
            console.warn(`  POST failed: ${String(error)}`);
          },
        );
        inFlight.add(p);
        sentCount++;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const sendMs = now() - started;
    await Promise.all(inFlight);
    await waitFor(() => [...accepted.keys()].every((id) => receiver.arrivals.has(id)), DRAIN_MS);

    const latencies = [...accepted].flatMap(([id, at]) => (receiver.arrivals.has(id) ? [(receiver.arrivals.get(id) as number) - at] : [])).sort((a, b) => a - b);
    const missing = [...accepted.keys()].filter((id) => !receiver.arrivals.has(id)).length;
    const intakeSorted = intakeMs.sort((a, b) => a - b);
    const ms = (v: number) => `${Math.round(v)} ms`;
    console.log(`  offered ${total} events at ${RATE}/s over ${(sendMs / 1000).toFixed(1)} s (offered ${rate(total, sendMs)}/s${late ? `, generator behind schedule in ${late} ticks` : ''}); ${accepted.size} accepted (201), ${refused} refused or failed`);
    console.log(`  intake answer time: p50 ${ms(percentile(intakeSorted, 50))}, p99 ${ms(percentile(intakeSorted, 99))}`);
    console.log(
      `latency    accepted (201) -> webhook delivered: p50 ${ms(percentile(latencies, 50))}, p90 ${ms(percentile(latencies, 90))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies[latencies.length - 1])} ` +
        `(target p99 < 1000 ms: ${percentile(latencies, 99) < 1000 ? 'met' : 'NOT met'}); ${latencies.length} delivered, ${missing} missing after ${DRAIN_MS / 1000} s, ${receiver.duplicates} duplicates, ${receiver.unsigned} unsigned`,
    );
    await stageBreakdown(pool, kafka, accepted, receiver.arrivals);
  } finally {
    for (const app of apps.reverse()) await stopApp(app);
    await receiver.stop();
    agent.destroy();
    remove();
  }
}

/**
 * Where the time went, per event: accepted -> in Kafka (the record's CreateTime, stamped by the
 * relay's producer), -> queued by the notifier's consumer (deliveries.created_at), -> delivered
 * (arrival here). Same host, so the clocks agree to well under a millisecond.
 */
async function stageBreakdown(pool: Pool, kafka: Kafka, accepted: Map<string, number>, arrivals: Map<string, number>): Promise<void> {
  const produced = new Map<string, number>();
  const consumer = kafka.consumer({ groupId: `bench-fanout-read-${run}`, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic: topics.flow, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const id = message.headers?.['ce_id']?.toString();
      if (id) produced.set(id, Number(message.timestamp));
    },
  });
  await waitFor(() => [...accepted.keys()].every((id) => produced.has(id)), 20_000);
  await consumer.disconnect();
  const { rows } = await pool.query<{ event_id: string; queued: number }>(
    `SELECT event_id::text, extract(epoch FROM created_at) * 1000 AS queued FROM "${schemas.notifications}".deliveries`,
  );
  const queued = new Map(rows.map((r) => [r.event_id, Number(r.queued)]));
  const stages: Record<string, number[]> = { 'accepted -> in Kafka': [], 'in Kafka -> queued by notifier': [], 'queued -> webhook arrival': [] };
  for (const [id, at] of accepted) {
    const p = produced.get(id);
    const q = queued.get(id);
    const a = arrivals.get(id);
    if (p === undefined || q === undefined || a === undefined) continue;
    stages['accepted -> in Kafka'].push(p - at);
    stages['in Kafka -> queued by notifier'].push(q - p);
    stages['queued -> webhook arrival'].push(a - q);
  }
  for (const [stage, values] of Object.entries(stages)) {
    values.sort((x, y) => x - y);
    console.log(`  stage ${stage.padEnd(32)} p50 ${Math.round(percentile(values, 50))} ms, p99 ${Math.round(percentile(values, 99))} ms`);
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = now() + timeoutMs;
  while (!condition()) {
    if (now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: databaseUrl, max: 6 });
  const kafka = createKafka({ ...kafkaConnection, clientId: 'bench-fanout', logLevel: logLevel.ERROR });
  console.log(`fan-out benchmark: ${cpus().length} cores; Kafka ${brokers.join(',')}; ${new Date().toISOString()}`);
  try {
    console.log(`1. relay throughput, ${RELAY_EVENTS} events`);
    await relayThroughput(pool, kafka);
    console.log(`2. accepted -> webhook latency, ${RATE} events/s for ${SECONDS} s, POSTed to the intake app (one event per request)`);
    await endToEndLatency(pool, kafka);
  } finally {
    for (const schema of Object.values(schemas)) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
    const admin = kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const ours = Object.values(topics).flatMap((t) => [t, `${t}.dlq`]).filter((t) => existing.has(t));
    if (ours.length > 0) await admin.deleteTopics({ topics: ours });
    await admin.disconnect();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
