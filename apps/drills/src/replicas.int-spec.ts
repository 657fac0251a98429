/**
 * Drill: two instances of the projector, the relay and the notifier, each an app in a process of
 * its own on the shared PostgreSQL and Kafka, while an agency keeps appending. kill -9 the
 * active projector, then the active relay: the standby takes over (the time is printed), the read
 * models equal a rebuild, every status change is on the topic (a batch published again carries
 * the same CloudEvents ids) and the webhook subscriber received each one once.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignerProtocol, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { formatPosition } from '@case-status/event-contract';
import { createPostgresEventStore, type PostgresEventStore } from '@case-status/event-store';
import { createKafka, loadKafkaConnection } from '@case-status/messaging';
import { createTestTopics } from '@case-status/messaging/testing';
import { registerAgencyWebhook, WebhookReceiver } from '@case-status/notifications/testing';
import { rebuildProjection } from '@case-status/projection-runner';
import { caseReadModels } from '@case-status/read-models';
import {
  agency,
  eventually,
  everyEvent,
  expectEachChangeDeliveredOnce as expectEachChangeDeliveredOnceTo,
  expectEveryChangeOnTopic,
  statusChangeIds as statusChangeIdsOf,
  tables,
} from './support/drill-kit';
import { freePort } from '@case-status/http-support/testing';
import { ServiceProcess } from './support/service-process';

jest.setTimeout(180_000);

const databaseUrl = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/case_status_test';
const pool = new Pool({ connectionString: databaseUrl, max: 8 });
const kafka = createKafka({ ...loadKafkaConnection(process.env), clientId: 'replicas-drill', logLevel: logLevel.NOTHING });
const suffix = randomBytes(4).toString('hex');
const schema = {
  events: `drill_${suffix}_events`,
  readModels: `drill_${suffix}_rm`,
  weekly: `drill_${suffix}_wf`,
  feedback: `drill_${suffix}_fb`,
  relay: `drill_${suffix}_relay`,
  notifications: `drill_${suffix}_notif`,
  rebuilt: `drill_${suffix}_rebuilt`,
};
const groupId = `drill-notifier-${suffix}`;
const receiver = new WebhookReceiver();
const outbox = mkdtempSync(join(tmpdir(), 'drill-outbox-'));
const services: ServiceProcess[] = [];
let store: PostgresEventStore;
let topic: string;
let deleteTopics: () => Promise<void> = async () => undefined;
let projectors: ServiceProcess[];
let relays: ServiceProcess[];
let notifiers: ServiceProcess[];
/** The receiver's endpoint for the agency-wide webhook. */
const webhookPath = '/agency-wide';

const start = async (name: string, entry: string, env: Record<string, string>) => {
  const service = await ServiceProcess.start(name, entry, { DATABASE_URL: databaseUrl, EVENT_STORE_SCHEMA: schema.events, ...env });
  services.push(service);
  return service;
};

const projectorEnv = { READ_MODEL_SCHEMA: schema.readModels, WEEKLY_CASE_FLOW_SCHEMA: schema.weekly, FEEDBACK_SCHEMA: schema.feedback };
const relayEnv = () => ({ KAFKA_RELAY_SCHEMA: schema.relay, KAFKA_TOPIC: topic });
const notifierEnv = async () => ({
  NOTIFICATIONS_SCHEMA: schema.notifications,
  NOTIFIER_GROUP_ID: groupId,
  NOTIFIER_TOPIC: topic,
  NOTIFIER_PORT: String(await freePort()),
  OUTBOX_DIR: outbox,
  WEBHOOK_ALLOW_INSECURE: 'true',
  // A killed instance's partitions move after 6 s (the broker's least), its claimed deliveries after 3 s.
  NOTIFIER_SESSION_TIMEOUT_MS: '6000',
  WEBHOOK_TIMEOUT_MS: '1000',
  NOTIFY_LEASE_MS: '3000',
});

/** The instance whose readiness check `check` says `active`, and the other. */
async function byRole(instances: ServiceProcess[], check: string): Promise<{ active: ServiceProcess; standby: ServiceProcess }> {
  const roles = await Promise.all(instances.map((instance) => instance.role(check)));
  expect([...roles].sort()).toEqual(['active', 'standby']);
  return { active: instances[roles.indexOf('active')], standby: instances[roles.indexOf('standby')] };
}

/**
 * kill -9 the active instance; resolves with the ms until the standby's readiness says it is
 * active and ready (polled every 10 ms).
 */
async function killAndTime(active: ServiceProcess, standby: ServiceProcess, check: string): Promise<number> {
  const killedAt = performance.now();
  await active.kill();
  await eventually(
    async () => {
      const { status, body } = await standby.readiness();
      return status === 200 && body?.details[check]?.['role'] === 'active';
    },
    `${standby.name} takes over`,
    30_000,
    10,
  );
  return Math.round(performance.now() - killedAt);
}

/** Requests the webhook endpoint received so far. */
const webhookRequests = () => receiver.received.filter((request) => request.path === webhookPath).length;

const ledger = () => ({ pool, store, eventsSchema: schema.events, notificationsSchema: schema.notifications });
const statusChangeIds = () => statusChangeIdsOf(ledger());
const expectEachChangeDeliveredOnce = (expected: string[]) => expectEachChangeDeliveredOnceTo(ledger(), receiver, webhookPath, expected);

