import type { Language } from '@case-status/case-domain';
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { Pool } from 'pg';
import type { CaseStatusChangedV1 } from '@case-status/integration-events';
import { SmtpEmailSender } from './email.channel';
import { NotificationError } from './errors';
import { Notifier } from './notifier';
import { statusChanged, statusChangedKafkaMessage } from '../testing/fixtures';
import { TestKafka } from '../testing/kafka-topics';
import { SmtpCapture, type CapturedEmail } from '../testing/smtp-capture';
import { dropSchema, eventually, KAFKA_BROKERS, linkToken, linkUrl, newReceiptNumber, RecordingLogger, TEST_DATABASE_URL, uniqueName } from '../testing/support';
import { WebhookReceiver } from '../testing/webhook-receiver';

jest.setTimeout(30_000);

const schema = uniqueName('notif_flow');
const topic = `test.${uniqueName('status_changed')}`;
const deadLetterTopic = `${topic}.dlq`;
const groupId = uniqueName('notifier');
const MAX_ATTEMPTS = 3;

const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 10 });
const smtp = new SmtpCapture();
const receiver = new WebhookReceiver();
const kafka = new TestKafka();
const logger = new RecordingLogger();
let sender: SmtpEmailSender;
let notifier: Notifier;
let deadLetters: { messages: KafkaMessage[]; until: (predicate: (messages: KafkaMessage[]) => boolean) => Promise<void> };

const newNotifier = (overrides: Partial<ConstructorParameters<typeof Notifier>[0]> = {}) =>
  new Notifier({
    pool,
    schema,
    kafka: { brokers: KAFKA_BROKERS, groupId, topic, fromBeginning: true, maxWaitTimeMs: 200 },
    email: sender,
    publicBaseUrl: 'https://status.example.gov',
    retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 50, maxDelayMs: 200, jitter: 0 },
    webhookTimeoutMs: 500,
    worker: { pollIntervalMs: 50, concurrency: 4 },
    webhookUrlPolicy: { allowHttp: true, allowPrivateHosts: true },
    logger,
    ...overrides,
  });

beforeAll(async () => {
  await Promise.all([smtp.start(), receiver.start(), kafka.start()]);
  await kafka.createTopic(topic);
  sender = new SmtpEmailSender({ url: smtp.url, from: 'Case Status <no-reply@case-status.example>' });
  notifier = newNotifier();
  await notifier.start();
  deadLetters = await kafka.read(deadLetterTopic);
});

afterAll(async () => {
  await notifier?.stop();
  sender?.close();
  await Promise.all([smtp.stop(), receiver.stop()]);
  await kafka.stop([deadLetterTopic]);
  await dropSchema(pool, schema);
  await pool.end();
});

const change = (receiptNumber: string, revision: number, overrides: Partial<CaseStatusChangedV1> = {}) =>
  statusChanged({ receiptNumber, streamRevision: String(revision), position: `${revision}:${revision}`, ...overrides });

async function produce(...events: (CaseStatusChangedV1 | { data: CaseStatusChangedV1; id: string })[]): Promise<string[]> {
  const messages = events.map((e) => ('id' in e ? statusChangedKafkaMessage(e.data, e.id) : statusChangedKafkaMessage(e)));
  await kafka.producer.send({ topic, acks: -1, messages });
  return messages.map((m) => m.headers['ce_id']);
}

async function subscribeEmail(address: string, receiptNumber: string, language: Language = 'en') {
  const before = smtp.to(address).length;
  await notifier.subscriptions.subscribe({ receiptNumber, email: address, language });
  const mails = await smtp.waitFor(address, before + 1);
  return { confirmToken: linkToken(mails[mails.length - 1].text, 'confirm') };
}

async function subscribeAndConfirm(address: string, receiptNumber: string, language: Language = 'en') {
  const { confirmToken } = await subscribeEmail(address, receiptNumber, language);
  expect((await notifier.subscriptions.confirm(confirmToken)).confirmedNow).toBe(true);
  // Confirming again answers which subscription it was.
  return (await notifier.subscriptions.confirm(confirmToken)).subscriptionId;
}

