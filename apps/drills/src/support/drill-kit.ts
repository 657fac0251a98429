import type { Pool } from 'pg';
import { aCaseHistory, aReceiptNumber, storedCaseEvent } from '@case-status/messaging/testing';
import type { ExpectedRevision, PostgresEventStore } from '@case-status/event-store';

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
