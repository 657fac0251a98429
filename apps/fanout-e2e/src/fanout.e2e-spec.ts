import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { comparePositions, formatPosition } from '@case-status/event-contract';
import { readTopic, type ConsumedRecord } from '@case-status/messaging';
import type { CrashingRelayReport } from './fixtures/crashing-relay';
import {
  aCaseLife,
  eventually,
  FanoutHarness,
  newReceiptNumber,
  STATUS_CODES_OF_A_CASE_LIFE,
  statusChanging,
  statusEmails,
  statusLineOf,
  testBrokers,
  testDatabaseUrl,
  type Flow,
  type IntakeEvent,
  type WebhookPayload,
} from './fixtures/fanout-harness';

jest.setTimeout(60_000);

const root = join(__dirname, '../../..');
const harness = new FanoutHarness();

beforeAll(() => harness.start());
afterAll(() => harness.stop());

const anAddress = (who: string) => `${who}-${randomBytes(4).toString('hex')}@example.org`;

/** Webhook requests an endpoint accepted, in arrival order, with their verified payloads. */
function webhookPayloads(path: string): WebhookPayload[] {
  return harness.receiver.at(path).map((r) => {
    if (!r.verified.ok) throw new Error(`webhook at ${path} failed verification: ${r.verified.error}`);
    return r.verified.payload as WebhookPayload;
  });
}
const webhookIds = (path: string) => webhookPayloads(path).map((p) => p.data.eventId);
const ofCase = (path: string, receiptNumber: string) => webhookPayloads(path).filter((p) => p.data.receiptNumber === receiptNumber);

const idsOf = (records: ConsumedRecord[]) => records.map((r) => r.headers['ce_id']);
const occurrences = (ids: string[], id: string) => ids.filter((x) => x === id).length;

/** Posts the cases' events interleaved (a0 b0 a1 b1 ...), each case in its own order. */
async function postInterleaved(flow: Flow, cases: [string, IntakeEvent[]][], from = 0, to = Infinity): Promise<void> {
  const longest = Math.max(...cases.map(([, life]) => life.length));
  for (let i = from; i < Math.min(longest, to); i++) {
    for (const [receipt, life] of cases) if (life[i]) await flow.postAll(receipt, [life[i]]);
  }
}

/**
 * Waits until the notifier consumed `messages` Kafka records and every delivery it queued is
 * delivered: from then on nothing more is on its way, so counting what arrived is final.
 */
async function settled(flow: Flow, messages: number, deliveries: number) {
  await eventually(() => flow.notifier.consumedMessages, (n) => n >= messages);
  return eventually(() => flow.deliveryCounts(), (counts) => counts['delivered'] === deliveries && Object.keys(counts).length === 1);
}