async function hook(path: string, receiptNumber: string | null, behaviour?: Parameters<WebhookReceiver['endpoint']>[1]) {
  const url = receiver.endpoint(path, behaviour);
  const registered = await notifier.subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber, url, owner: 'test-rep' });
  receiver.setSecret(path, registered.secret);
  return registered;
}

const statusEmails = (address: string) => smtp.to(address).filter((m) => !/^Confirm/.test(m.headers.get('subject') ?? ''));
const waitStatusEmails = async (address: string, count: number): Promise<CapturedEmail[]> => {
  await smtp.until(() => statusEmails(address).length >= count);
  return statusEmails(address);
};
/** Event ids a webhook endpoint accepted (2xx), in arrival order. */
const delivered = (path: string) => receiver.at(path).filter((r) => r.answered >= 200 && r.answered < 300).map((r) => (JSON.parse(r.body) as { data: { eventId: string } }).data.eventId);
const waitDelivered = (path: string, eventId: string) => receiver.until(() => delivered(path).includes(eventId));
const deadLetterOf = (eventId: string) => deadLetters.messages.find((m) => m.headers?.['dlq-original-id']?.toString() === eventId);

describe('double opt-in', () => {
  it('sends nothing before the address is confirmed, then one email per status change', async () => {
    const receipt = newReceiptNumber();
    const address = 'optin@example.org';
    await hook('/optin-marker', receipt);
    const { confirmToken } = await subscribeEmail(address, receipt);

    const [beforeConfirm] = await produce(change(receipt, 1));
    // The marker endpoint got the event, so the consumer has queued everything it ever will for it.
    await waitDelivered('/optin-marker', beforeConfirm);
    expect(statusEmails(address)).toEqual([]);
    expect((await notifier.deliveryLog.query({ receiptNumber: receipt, channel: 'email' })).items).toEqual([]);

    expect((await notifier.subscriptions.confirm(confirmToken)).confirmedNow).toBe(true);
    const [afterConfirm] = await produce(change(receipt, 2, { statusText: { en: 'We mailed your card.', es: 'Enviamos su tarjeta.' } }));
    await waitDelivered('/optin-marker', afterConfirm);
    const [mail] = await waitStatusEmails(address, 1);
    expect(mail.headers.get('subject')).toBe(`Update on case ${receipt}`);
    expect(mail.text).toContain('We mailed your card.');
    expect(mail.text).toContain('What happens next:\nWe will mail your card.');
    const unsubscribe = linkUrl(mail.text, 'unsubscribe');
    expect(unsubscribe.startsWith('https://status.example.gov/notifications/unsubscribe?token=')).toBe(true);
    expect(mail.headers.get('list-unsubscribe')).toBe(`<${unsubscribe}>`);
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.html).toContain('We mailed your card.');
  });

  it('writes to Spanish subscribers in Spanish', async () => {
    const receipt = newReceiptNumber();
    await subscribeAndConfirm('es@example.org', receipt, 'es');
    await produce(change(receipt, 1));
    const [mail] = await waitStatusEmails('es@example.org', 1);
    expect(mail.headers.get('subject')).toBe(`Novedades del caso ${receipt}`);
    expect(mail.text).toContain('Aprobamos su caso.');
    expect(mail.text).toContain('Qué sigue:\nLe enviaremos su tarjeta por correo.');
  });
});

describe('one-click unsubscribe', () => {
  it('works with the token of the List-Unsubscribe header and stops further emails', async () => {
    const receipt = newReceiptNumber();
    const address = 'leave@example.org';
    await hook('/leave-marker', receipt);
    const subscriptionId = await subscribeAndConfirm(address, receipt);
    await produce(change(receipt, 1));
    const [mail] = await waitStatusEmails(address, 1);

    const url = (mail.headers.get('list-unsubscribe') ?? '').replace(/^<|>$/g, '');
    // The one-click POST a mail client sends (RFC 8058) reaches the link pages of @case-status/web, which call this.
    expect((await notifier.subscriptions.unsubscribe(new URL(url).searchParams.get('token') as string)).unsubscribedNow).toBe(true);
    const { rows } = await pool.query(`SELECT status, email FROM "${schema}".email_subscriptions WHERE id = $1`, [subscriptionId]);
    expect(rows[0]).toEqual({ status: 'unsubscribed', email: null });

    const [later] = await produce(change(receipt, 2));
    await waitDelivered('/leave-marker', later);
    expect(statusEmails(address)).toHaveLength(1);
  });
});

