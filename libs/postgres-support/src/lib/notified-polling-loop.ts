import type { Pool, PoolClient } from 'pg';
import { quoteIdent } from './postgres-support';

export interface NotifiedPollingLoopOptions {
  pool: Pool;
  /** How long an idle loop waits before the next step when nothing woke it. */
  pollIntervalMs: number;
  /** A NOTIFY channel (the event store's append channel): an idle loop steps as soon as it fires. */
  wakeChannel?: string;
  /** Told once when the wake-up connection fails; the loop then only polls. */
  onWakeUpFailure?: (error: Error) => void;
}

/**
 * What one step found:
 * - `more`: a full batch, so there is likely more; step again at once;
 * - `caught-up`: less than a full batch; wait for a notification or the poll interval;
 * - `nothing`: nothing at all. After a notification this means a transaction elsewhere still
 *   holds readers back (readAll withholds what it could precede, docs/adr/0002); that
 *   transaction ends without notifying anyone, so the loop reads again soon, backing off up
 *   to the poll interval, instead of waiting the whole interval.
 */
export type StepOutcome = 'more' | 'caught-up' | 'nothing';

const FIRST_RETRY_MS = 5;

/**
 * The one reading loop of every reader of the event store (projection runners, the store's
 * own subscriptions): steps again at once while there is more, otherwise after a notification
 * on `wakeChannel` or `pollIntervalMs`, whichever comes first. A notification that arrives
 * while a step runs is not lost: the next step starts without waiting. The wake-up listens on
 * a connection of its own from the pool; if that connection fails, the loop keeps polling.
 */
export class NotifiedPollingLoop {
  private running: Promise<void> | undefined;
  private stopped = false;
  private notified = false;
  private retryDelayMs = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly options: NotifiedPollingLoopOptions) {
    if (!(options.pollIntervalMs >= 0)) throw new RangeError(`pollIntervalMs must be a number of milliseconds of at least 0, got ${options.pollIntervalMs}`);
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Runs `step` until `stop()`. The returned promise rejects with the step's error, if one fails. */
  start(step: () => Promise<StepOutcome>): Promise<void> {
    if (this.running) throw new Error('the loop is already running');
    this.stopped = false;
    this.running = this.run(step);
    return this.running;
  }

  /** Stops after the step under way; resolves once the loop has ended and let go of its connection. Never await it from inside a step. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
    this.running = undefined;
  }

  private async run(step: () => Promise<StepOutcome>): Promise<void> {
    const listener = this.options.wakeChannel ? await this.listen(this.options.wakeChannel) : undefined;
    try {
      while (!this.stopped) {
        this.notified = false;
        const outcome = await step();
        if (outcome !== 'nothing') this.retryDelayMs = 0;
        if (outcome !== 'more') await this.sleep();
      }
    } finally {
      await listener?.close();
    }
  }

  private sleep(): Promise<void> {
    if (this.notified || this.stopped) return Promise.resolve();
    const { pollIntervalMs } = this.options;
    const delay = this.retryDelayMs > 0 ? Math.min(this.retryDelayMs, pollIntervalMs) : pollIntervalMs;
    if (this.retryDelayMs > 0) this.retryDelayMs *= 2;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.wake = done;
    });
  }

  private async listen(channel: string): Promise<{ close(): Promise<void> }> {
    const client: PoolClient = await this.options.pool.connect();
    let failed: Error | undefined;
    const onNotification = () => {
      this.notified = true;
      this.retryDelayMs = FIRST_RETRY_MS;
      this.wake?.();
    };
    const onError = (error: Error) => {
      failed = error;
      this.options.onWakeUpFailure?.(error);
    };
    client.on('notification', onNotification);
    client.on('error', onError);
    await client.query(`LISTEN ${quoteIdent(channel)}`);
    return {
      close: async () => {
        client.off('notification', onNotification);
        client.off('error', onError);
        if (!failed) await client.query(`UNLISTEN ${quoteIdent(channel)}`).catch((error: Error) => (failed = error));
        client.release(failed);
      },
    };
  }
}