describe('intake → relay → Kafka → notifier → webhook and email', () => {
  it('delivers every accepted status change exactly once, each case in order, to a webhook and a confirmed email subscriber', async () => {
    const flow = await harness.flow('once');
    await flow.startRelay();
    const [a, b] = [newReceiptNumber(), newReceiptNumber()];
    const [lifeA, lifeB] = [aCaseLife(), aCaseLife()];
    const agencyWide = await flow.webhook('/agency', null);
    const caseA = await flow.webhook('/case-a', a);
    const subscriber = anAddress('confirmed');
    const unconfirmed = anAddress('pending');
    await flow.confirmedEmailSubscriber(subscriber, a);
    await flow.emailSubscriber(unconfirmed, a);

    await postInterleaved(flow, [[a, lifeA], [b, lifeB]], 0, 3);
    // Refused by intake, so never stored, never relayed: an evidence request that does not
    // exist, and another agency's token for a USCIS case.
    const unknownRequest = { eventId: randomUUID(), type: 'EvidenceReceived', occurredAt: '2026-02-10T10:00:00.000Z', data: { requestId: 'RFE-404' } };
    const refusedByDomain = await flow.post(a, unknownRequest);
    expect(refusedByDomain.status).toBe(409);
    const foreign = { eventId: randomUUID(), type: 'CaseReviewStarted', occurredAt: '2026-02-10T10:00:00.000Z', data: {} };
    const refusedAgency = await flow.post(b, foreign, { agency: 'VBA' });
    expect(refusedAgency.status).toBe(403);
    await postInterleaved(flow, [[a, lifeA], [b, lifeB]], 3);

    const [expectedA, expectedB] = [statusChanging(lifeA), statusChanging(lifeB)];
    const expected = [...expectedA, ...expectedB];
    // Two webhooks see case A, one sees case B; the confirmed address gets case A's five.
    const counts = await settled(flow, expected.length, expected.length + expectedA.length + expectedA.length);
    expect(counts).toEqual({ delivered: 20 });

    // Kafka carried each change once (the relay did not crash here).
    const records = await readTopic({ kafka: harness.kafka, topic: flow.topic, until: (r) => r.length >= expected.length, timeoutMs: 10_000 });
    expect(idsOf(records).sort()).toEqual([...expected].sort());

    // The webhooks: each change once, each case in the order intake accepted it.
    expect(webhookIds(agencyWide).sort()).toEqual([...expected].sort());
    expect(ofCase(agencyWide, a).map((p) => p.data.eventId)).toEqual(expectedA);
    expect(ofCase(agencyWide, b).map((p) => p.data.eventId)).toEqual(expectedB);
    expect(ofCase(agencyWide, a).map((p) => p.data.statusCode)).toEqual(STATUS_CODES_OF_A_CASE_LIFE);
    expect(ofCase(agencyWide, b).map((p) => p.data.streamRevision)).toEqual(['0', '1', '2', '4', '5']); // revision 3 changed nothing public
    expect(webhookIds(caseA)).toEqual(expectedA);
    expect(new Set(harness.receiver.at(agencyWide).map((r) => r.headers['webhook-id'])).size).toBe(expected.length);
    const refusedIds: string[] = [unknownRequest.eventId, foreign.eventId];
    expect(webhookIds(agencyWide).filter((id) => refusedIds.includes(id))).toEqual([]);

    // The email subscriber: case A's five changes, once each, in the same order as the webhook.
    const emails = statusEmails(harness.smtp, subscriber);
    expect(emails.map(statusLineOf)).toEqual(ofCase(agencyWide, a).map((p) => p.data.statusText.en));
    expect(emails.every((m) => m.headers.get('subject') === `Update on case ${a}`)).toBe(true);
    // Double opt-in: the unconfirmed address got its confirmation request and nothing else.
    expect(harness.smtp.to(unconfirmed)).toHaveLength(1);
    expect(statusEmails(harness.smtp, unconfirmed)).toEqual([]);
  });

  it('loses nothing and notifies nobody twice when the relay is killed between Kafka’s ack and its checkpoint', async () => {
    const flow = await harness.flow('crash');
    const [a, b] = [newReceiptNumber(), newReceiptNumber()];
    const [lifeA, lifeB] = [aCaseLife(), aCaseLife()];
    const agencyWide = await flow.webhook('/agency', null);
    const subscriber = anAddress('crash');
    await flow.confirmedEmailSubscriber(subscriber, a);
    await postInterleaved(flow, [[a, lifeA], [b, lifeB]]);
    const [expectedA, expectedB] = [statusChanging(lifeA), statusChanging(lifeB)];
    const expected = [...expectedA, ...expectedB];

    // A relay process whose first batch (a0 b0 a1 b1) Kafka acknowledges; it dies before the checkpoint.
    const child = fork(join(__dirname, 'fixtures/crashing-relay.ts'), [], {
      cwd: root,
      execArgv: ['-r', '@swc-node/register'],
      env: {
        ...process.env,
        SWC_NODE_PROJECT: join(root, 'tsconfig.base.json'),
        KAFKA_BROKERS: testBrokers().join(','),
        TEST_DATABASE_URL: testDatabaseUrl(),
        FANOUT_EVENT_SCHEMA: flow.eventSchema,
        FANOUT_CHECKPOINT_SCHEMA: flow.checkpointSchema,
        FANOUT_TOPIC: flow.topic,
        FANOUT_MAX_BATCH: '4',
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    const report = await new Promise<CrashingRelayReport>((resolve, reject) => {
      child.once('message', (message) => resolve(message as CrashingRelayReport));
      child.once('exit', (code) => reject(new Error(`crashing relay exited (${code}) before publishing`)));
    });
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const firstBatch = [expectedA[0], expectedB[0], expectedA[1], expectedB[1]];
    expect(report.published).toEqual(firstBatch);
    expect(await flow.checkpoints.load()).toBeUndefined();

    // The notifier delivered the first copies before the duplicates exist.
    await harness.receiver.until(() => firstBatch.every((id) => webhookIds(agencyWide).includes(id)));

    const relay = await flow.startRelay();
    const records = await readTopic({ kafka: harness.kafka, topic: flow.topic, until: (r) => r.length >= expected.length + firstBatch.length });
    // Kafka holds the crashed batch twice, same CloudEvents ids, and everything else once.
    const ids = idsOf(records);
    expect(firstBatch.map((id) => occurrences(ids, id))).toEqual([2, 2, 2, 2]);
    const rest = expected.filter((id) => !firstBatch.includes(id));
    expect(rest.map((id) => occurrences(ids, id))).toEqual(rest.map(() => 1));
    expect(ids).toHaveLength(expected.length + firstBatch.length);
    // The restarted relay checkpointed past the last event.
    const last = (await flow.store.readAll({ maxCount: 100 })).at(-1)?.position;
    const checkpoint = await eventually(() => flow.checkpoints.load(), (p) => p !== undefined && last !== undefined && comparePositions(p, last) === 0);
    expect(checkpoint && formatPosition(checkpoint)).toBe(last && formatPosition(last));
    expect(relay.publishedCount).toBe(expected.length);

    // The notifier consumed the duplicates too, and delivered nothing twice.
    const counts = await settled(flow, expected.length + firstBatch.length, expected.length + expectedA.length);
    expect(counts).toEqual({ delivered: 15 });
    expect(flow.notifier.consumedMessages).toBe(expected.length + firstBatch.length);
    expect(webhookIds(agencyWide).sort()).toEqual([...expected].sort());
    expect(ofCase(agencyWide, a).map((p) => p.data.eventId)).toEqual(expectedA);
    expect(ofCase(agencyWide, b).map((p) => p.data.eventId)).toEqual(expectedB);
    const emails = statusEmails(harness.smtp, subscriber);
    expect(emails.map(statusLineOf)).toEqual(ofCase(agencyWide, a).map((p) => p.data.statusText.en));
    expect(emails).toHaveLength(expectedA.length);
  });

  it('refuses at send time an endpoint whose name resolves to a local address once insecure webhooks are off, dead-lettering each change with the reason after one attempt', async () => {
    const flow = await harness.flow('strict', { insecureWebhooks: false });
    await flow.startRelay();
    const a = newReceiptNumber();
    const life = aCaseLife();
    const endpoint = await flow.localhostWebhookRegisteredWhileInsecure('/was-allowed', a);
    await flow.postAll(a, life);

    const expected = statusChanging(life);
    await eventually(() => flow.notifier.consumedMessages, (n) => n >= expected.length);
    const counts = await eventually(() => flow.deliveryCounts(), (c) => c['dead_lettered'] === expected.length && Object.keys(c).length === 1);
    expect(counts).toEqual({ dead_lettered: expected.length });
    const log = await flow.notifier.deliveryLog.query({ receiptNumber: a, first: 100 });
    expect(log.items.map((item) => [item.status, item.attempts])).toEqual(expected.map(() => ['dead_lettered', 1]));
    for (const item of log.items) expect(item.lastError).toMatch(/^the host localhost resolves to (127\.0\.0\.1|::1), a loopback address$/);
    // Nothing reached the endpoint: the check runs before any connection.
    expect(harness.receiver.at(endpoint)).toEqual([]);
  });
});