describe('exactly once', () => {
  const receipt = newReceiptNumber();
  const address = 'once@example.org';
  const first = { data: change(receipt, 1, { statusText: { en: 'First change.', es: 'Primer cambio.' } }), id: randomUUID() };
  const second = { data: change(receipt, 2, { statusText: { en: 'Second change.', es: 'Segundo cambio.' } }), id: randomUUID() };

  it('notifies once when the same Kafka message is delivered twice', async () => {
    await hook('/once', receipt);
    await subscribeAndConfirm(address, receipt);
    await produce(first);
    await produce(first);
    await produce(second);
    // Same key, same partition: once the second event arrived, the duplicate was consumed before it.
    await waitDelivered('/once', second.id);
    await waitStatusEmails(address, 2);
    expect(delivered('/once')).toEqual([first.id, second.id]);
    expect(statusEmails(address).map((m) => m.text.split('\n')[2])).toEqual(['First change.', 'Second change.']);
    expect(receiver.at('/once').every((r) => r.verified.ok)).toBe(true);
  });

  it('notifies once when the consumer restarts before its offsets were committed', async () => {
    await notifier.stop();
    // As if the consumer had crashed before any commit: the group has no committed offsets.
    await kafka.forgetGroupOffsets(groupId);
    notifier = newNotifier();
    await notifier.start();
    const third = { data: change(receipt, 3, { statusText: { en: 'Third change.', es: 'Tercer cambio.' } }), id: randomUUID() };
    await produce(third);
    await waitDelivered('/once', third.id);
    await waitStatusEmails(address, 3);
    // The restarted consumer read the earlier messages again (the duplicate included)...
    expect(notifier.consumedMessages).toBeGreaterThan(3);
    // ...and notified nobody twice.
    expect(delivered('/once')).toEqual([first.id, second.id, third.id]);
    expect(statusEmails(address).map((m) => m.text.split('\n')[2])).toEqual(['First change.', 'Second change.', 'Third change.']);
  });
});

describe('ordering', () => {
  it('delivers the events of one case to a webhook in order, even when one needs a retry', async () => {
    const receipt = newReceiptNumber();
    // The endpoint refuses the second request it sees: revision 2's first attempt.
    await hook('/ordered', receipt, ({ count }) => (count === 2 ? 503 : 200));
    const ids = await produce(...[1, 2, 3, 4, 5].map((revision) => change(receipt, revision)));
    await waitDelivered('/ordered', ids[4]);
    expect(delivered('/ordered')).toEqual(ids);
    expect(receiver.at('/ordered').map((r) => r.answered)).toEqual([200, 503, 200, 200, 200, 200]);
    const revisions = receiver.at('/ordered').filter((r) => r.answered === 200).map((r) => (JSON.parse(r.body) as { data: { streamRevision: string } }).data.streamRevision);
    expect(revisions).toEqual(['1', '2', '3', '4', '5']);
  });
});

