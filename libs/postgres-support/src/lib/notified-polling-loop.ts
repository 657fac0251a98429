import type { Pool, PoolClient } from 'pg';
import { DatabaseReachability, isTransientConnectionError } from './connectivity';
import { quoteIdent } from './postgres-support';

export interface NotifiedPollingLoopOptions {
  pool: Pool;
  /** How long an idle loop waits before the next step when nothing woke it. */
  pollIntervalMs: number;
  /** A NOTIFY channel (the event store's append channel): an idle loop steps as soon as it fires. */
  wakeChannel?: string;
  /**
   * Told once when a step or the wake-up connection finds the database unreachable (see
   * `isTransientConnectionError`); the loop then backs off and tries again until it answers.
   */
  onDatabaseDown?: (error: Error) => void;
  /** Told when a step reached the database again, with how long it was away. */
  onDatabaseUp?: (downForMs: number) => void;
}

interface WakeUpListener {
  /** Its connection failed: it must be replaced. */
  readonly failed: boolean;
  close(): Promise<void>;
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
 * a connection of its own from the pool; if that connection fails, the loop polls and listens
 * again on a new one.
 *
 * A database restart does not end the loop: a step (or LISTEN) that fails because the database
 * cannot be reached is told once (`onDatabaseDown`), then retried with bounded exponential
 * backoff and jitter until it succeeds; the step starts again from wherever the caller's own
 * state says (a step must leave that state unchanged when it fails). Any other error ends it.
 */
export class NotifiedPollingLoop {
  private running: Promise<void> | undefined;
  private stopped = false;
  private notified = false;
  private retryDelayMs = 0;
  private wake: (() => void) | undefined;
  private readonly reachability: DatabaseReachability;
  private looping = false;

  constructor(private readonly options: NotifiedPollingLoopOptions) {
    if (!(options.pollIntervalMs >= 0)) throw new RangeError(`pollIntervalMs must be a number of milliseconds of at least 0, got ${options.pollIntervalMs}`);
    this.reachability = new DatabaseReachability({ onDown: options.onDatabaseDown, onUp: options.onDatabaseUp });
  }

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Started and not ended (by stop() or a failing step): what readiness asks. */
  get active(): boolean {
    return this.looping;
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

  /** Whether the last step (or LISTEN) reached the database. */
  get database(): 'up' | 'down' {
    return this.reachability.state;
  }

  private async run(step: () => Promise<StepOutcome>): Promise<void> {
    const channel = this.options.wakeChannel;
    let listener: WakeUpListener | undefined;
    this.looping = true;
    try {
      while (!this.stopped) {
        try {
          if (channel && listener?.failed) {
            await listener.close();
            listener = undefined;
          }
          if (channel && !listener) listener = await this.listen(channel);
          this.notified = false;
          const outcome = await step();
          this.reachability.succeeded();
          if (outcome !== 'nothing') this.retryDelayMs = 0;
          if (outcome !== 'more') await this.sleep();
        } catch (error) {
          if (!isTransientConnectionError(error)) throw error;
          if (this.stopped) break;
          await this.wait(this.reachability.failed(error as Error));
        }
      }
    } finally {
      this.looping = false;
      await listener?.close();
    }
  }

  private sleep(): Promise<void> {
    if (this.notified) return Promise.resolve();
    const { pollIntervalMs } = this.options;
    const delay = this.retryDelayMs > 0 ? Math.min(this.retryDelayMs, pollIntervalMs) : pollIntervalMs;
    if (this.retryDelayMs > 0) this.retryDelayMs *= 2;
    return this.wait(delay);
  }

  /** Waits `delay` ms, or less if a notification or stop() comes first. */
  private wait(delay: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
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

  private async listen(channel: string): Promise<WakeUpListener> {
    const client: PoolClient = await this.options.pool.connect();
    let failed: Error | undefined;
    const onNotification = () => {
      this.notified = true;
      this.retryDelayMs = FIRST_RETRY_MS;
      this.wake?.();
    };
    const onError = (error: Error) => {
      if (failed) return;
      failed = error;
      // Polling carries on; the next step finds out whether the database is away.
      this.wake?.();
    };
    client.on('notification', onNotification);
    client.on('error', onError);
    const close = async () => {
      client.off('notification', onNotification);
      if (!failed) await client.query(`UNLISTEN ${quoteIdent(channel)}`).catch((error: Error) => (failed = error));
      // Still listening for 'error' until released: a dropped connection must not end the process.
      client.release(failed ?? undefined);
      client.off('error', onError);
    };
    try {
      await client.query(`LISTEN ${quoteIdent(channel)}`);
    } catch (error) {
      failed ??= error as Error;
      await close();
      throw error;
    }
    return {
      get failed() {
        return failed !== undefined;
      },
      close,
    };
  }
}
