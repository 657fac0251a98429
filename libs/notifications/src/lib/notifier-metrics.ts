import type { Pool } from 'pg';
import type { Metrics } from '@case-status/http-support';
import { quoteIdent } from '@case-status/postgres-support';

/**
 * The notifications' state as every instance shares it in PostgreSQL, read when scraped (one
 * query): deliveries by channel and status (`pending`, `sending` and `dead_letter_pending` are
 * the queue; `delivered`, `dead_lettered` and `canceled` the outcomes), the queue's depth, and
 * retries (attempts after each delivery's first). A scrape while the database is away keeps the
 * last values.
 */
export function measureNotifications(metrics: Metrics, pool: Pool, schema = 'notifications'): void {
  // One query per scrape, whichever of the three gauges asks first.
  const collect = async () => {
    reading ??= read()
      .catch(() => undefined)
      .finally(() => setImmediate(() => (reading = undefined)));
    await reading;
  };
  const deliveries = metrics.gauge({ name: 'notifier_deliveries', help: 'Deliveries by channel (email, webhook) and status.', labelNames: ['channel', 'status'], collect });
  const queue = metrics.gauge({ name: 'notifier_queue_depth', help: 'Deliveries waiting to be sent or dead-lettered (pending, sending, dead_letter_pending).', collect });
  const retries = metrics.gauge({ name: 'notifier_delivery_retries', help: 'Attempts after the first, summed over every delivery.', collect });
  let reading: Promise<void> | undefined;
  const read = async () => {
    const { rows } = await pool.query<{ channel: string; status: string; count: string; retries: string }>(
      `SELECT channel, status, count(*) AS count, coalesce(sum(greatest(attempts - 1, 0)), 0) AS retries
         FROM ${quoteIdent(schema)}.deliveries GROUP BY channel, status`,
    );
    deliveries.reset();
    for (const channel of ['email', 'webhook']) for (const status of STATUSES) deliveries.set({ channel, status }, 0);
    let waiting = 0;
    let retried = 0;
    for (const row of rows) {
      deliveries.set({ channel: row.channel, status: row.status }, Number(row.count));
      if (QUEUED.has(row.status)) waiting += Number(row.count);
      retried += Number(row.retries);
    }
    queue.set(waiting);
    retries.set(retried);
  };
}

const STATUSES = ['pending', 'sending', 'delivered', 'dead_letter_pending', 'dead_lettered', 'canceled'];
const QUEUED = new Set(['pending', 'sending', 'dead_letter_pending']);
