import type { Pool } from 'pg';
import type { EventHandler, GlobalPosition, RecordedEvent, Subscription } from '../event-store.port';
import { quoteIdent } from './sql';

export interface PostgresSubscriptionDeps {
  pool: Pool;
  channel: string;
  pollIntervalMs: number;
  read(after: GlobalPosition, maxCount: number): Promise<RecordedEvent[]>;
  handler: EventHandler;
  after: GlobalPosition;
}

const BATCH_SIZE = 500;
const MIN_RETRY_MS = 5;

/**
 * Reads batches with `readAll`, which already withholds anything a running transaction could
 * still precede, so the checkpoint only ever moves over final positions. Between batches it
 * sleeps until a NOTIFY from an append or the poll interval, whichever comes first.
 */
export class PostgresSubscription implements Subscription {
  readonly closed: Promise<void>;
  private stopped = false;
  /** Set by a notification that arrived while reading or handling, so the next sleep is skipped. */
  private notified = false;
  /**
   * A notification said something committed, but the read after it found nothing: a
   * transaction elsewhere holds the snapshot's xmin back. Such a transaction ends without
   * notifying us, so re-read soon (backing off up to the poll interval) instead of waiting.
   */
  private retryDelayMs = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly deps: PostgresSubscriptionDeps) {
    this.closed = this.run();
    // The caller may only ever call stop(); a failure must not become an unhandled rejection.
    this.closed.catch(() => undefined);
  }

  /** Do not await this from inside the handler: it waits for the handler to return. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.closed.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const { pool, channel, read, handler } = this.deps;
    const listener = await pool.connect();
    let listenerError: Error | undefined;
    const onNotification = () => {
      this.notified = true;
      this.retryDelayMs = MIN_RETRY_MS;
      this.wake?.();
    };
    const onError = (error: Error) => {
      listenerError = error;
      this.wake?.();
    };
    listener.on('notification', onNotification);
    listener.on('error', onError);
    try {
      await listener.query(`LISTEN ${quoteIdent(channel)}`);
      let after = this.deps.after;
      while (!this.stopped) {
        if (listenerError) throw listenerError;
        this.notified = false;
        const batch = await read(after, BATCH_SIZE);
        if (batch.length > 0) this.retryDelayMs = 0;
        for (const event of batch) {
          if (this.stopped) return;
          await handler(event);
          after = event.position;
        }
        if (batch.length < BATCH_SIZE) await this.sleep();
      }
    } finally {
      listener.off('notification', onNotification);
      listener.off('error', onError);
      if (listenerError) {
        listener.release(listenerError);
      } else {
        try {
          await listener.query(`UNLISTEN ${quoteIdent(channel)}`);
          listener.release();
        } catch (error) {
          listener.release(error instanceof Error ? error : new Error(String(error)));
        }
      }
    }
  }

  private sleep(): Promise<void> {
    if (this.notified || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const delay = this.retryDelayMs > 0 ? Math.min(this.retryDelayMs, this.deps.pollIntervalMs) : this.deps.pollIntervalMs;
      if (this.retryDelayMs > 0) this.retryDelayMs *= 2;
      const timer = setTimeout(done, delay);
      this.wake = done;
    });
  }
}
