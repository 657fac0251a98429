import { Pool } from 'pg';
import type { CaseStatusChangedV1 } from '@case-status/integration-events';
import { DeliveryActions } from './delivery-actions';
import { SmtpEmailSender } from './email.channel';
import { Notifier } from './notifier';
import { statusChanged, statusChangedKafkaMessage } from '../testing/fixtures';
import { TestKafka } from '../testing/kafka-topics';
import { SmtpCapture } from '../testing/smtp-capture';
import { dropSchema, eventually, KAFKA_BROKERS, newReceiptNumber, RecordingLogger, TEST_DATABASE_URL, uniqueName } from '../testing/support';
import { WebhookReceiver } from '../testing/webhook-receiver';

jest.setTimeout(60_000);

const schema = uniqueName('notif_actions');
const topic = `test.${uniqueName('status_changed')}`;
const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 10 });
const smtp = new SmtpCapture();
const receiver = new WebhookReceiver();
const kafka = new TestKafka();
const carl = { agency: 'USCIS', actor: 'caseworker-carl' };
const vera = { agency: 'VBA', actor: 'caseworker-vera' };
let sender: SmtpEmailSender;
let notifier: Notifier;
let actions: DeliveryActions;

beforeAll(async () => {
  await Promise.all([smtp.start(), receiver.start(), kafka.start()]);
  await kafka.createTopic(topic);
  sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
  notifier = new Notifier({
    pool,
    schema,
    kafka: { brokers: KAFKA_BROKERS, groupId: uniqueName('notifier'), topic, fromBeginning: true, maxWaitTimeMs: 200 },
    email: sender,
    publicBaseUrl: 'https://status.example.gov',
    retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50, jitter: 0 },
    webhookTimeoutMs: 500,
    worker: { pollIntervalMs: 20, concurrency: 4 },
    webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: true },
    logger: new RecordingLogger(),
  });
  await notifier.start();
  actions = new DeliveryActions(pool, schema);
});

afterAll(async () => {
  await notifier?.stop();
  sender?.close();
  await Promise.all([smtp.stop(), receiver.stop()]);
  await kafka.stop([`${topic}.dlq`]);
  await dropSchema(pool, schema);
  await pool.end();
});

async function produce(...changes: CaseStatusChangedV1[]): Promise<string[]> {
  const messages = changes.map((c) => statusChangedKafkaMessage(c));
  await kafka.producer.send({ topic, acks: -1, messages });
  return messages.map((m) => m.headers['ce_id']);
}

const change = (receiptNumber: string, revision: number) => statusChanged({ receiptNumber, streamRevision: String(revision), position: `${revision}:${revision}` });

/** An endpoint that fails until `healthy.now` is set. */
async function hook(path: string, receiptNumber: string, healthy = { now: true }) {
  const url = receiver.endpoint(path, () => (healthy.now ? 204 : 500));
  const registered = await notifier.subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber, url, owner: 'rep-rita' });
  receiver.setSecret(path, registered.secret);
  return { ...registered, healthy };
}

/** Event ids the endpoint accepted, as often as it accepted them. */
const accepted = (path: string) => receiver.at(path).filter((r) => r.answered === 204).map((r) => (JSON.parse(r.body) as { data: { eventId: string } }).data.eventId);

async function deliveriesOf(receiptNumber: string, subscriptionId: string) {
  return (await notifier.deliveryLog.query({ receiptNumber, first: 100 })).items.filter((d) => d.subscriptionId === subscriptionId);
}

async function settled(receiptNumber: string, subscriptionId: string, status: string, count = 1) {
  return eventually(async () => {
    const deliveries = await deliveriesOf(receiptNumber, subscriptionId);
    expect(deliveries.map((d) => d.status)).toEqual(Array(count).fill(status));
    return deliveries;
  });
}

