/**
 * Drill: a three-broker Kafka cluster (KRaft, infra/kafka/cluster.sh) with the status-change
 * topic replicated three times and `min.insync.replicas` 2, the relay and the notifier each in a
 * process of their own, while an agency keeps appending. kill -9 the broker that leads the most
 * of the topic's partitions, then start it again: every status change is on the topic, the
 * webhook subscriber received each once, the relay's longest pause in publishing is printed, and
 * the restarted broker is back in every partition's in-sync replicas.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, logLevel, type Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { formatPosition } from '@case-status/event-contract';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { freePort } from '@case-status/http-support/testing';
import { createKafka, type ConsumedRecord } from '@case-status/messaging';
import { uniqueTopicName } from '@case-status/messaging/testing';
import { registerAgencyWebhook, WebhookReceiver } from '@case-status/notifications/testing';
import { agency, eventually, everyEvent, expectEachChangeDeliveredOnce, expectEveryChangeOnTopic, sleep, statusChangeIds, type DrillLedger } from './support/drill-kit';
import { KafkaCluster } from './support/kafka-cluster';
import { ServiceProcess } from './support/service-process';

jest.setTimeout(180_000);

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const pool = new Pool({ connectionString: databaseUrl, max: 4 });
const suffix = randomBytes(4).toString('hex');
const schema = { events: `drill_${suffix}_events`, relay: `drill_${suffix}_relay`, notifications: `drill_${suffix}_notif` };
const topic = uniqueTopicName('cluster-drill');
const webhookPath = '/agency-wide';
const receiver = new WebhookReceiver();
const outbox = mkdtempSync(join(tmpdir(), 'drill-outbox-'));
const services: ServiceProcess[] = [];
let cluster: KafkaCluster | undefined;
let kafka: Kafka;
let store: PostgresEventStore;
let relay: ServiceProcess;
let notifier: ServiceProcess;
let ledger: DrillLedger;

const start = async (name: string, entry: string, env: Record<string, string>) => {
  const service = await ServiceProcess.start(name, entry, { DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: schema.events, KAFKA_BROKERS: cluster?.brokers ?? '', ...env });
  services.push(service);
  await service.waitReady(120_000);
  return service;
};

/** The topic's partitions: leader, replicas and in-sync replicas (Kafka node ids, 1 to 3). */
async function partitions(): Promise<{ partitionId: number; leader: number; replicas: number[]; isr: number[] }[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [found] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return found.partitions.map(({ partitionId, leader, replicas, isr }) => ({ partitionId, leader, replicas: [...replicas].sort(), isr: [...isr].sort() }));
  } finally {
    await admin.disconnect();
  }
}

async function topicSetting(name: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }], includeSynonyms: false });
    return resources[0]?.configEntries.find((entry) => entry.configName === name)?.configValue;
  } finally {
    await admin.disconnect();
  }
}

/** The node leading the most of the topic's partitions (the lowest id among equals). */
function busiestLeader(of: { leader: number }[]): number {
  const led = new Map<number, number>();
  for (const { leader } of of) led.set(leader, (led.get(leader) ?? 0) + 1);
  return [...led.entries()].sort(([a, x], [b, y]) => y - x || a - b)[0][0];
}

/** The longest time between two consecutive records (by the timestamp the producer gave them), and when it began. */
function longestPause(records: ConsumedRecord[]): { ms: number; from: number } {
  const stamps = records.map((record) => record.timestamp).sort((a, b) => a - b);
  let pause = { ms: 0, from: stamps[0] };
  for (let i = 1; i < stamps.length; i++) if (stamps[i] - stamps[i - 1] > pause.ms) pause = { ms: stamps[i] - stamps[i - 1], from: stamps[i - 1] };
  return pause;
}

/** Where the notifier is, for a failing drill: its consumer group's lag on the topic and its deliveries by status. */
async function notifierProgress(expected: number, records: ConsumedRecord[]): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId: `drill-notifier-${suffix}`, topics: [topic] });
    const lag = ends.map(({ partition, offset }) => Number(offset) - Number(committed?.partitions.find((p) => p.partition === partition)?.offset ?? 0));
    const { rows } = await pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM "${schema.notifications}".deliveries GROUP BY status`);
    const delivered = new Set((await pool.query<{ event_id: string }>(`SELECT event_id FROM "${schema.notifications}".deliveries`)).rows.map((row) => row.event_id));
    const missing = records.filter((record) => !delivered.has(record.headers['ce_id'] ?? '')).map((record) => `${record.partition}/${record.offset}`);
    return `${expected} changes; the notifier's lag per partition ${JSON.stringify(lag)}; deliveries ${JSON.stringify(rows)}; ${webhookRequests()} webhook requests; records without a delivery (partition/offset): ${missing.join(' ')}`;
  } finally {
    await admin.disconnect();
  }
}

const webhookRequests = () => receiver.received.filter((request) => request.path === webhookPath).length;

