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
 * Runs a projector's step until stopped: again at once while the step says there is more,
 * otherwise after a notification on `wakeChannel` or `pollIntervalMs`, whichever comes
 * first. A notification that arrives while a step runs is not lost: the next step starts
 * without waiting. The wake-up listens on a connection of its own from the pool.
 */
export class NotifiedPollingLoop {
  private running: Promise<void> | undefined;
  private stopped = false;
  private notified = false;
  private wake: (() => void) | undefined;

  constructor(private readonly options: NotifiedPollingLoopOptions) {
    if (!(options.pollIntervalMs >= 0)) throw new RangeError(`pollIntervalMs must be a number of milliseconds of at least 0, got ${options.pollIntervalMs}`);
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /**
   * Runs `step` until `stop()`. `step` resolves to true when it has more to do right away
   * (it read a full batch). The returned promise rejects with the step's error, if one fails.
   */
  start(step: () => Promise<boolean>): Promise<void> {
    if (this.running) throw new Error('the loop is already running');
    this.stopped = false;
    this.running = this.run(step);
    return this.running;
  }

  /** Stops after the step under way; resolves once the loop has ended and let go of its connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
    this.running = undefined;
  }

  private async run(step: () => Promise<boolean>): Promise<void> {
    const listener = this.options.wakeChannel ? await this.listen(this.options.wakeChannel) : undefined;
    try {
      while (!this.stopped) {
        this.notified = false;
        if (!(await step())) await this.sleep();
      }
    } finally {
      await listener?.close();
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
      const timer = setTimeout(done, this.options.pollIntervalMs);
      this.wake = done;
    });
  }

  private async listen(channel: string): Promise<{ close(): Promise<void> }> {
    const client: PoolClient = await this.options.pool.connect();
    let failed: Error | undefined;
    const onNotification = () => {
      this.notified = true;
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