describe('retries and dead letters', () => {
  it('dead-letters a webhook that keeps failing, while the other subscribers of the case are served', async () => {
    const receipt = newReceiptNumber();
    // First attempt hangs until the client times out, the others fail with 500.
    const broken = await hook('/broken', receipt, ({ count }) => (count === 1 ? 'hang' : 500));
    const healthy = await hook('/healthy', receipt);
    await subscribeAndConfirm('served@example.org', receipt);
    const [eventId] = await produce(change(receipt, 1));

    await deadLetters.until(() => deadLetterOf(eventId) !== undefined);
    const letter = deadLetterOf(eventId) as KafkaMessage;
    expect(letter.key?.toString()).toBe(`case-USCIS-${receipt}`);
    expect(letter.headers?.['dlq-reason']?.toString()).toBe('delivery_failed');
    expect(letter.headers?.['dlq-subscription-id']?.toString()).toBe(broken.id);
    expect(letter.headers?.['dlq-attempts']?.toString()).toBe(String(MAX_ATTEMPTS));
    const envelope = JSON.parse(letter.value?.toString() ?? '');
    expect(envelope).toMatchObject({
      reason: 'delivery_failed',
      subscriptionId: broken.id,
      channel: 'webhook',
      attempts: MAX_ATTEMPTS,
      lastError: 'HTTP 500: endpoint failure',
      original: { topic, key: `case-USCIS-${receipt}`, headers: { ce_id: eventId, ce_subject: receipt }, value: { receiptNumber: receipt, streamRevision: '1' } },
    });
    expect(receiver.at('/broken')).toHaveLength(MAX_ATTEMPTS);

    // The healthy endpoint was served while the broken one was still hanging on its first attempt.
    await waitDelivered('/healthy', eventId);
    const order = receiver.received.map((r) => r.path).filter((p) => p === '/broken' || p === '/healthy');
    expect(order.indexOf('/healthy')).toBeLessThan(order.lastIndexOf('/broken'));
    const [mail] = await waitStatusEmails('served@example.org', 1);
    expect(mail.headers.get('subject')).toBe(`Update on case ${receipt}`);

    // A delivery is settled in the log just after the channel accepted it.
    const log = await eventually(async () => {
      const page = await notifier.deliveryLog.query({ receiptNumber: receipt });
      if (page.items.some((item) => item.status === 'sending' || item.status === 'pending')) throw new Error('not settled yet');
      return page;
    });
    const bySubscription = new Map(log.items.map((item) => [item.subscriptionId, item]));
    expect(bySubscription.get(broken.id)).toMatchObject({ status: 'dead_lettered', attempts: MAX_ATTEMPTS, lastError: 'HTTP 500: endpoint failure', channel: 'webhook' });
    expect(bySubscription.get(healthy.id)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
    const email = log.items.find((item) => item.channel === 'email');
    expect(email).toMatchObject({ status: 'delivered', attempts: 1 });
    expect((email?.deliveredAt as Date).getTime()).toBeLessThanOrEqual((bySubscription.get(broken.id)?.deadLetteredAt as Date).getTime());
  });

  it('retries an email the SMTP server refused for a while', async () => {
    const receipt = newReceiptNumber();
    await subscribeAndConfirm('retry@example.org', receipt);
    smtp.failNext(MAX_ATTEMPTS - 1);
    await produce(change(receipt, 1));
    await waitStatusEmails('retry@example.org', 1);
    const [entry] = await eventually(async () => {
      const { items } = await notifier.deliveryLog.query({ receiptNumber: receipt });
      if (items[0]?.status !== 'delivered') throw new Error('not settled yet');
      return items;
    });
    expect(entry).toMatchObject({ channel: 'email', status: 'delivered', attempts: MAX_ATTEMPTS, lastError: null });
    expect(smtp.to('retry@example.org').filter((m) => /^Update/.test(m.headers.get('subject') ?? ''))).toHaveLength(1);
  });

  it('dead-letters a message that is not a valid status change and goes on with the partition', async () => {
    const receipt = newReceiptNumber();
    await hook('/after-poison', receipt);
    const poison = statusChangedKafkaMessage(change(receipt, 1));
    await kafka.producer.send({ topic, acks: -1, messages: [{ ...poison, value: '{not json' }] });
    const [next] = await produce(change(receipt, 2));
    await waitDelivered('/after-poison', next);
    await deadLetters.until((messages) => messages.some((m) => m.headers?.['dlq-reason']?.toString() === 'invalid_message'));
    const letter = deadLetters.messages.find((m) => m.headers?.['dlq-reason']?.toString() === 'invalid_message') as KafkaMessage;
    const envelope = JSON.parse(letter.value?.toString() ?? '');
    expect(envelope).toMatchObject({ reason: 'invalid_message', original: { topic, key: `case-USCIS-${receipt}`, value: '{not json' } });
    expect(envelope.lastError).toMatch(/^the value is not JSON/);
  });
});

describe('delivery log', () => {
  it('pages through one case newest first and filters by status, without personal data', async () => {
    const receipt = newReceiptNumber();
    await hook('/log-a', receipt);
    await hook('/log-b', receipt, () => 500);
    await subscribeAndConfirm('log@example.org', receipt);
    const [eventId] = await produce(change(receipt, 1));
    await waitDelivered('/log-a', eventId);
    await waitStatusEmails('log@example.org', 1);
    await deadLetters.until(() => deadLetterOf(eventId) !== undefined);
    await eventually(async () => {
      const { items } = await notifier.deliveryLog.query({ receiptNumber: receipt });
      if (items.some((item) => !['delivered', 'dead_lettered'].includes(item.status))) throw new Error('not settled yet');
    });

    const page1 = await notifier.deliveryLog.query({ receiptNumber: receipt, first: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await notifier.deliveryLog.query({ receiptNumber: receipt, first: 2, after: page1.nextCursor });
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeUndefined();
    const all = [...page1.items, ...page2.items];
    expect(new Set(all.map((i) => i.id)).size).toBe(3);
    expect(all.every((i) => i.eventId === eventId && i.eventType === 'DecisionIssued' && i.statusCode === 'CASE_APPROVED')).toBe(true);
    expect(JSON.stringify(all)).not.toContain('@');

    const failed = await notifier.deliveryLog.query({ receiptNumber: receipt, status: 'dead_lettered' });
    expect(failed.items.map((i) => [i.channel, i.status, i.attempts])).toEqual([['webhook', 'dead_lettered', MAX_ATTEMPTS]]);
    expect((await notifier.deliveryLog.query({ receiptNumber: receipt, status: 'pending' })).items).toEqual([]);
  });

  it('refuses bad queries with INVALID_ARGUMENT', async () => {
    await expect(notifier.deliveryLog.query({ after: 'garbage' })).rejects.toThrow(new NotificationError('INVALID_ARGUMENT', 'after is not a cursor from an earlier page.'));
    await expect(notifier.deliveryLog.query({ first: 0 })).rejects.toThrow('first must be an integer from 1 to 100, not 0.');
    await expect(notifier.deliveryLog.query({ status: 'lost' as never })).rejects.toThrow('status must be one of');
  });
});

describe('personal data', () => {
  it('never puts an email address in the logs or on Kafka', () => {
    expect(logger.lines.filter((line) => line.includes('@'))).toEqual([]);
    expect(deadLetters.messages.length).toBeGreaterThan(0);
    expect(deadLetters.messages.filter((m) => m.value?.toString().includes('@'))).toEqual([]);
  });
});

describe('a new consumer group', () => {
  it('starts at the end of the topic, and a member that stops before its first commit skips nothing', async () => {
    // A topic and schema of its own: the notifier above consumes and delivers nothing of these.
    const newTopic = `test.${uniqueName('new_group')}`;
    const newSchema = uniqueName('notif_new_group');
    await kafka.createTopic(newTopic);
    const options = { schema: newSchema, kafka: { brokers: KAFKA_BROKERS, groupId: uniqueName('new-group'), topic: newTopic, fromBeginning: false, maxWaitTimeMs: 200 } };
    const receipt = newReceiptNumber();
    const send = async (revision: number) => {
      const message = statusChangedKafkaMessage(change(receipt, revision));
      await kafka.producer.send({ topic: newTopic, acks: -1, messages: [message] });
      return message.headers['ce_id'];
    };
    const history = await send(1);

    // The first member starts the group and stops before anything arrives: it committed nothing itself.
    const first = newNotifier(options);
    await first.start();
    const registered = await first.subscriptions.registerWebhook({ agency: 'USCIS', receiptNumber: receipt, url: receiver.endpoint('/new-group'), owner: 'test-rep' });
    receiver.setSecret('/new-group', registered.secret);
    await first.stop();

    const meanwhile = await send(2);
    const second = newNotifier(options);
    await second.start();
    try {
      const after = await send(3);
      await receiver.until(() => delivered('/new-group').includes(after));
      expect(delivered('/new-group')).toEqual([meanwhile, after]);
      expect(delivered('/new-group')).not.toContain(history);
    } finally {
      await second.stop();
      await dropSchema(pool, newSchema);
    }
  });
});