describe('re-drive', () => {
  it('puts a dead letter back once however often it is re-driven, records who did it, and it is delivered once', async () => {
    const receipt = newReceiptNumber();
    const endpoint = await hook('/flaky', receipt, { now: false });
    const [eventId] = await produce(change(receipt, 1));
    const [dead] = await settled(receipt, endpoint.id, 'dead_lettered');
    endpoint.healthy.now = true;

    // Another agency's staff cannot touch it, and learn nothing from trying.
    expect(await actions.redriveDelivery(vera, dead.id)).toBeNull();
    expect(await actions.redriveDelivery(carl, 'not-a-delivery-id')).toBeNull();

    // Two colleagues click at once: one of them re-queues it.
    const results = await Promise.all([actions.redriveDelivery(carl, dead.id), actions.redriveDelivery({ ...carl, actor: 'caseworker-cora' }, dead.id)]);
    expect(results.map((r) => r?.redriven).sort()).toEqual([0, 1]);
    const [delivered] = await settled(receipt, endpoint.id, 'delivered');
    expect(delivered).toMatchObject({ id: dead.id, attempts: 1, lastError: null, deadLetteredAt: null });
    expect(accepted('/flaky')).toEqual([eventId]);

    // A delivered letter is not re-driven again.
    expect(await actions.redriveDelivery(carl, dead.id)).toEqual({ redriven: 0, action: null });
    const recorded = (await actions.recent('USCIS', 10)).filter((a) => a.deliveryIds.includes(dead.id));
    expect(recorded).toEqual([{ id: expect.any(String), agency: 'USCIS', actor: expect.stringMatching(/^caseworker-c(arl|ora)$/), action: 'redrive', endpointId: null, deliveryIds: [dead.id], at: expect.any(String) }]);
    expect(await actions.recent('VBA', 10)).toEqual([]);
  });

  it("re-drives every dead letter of one of the agency's endpoints, each delivered once", async () => {
    const receipt = newReceiptNumber();
    const endpoint = await hook('/down', receipt, { now: false });
    const eventIds = await produce(change(receipt, 1), change(receipt, 2));
    await settled(receipt, endpoint.id, 'dead_lettered', 2);
    expect((await actions.endpoints('USCIS')).find((e) => e.id === endpoint.id)).toMatchObject({ receiptNumber: receipt, owner: 'rep-rita', pausedAt: null, deadLettered: 2 });
    expect(await actions.redriveEndpoint(vera, endpoint.id)).toBeNull();
    endpoint.healthy.now = true;

    const result = await actions.redriveEndpoint(carl, endpoint.id);
    expect(result?.redriven).toBe(2);
    expect(result?.action).toMatchObject({ actor: 'caseworker-carl', action: 'redrive', endpointId: endpoint.id });
    await settled(receipt, endpoint.id, 'delivered', 2);
    expect(accepted('/down').sort()).toEqual([...eventIds].sort());
    expect(await actions.redriveEndpoint(carl, endpoint.id)).toEqual({ redriven: 0, action: null });
  });
});

describe('pause and resume', () => {
  it('holds a paused endpoint’s deliveries in the queue, untried, and delivers them once it is resumed', async () => {
    const receipt = newReceiptNumber();
    const paused = await hook('/paused', receipt);
    await hook('/marker', receipt);
    expect(await actions.pause(vera, paused.id)).toBeNull();
    expect(await actions.pause(carl, paused.id)).toMatchObject({ id: paused.id, pausedAt: expect.any(String) });
    // Pausing again changes and records nothing.
    expect(await actions.pause(carl, paused.id)).toMatchObject({ id: paused.id, pausedAt: expect.any(String) });

    const [eventId] = await produce(change(receipt, 1));
    // The marker endpoint of the same case got it: the paused one's delivery was there to be claimed, and was not.
    await receiver.until(() => accepted('/marker').includes(eventId));
    expect((await deliveriesOf(receipt, paused.id)).map((d) => [d.status, d.attempts])).toEqual([['pending', 0]]);
    expect(accepted('/paused')).toEqual([]);

    expect(await actions.resume(carl, paused.id)).toMatchObject({ id: paused.id, pausedAt: null });
    await settled(receipt, paused.id, 'delivered');
    expect(accepted('/paused')).toEqual([eventId]);
    const recorded = (await actions.recent('USCIS', 20)).filter((a) => a.endpointId === paused.id).map((a) => [a.action, a.actor]);
    expect(recorded).toEqual([
      ['resume', 'caseworker-carl'],
      ['pause', 'caseworker-carl'],
    ]);
  });
});