beforeAll(async () => {
  cluster = await KafkaCluster.start();
  kafka = createKafka({ brokers: cluster.brokers.split(','), clientId: 'kafka-cluster-drill', logLevel: logLevel.NOTHING });
  store = await createPostgresEventStore({ connection: pool, schema: schema.events, pollIntervalMs: 50 });
  ledger = { pool, store, eventsSchema: schema.events, notificationsSchema: schema.notifications };
  await receiver.start();
  // The relay creates the topics, replicated as configured.
  relay = await start('relay', 'apps/kafka-relay/src/main.ts', {
    KAFKA_RELAY_SCHEMA: schema.relay,
    KAFKA_TOPIC: topic,
    KAFKA_TOPIC_REPLICATION_FACTOR: '3',
    KAFKA_TOPIC_MIN_INSYNC_REPLICAS: '2',
  });
  notifier = await start('notifier', 'apps/notifier/src/main.ts', {
    NOTIFICATIONS_SCHEMA: schema.notifications,
    NOTIFIER_GROUP_ID: `drill-notifier-${suffix}`,
    NOTIFIER_TOPIC: topic,
    NOTIFIER_PORT: String(await freePort()),
    OUTBOX_DIR: outbox,
    WEBHOOK_ALLOW_INSECURE: 'true',
    WEBHOOK_TIMEOUT_MS: '1000',
  });
  receiver.setSecret(webhookPath, await registerAgencyWebhook({ pool, schema: schema.notifications, url: receiver.endpoint(webhookPath), owner: 'kafka-cluster-drill' }));
}, 240_000);

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  await store?.close();
  await receiver.stop();
  await cluster?.stop();
  for (const name of Object.values(schema)) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  await pool.end();
  rmSync(outbox, { recursive: true, force: true });
}, 60_000);

describe('a three-broker Kafka cluster that loses a broker while an agency appends', () => {
  it('kill -9 the busiest leader, then start it again: nothing lost, each change delivered once, the relay pauses briefly, the broker rejoins the ISR', async () => {
    // The relay created the topic with three replicas of every partition, all in sync, and a
    // write needs two of them.
    const before = await partitions();
    expect(before).toHaveLength(6);
    for (const partition of before) {
      expect(partition.replicas).toEqual([1, 2, 3]);
      expect(partition.isr).toEqual([1, 2, 3]);
    }
    expect(await topicSetting('min.insync.replicas')).toBe('2');

    let appending = true;
    const agencies = (async () => {
      // A steady stream, about what one agency sends at a busy hour, not as fast as it can.
      while (appending) {
        await agency(store, 1);
        await sleep(50);
      }
    })();
    try {
      await eventually(() => webhookRequests() >= 10, 'webhooks under way', 60_000, 50);

      const victim = busiestLeader(await partitions());
      const killedAt = performance.now();
      const killedAtMs = Date.now();
      await cluster?.kill(victim);
      // Its partitions get new leaders among the in-sync replicas once the controllers fence it.
      await eventually(async () => (await partitions()).every((p) => p.leader !== victim && p.leader >= 0), 'new leaders for every partition', 60_000, 100);
      const newLeadersMs = Math.round(performance.now() - killedAt);

      // Two of three replicas are in sync: min.insync.replicas is met and the relay publishes on.
      const withTwo = webhookRequests();
      await eventually(() => webhookRequests() >= withTwo + 10, 'status changes flow with a broker down', 60_000, 50);
      const degraded = await partitions();
      for (const partition of degraded) expect(partition.isr).not.toContain(victim);
      expect(relay.running).toBe(true);

      const restartedAt = performance.now();
      await cluster?.startNode(victim);
      const answeringMs = Math.round(performance.now() - restartedAt);
      await eventually(async () => (await partitions()).every((p) => p.isr.length === 3), `node ${victim} back in every partition's ISR`, 90_000, 100);
      const rejoinMs = Math.round(performance.now() - restartedAt) - answeringMs;
      const afterRejoin = webhookRequests();
      await eventually(() => webhookRequests() >= afterRejoin + 10, 'status changes flow after the broker is back', 60_000, 50);

      appending = false;
      await agencies;

      // Nothing lost: once the relay has checkpointed the head of the store (Kafka acknowledged
      // everything), every status change the store holds is on the topic.
      const recorded = await everyEvent(ledger);
      const head = formatPosition(recorded[recorded.length - 1].position);
      await eventually(
        async () => (await pool.query(`SELECT position FROM "${schema.relay}".checkpoint`)).rows[0]?.position === head,
        `the relay checkpoints ${head}`,
        90_000,
        100,
      );
      const expected = await statusChangeIds(ledger);
      // A change on the topic twice (a batch the relay sent again after an error) is the same record.
      const { records, republished } = await expectEveryChangeOnTopic(kafka, topic, expected);

      // None notified twice: one delivery per change and subscription, each sent under one webhook-id.
      const repeated = await expectEachChangeDeliveredOnce(ledger, receiver, webhookPath, expected).catch(async (error: unknown) => {
        throw new Error(`${String(error)}; ${await notifierProgress(expected.length, records)}`);
      });

      const pause = longestPause(records);
      expect(relay.running).toBe(true);
      expect(notifier.running).toBe(true);
      // A generous bound: the pause is the fencing of the lost broker (3 s) and the clients' retries.
      expect(pause.ms).toBeLessThan(30_000);
      console.log(
        [
          `kafka cluster: kill -9 of node ${victim} (leading ${before.filter((p) => p.leader === victim).length} of 6 partitions); new leaders after ${newLeadersMs} ms;`,
          `the relay's longest pause in publishing was ${pause.ms} ms, beginning ${pause.from - killedAtMs} ms after the kill;`,
          `node ${victim} restarted: answering after ${answeringMs} ms (JVM start), back in every ISR ${rejoinMs} ms later; ${expected.length} status changes, ${records.length} records on the topic`,
          `(${republished.length} published twice, each delivered once); ${repeated.length} webhook requests sent again`,
        ].join(' '),
      );
    } finally {
      appending = false;
      await agencies;
    }
  });
});