beforeAll(async () => {
  store = await createPostgresEventStore({ connection: pool, schema: schema.events, pollIntervalMs: 50 });
  ({ topic, deleteTopics } = await createTestTopics(kafka, 'replicas-drill', { partitions: 6 }));
  await receiver.start();
  const notifierEnvs = [await notifierEnv(), await notifierEnv()];
  projectors = [await start('projector-1', 'apps/projector/src/main.ts', projectorEnv), await start('projector-2', 'apps/projector/src/main.ts', projectorEnv)];
  relays = [await start('relay-1', 'apps/kafka-relay/src/main.ts', relayEnv()), await start('relay-2', 'apps/kafka-relay/src/main.ts', relayEnv())];
  notifiers = [await start('notifier-1', 'apps/notifier/src/main.ts', notifierEnvs[0]), await start('notifier-2', 'apps/notifier/src/main.ts', notifierEnvs[1])];
  await Promise.all(services.map((service) => service.waitReady(150_000)));

  // An agency-wide webhook, registered as the status API would, on the tables the notifiers migrated.
  receiver.setSecret(webhookPath, await registerAgencyWebhook({ pool, schema: schema.notifications, url: receiver.endpoint(webhookPath), owner: 'replicas-drill' }));

  // Both notifiers are in the group and share the partitions before anything is published.
  await eventually(async () => (await partitionsByMember()).filter((partitions) => partitions.length > 0).length === 2, 'both notifiers share the partitions', 60_000, 200);
}, 240_000);

/** The topic's partitions each member of the notifiers' consumer group holds, once the group is stable (else none). */
async function partitionsByMember(): Promise<number[][]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [group] = (await admin.describeGroups([groupId])).groups;
    if (group?.state !== 'Stable') return [];
    return group.members.map((member) => {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      return [...(assignment?.assignment[topic] ?? [])].sort((a, b) => a - b);
    });
  } finally {
    await admin.disconnect();
  }
}

afterAll(async () => {
  await Promise.all(services.map((service) => service.stop()));
  if (services.some((service) => service.running)) console.warn('a drill service did not stop');
  await store?.close();
  await receiver.stop();
  await deleteTopics().catch(() => undefined);
  for (const name of Object.values(schema)) await pool.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  await pool.end();
  rmSync(outbox, { recursive: true, force: true });
});

describe('two instances of each service while an agency appends', () => {
  it('kill -9 the active projector: the standby takes over and the read models equal a rebuild', async () => {
    const check = 'projection:case-read-models';
    const { active, standby } = await byRole(projectors, check);
    // A standby is ready, and says so in its metrics.
    expect((await standby.readiness()).status).toBe(200);
    expect(await standby.metrics()).toContain('leader_active{role="projector"} 0');
    expect(await active.metrics()).toContain('leader_active{role="projector"} 1');

    const appending = agency(store, 16);
    await eventually(async () => (await pool.query(`SELECT count(*)::int AS n FROM "${schema.readModels}".case_status`)).rows[0].n >= 4, 'projecting under way');
    const takeoverMs = await killAndTime(active, standby, check);
    await appending;

    const recorded = await everyEvent(ledger());
    const head = formatPosition(recorded[recorded.length - 1].position);
    await eventually(
      async () => (await pool.query(`SELECT position FROM "${schema.readModels}".checkpoint WHERE projection = $1`, [caseReadModels.name])).rows[0]?.position === head,
      `the new leader projects up to ${head}`,
    );
    await rebuildProjection(caseReadModels, { pool, source: store, schema: schema.rebuilt });
    const projected = await tables(pool, schema.readModels);
    expect(projected).toEqual(await tables(pool, schema.rebuilt));
    expect(projected['case_status']).toHaveLength(16);
    console.log(`projector: the standby took over ${takeoverMs} ms after kill -9 of the active instance`);
  });

  it('kill -9 the active relay: the standby takes over; every change is on the topic and each was delivered to the subscriber once', async () => {
    const { active, standby } = await byRole(relays, 'relay');
    const before = webhookRequests();
    const appending = agency(store, 16);
    await eventually(() => webhookRequests() >= before + 10, 'webhooks under way');
    const takeoverMs = await killAndTime(active, standby, 'relay');
    await appending;

    const expected = await statusChangeIds();
    // A batch the killed relay published without checkpointing is published again by the new
    // leader: the same records, which the notifier dedupes.
    const { republished } = await expectEveryChangeOnTopic(kafka, topic, expected);

    const repeated = await expectEachChangeDeliveredOnce(expected);
    console.log(
      `relay: the standby took over ${takeoverMs} ms after kill -9 of the active instance; ${republished.length} status changes were published twice, each delivered once; ${repeated.length} webhook requests were sent again (answers lost: ${repeated.map((r) => r.answered).join(', ') || 'none'})`,
    );
  });

  it('kill -9 a notifier instance mid-delivery: its partitions move to the other; the subscriber gets each change, one delivery each', async () => {
    const shared = await partitionsByMember();
    expect(shared).toHaveLength(2);
    expect(shared.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
    const [killed, survivor] = notifiers;
    const before = webhookRequests();
    const appending = agency(store, 16);
    await eventually(() => webhookRequests() >= before + 10, 'webhooks under way');
    const killedAt = performance.now();
    await killed.kill();
    await eventually(async () => JSON.stringify(await partitionsByMember()) === JSON.stringify([[0, 1, 2, 3, 4, 5]]), 'the partitions move to the other notifier', 60_000, 100);
    const movedMs = Math.round(performance.now() - killedAt);
    await appending;

    // A request the killed instance had under way is sent again by the other once its claim
    // runs out (NOTIFY_LEASE_MS), with the same webhook-id.
    const repeated = await expectEachChangeDeliveredOnce(await statusChangeIds());
    expect(survivor.running).toBe(true);
    console.log(
      `notifier: the partitions moved to the other instance ${movedMs} ms after kill -9 (session timeout 6 s); ${repeated.length} webhook requests were sent again, each with its webhook-id`,
    );
  });
});
