import type { Pool } from 'pg';
import type { RecordedEvent } from '@case-status/event-contract';
import type { Kafka } from 'kafkajs';
import { readTopic, StatusChangeDetector, type ConsumedRecord } from '@case-status/messaging';
import { aCaseHistory, aReceiptNumber, storedCaseEvent } from '@case-status/messaging/testing';
import type { ExpectedRevision, PostgresEventStore } from '@case-status/event-store';
import type { ReceivedWebhook, WebhookReceiver } from '@case-status/notifications/testing';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it holds; fails naming `what` after `ms`. */
export async function eventually(condition: () => boolean | Promise<boolean>, what: string, ms = 20_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(everyMs);
  }
}

/**
 * An agency: appends its cases' events one at a time (six per case, five of them status
 * changes), and sends again whatever failed (as on a 503), with the same event ids.
 */
export async function agency(store: PostgresEventStore, cases: number, failures: { count: number } = { count: 0 }): Promise<void> {
  for (let c = 0; c < cases; c++) {
    const receiptNumber = aReceiptNumber();
    const streamId = `case-USCIS-${receiptNumber}`;
    const events = aCaseHistory(receiptNumber).map((body) => storedCaseEvent(body));
    for (let i = 0; i < events.length; i++) {
      const expectedRevision: ExpectedRevision = i === 0 ? 'no_stream' : BigInt(i - 1);
      for (;;) {
        try {
          await store.appendToStream(streamId, [events[i]], { expectedRevision });
          break;
        } catch {
          failures.count++;
          await sleep(50);
        }
      }
      await sleep(5);
    }
  }
}

/**
 * Every row of every table of a projection's schema, as text: its checkpoint and migrations
 * aside, and the estimate cache's stamp, which counts batches (a rebuild reads bigger ones).
 */
export async function tables(pool: Pool, schema: string): Promise<Record<string, string[]>> {
  const { rows } = await pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = $1 AND table_name NOT IN ('checkpoint', 'schema_migrations', 'estimate_cohort_version') ORDER BY table_name`,
    [schema],
  );
  const out: Record<string, string[]> = {};
  for (const { table_name } of rows) {
    const { rows: content } = await pool.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${table_name}" t ORDER BY 1`);
    out[table_name] = content.map((r) => r.row);
  }
  return out;
}

const distinct = (ids: string[]) => [...new Set(ids)].sort();

/** Where a drill's events and deliveries are: its store, and the schemas of both. */
export interface DrillLedger {
  pool: Pool;
  store: PostgresEventStore;
  eventsSchema: string;
  notificationsSchema: string;
}

/**
 * Every event recorded so far, once readers can see them all: `readAll` withholds events while
 * an older transaction is still open anywhere in the database (docs/adr/0002), and the shared
 * test database has other suites' transactions.
 */
export async function everyEvent({ pool, store, eventsSchema }: DrillLedger): Promise<RecordedEvent[]> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${eventsSchema}".events`);
  let events: RecordedEvent[] = [];
  await eventually(async () => (events = await store.readAll()).length === rows[0].n, `all ${rows[0].n} events readable`);
  return events;
}

/** The ids of the status changes among every event recorded so far: what the relay must have published. */
export async function statusChangeIds(ledger: DrillLedger): Promise<string[]> {
  const detector = new StatusChangeDetector(ledger.store);
  const ids: string[] = [];
  for (const event of await everyEvent(ledger)) if (await detector.changeFor(event)) ids.push(event.id);
  return ids.sort();
}

/**
 * Waits until the notifiers have delivered every change of `expected` to the webhook at `path`
 * of `receiver`, then checks that each was delivered once: one delivery per change in the
 * notifiers' ledger (the dedupe by event and subscription held, however often the record
 * arrived), delivered; the subscriber received every change, and every request of one change
 * carried the same webhook-id (Standard Webhooks' idempotency key). Returns the requests that
 * repeated a change: sent again because the answer to the first was lost (an instance killed
 * while sending it, a timeout).
 */
export async function expectEachChangeDeliveredOnce(ledger: DrillLedger, receiver: WebhookReceiver, path: string, expected: string[]): Promise<ReceivedWebhook[]> {
  const deliveries = async () =>
    (await ledger.pool.query<{ event_id: string; status: string }>(`SELECT event_id, status FROM "${ledger.notificationsSchema}".deliveries ORDER BY event_id`)).rows;
  await eventually(async () => (await deliveries()).filter((row) => row.status === 'delivered').length >= expected.length, 'every change delivered', 60_000, 100);
  const rows = await deliveries();
  expect(rows.map((row) => row.event_id)).toEqual(expected);
  expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['delivered']));

  const requests = receiver.received.filter((request) => request.path === path && request.verified.ok);
  const eventIdOf = (request: ReceivedWebhook) => (request.verified as { payload: { data: { eventId: string } } }).payload.data.eventId;
  expect(distinct(requests.map(eventIdOf))).toEqual(expected);
  const webhookIds = new Map<string, Set<string>>();
  for (const request of requests) webhookIds.set(eventIdOf(request), (webhookIds.get(eventIdOf(request)) ?? new Set()).add(String(request.headers['webhook-id'])));
  expect([...webhookIds.entries()].filter(([, ids]) => ids.size !== 1)).toEqual([]);
  const seen = new Set<string>();
  return requests.filter((request) => seen.has(eventIdOf(request)) || !seen.add(eventIdOf(request)));
}

/**
 * Reads `topic` until every change of `expected` is on it, and checks that they all are and
 * that none other is; a change on it more than once (a batch published again after an error or
 * a takeover) must be the same record each time: the same CloudEvents id, key, partition and
 * body, which the notifier dedupes. Returns the records, and the copies of each change on it
 * more than once.
 */
export async function expectEveryChangeOnTopic(kafka: Kafka, topic: string, expected: string[]): Promise<{ records: ConsumedRecord[]; republished: ConsumedRecord[][] }> {
  const idOf = (record: ConsumedRecord) => record.headers['ce_id'] ?? '';
  const records = await readTopic({ kafka, topic, until: (read) => distinct(read.map(idOf)).length >= expected.length, timeoutMs: 60_000 });
  expect(distinct(records.map(idOf))).toEqual(expected);
  const copiesById = new Map<string, ConsumedRecord[]>();
  for (const record of records) copiesById.set(idOf(record), [...(copiesById.get(idOf(record)) ?? []), record]);
  const republished = [...copiesById.values()].filter((copies) => copies.length > 1);
  for (const copies of republished) expect(new Set(copies.map((c) => `${c.key}|${c.partition}|${c.value?.toString('base64')}`)).size).toBe(1);
  return { records, republished };
}
