import type { CaseStatusChange, CaseStatusPublisher } from './case-status-publisher.port';
import type { RelayCheckpointStore } from './relay-checkpoint';
import { CASE_STREAM_PREFIX, formatPosition, type GlobalPosition, type RecordedEvent } from '@case-status/event-contract';
import type { RelaySource, SourceSubscription } from './relay-source.port';
import { StatusChangeDetector } from './status-change-detector';
import { publishTraced } from './relay-tracing';
import { silentLogger, type Logger } from '@case-status/logging';
import { CheckpointMovedError } from '@case-status/projection-runner';
import { backoffDelayMs, DatabaseReachability, isTransientConnectionError, type ComponentHealth } from '@case-status/postgres-support';

/** A batch as the relay hands it on: the changes, and the position the checkpoint moves to once they are published. */
export interface RelayBatch {
  changes: readonly CaseStatusChange[];
  /** Position of the last event covered (status-relevant or not). */
  upTo: GlobalPosition;
  /** Events covered (status-relevant or not). */
  events: number;
}

export interface CaseStatusRelayHooks {
  /** After the publisher acknowledged a batch, before the checkpoint is saved. Tests inject crashes here. */
  afterPublish?(batch: RelayBatch): Promise<void> | void;
  /** A publish or checkpoint attempt failed and will be retried after `retryInMs`. */
  onRetry?(error: unknown, attempt: number, retryInMs: number): void;
  /** Before each publish attempt. */
  beforePublish?(batch: RelayBatch): Promise<void> | void;
}

export interface CaseStatusRelayOptions {
  source: RelaySource;
  publisher: CaseStatusPublisher;
  checkpoints: RelayCheckpointStore;
  /** Most events (relevant or not) covered by one publish and checkpoint. Default 500. */
  maxBatchSize?: number;
  /** How long a partial batch waits for more events before it is sent. Default 5 ms. */
  lingerMs?: number;
  /** Backoff between failed attempts: doubles from `initial` up to `max`, a fifth of it random. Default 100..2000 ms. */
  retryDelayMs?: { initial: number; max: number };
  /** Case states kept for folding. Default 10 000. */
  maxCachedCases?: number;
  /** How long `stop()` waits for an unfinished publish before giving up on it. Default 10 s. */
  stopTimeoutMs?: number;
  logger?: Logger;
  hooks?: CaseStatusRelayHooks;
}

interface Pending {
  position: GlobalPosition;
  recordedAt: Date;
  change: CaseStatusChange | undefined;
}

/**
 * Relays the event store's case streams to a `CaseStatusPublisher`: for every event that changes
 * a case's public status, one `case.status-changed.v1`. At-least-once and in order per case:
 *
 * - the checkpoint moves only after the publisher acknowledged every change up to it, so a crash
 *   at any point redelivers from the last checkpoint (duplicates keep their CloudEvents id);
 * - events are batched (`maxBatchSize`, `lingerMs`); a failed publish is retried, the same batch,
 *   with backoff, for as long as it takes (a broker outage stalls the relay, nothing is skipped);
 * - when the publisher falls behind, the subscription waits (the handler does not return), so
 *   memory stays bounded by `maxBatchSize`;
 * - a database restart stalls it for as long as the database is away: reading resumes after the
 *   last event read, a checkpoint save whose answer was lost is recognised, not taken for
 *   another relay's move; `health()` says not ready meanwhile.
 */
export class CaseStatusRelay {
  /**
   * Settles when the relay ends: resolves after `stop()`, rejects when reading the store fails
   * or another relay moved the checkpoint (only one relay may write it; restart to follow it).
   */
  readonly closed: Promise<void>;
  private readonly detector: StatusChangeDetector;
  private readonly maxBatchSize: number;
  private readonly lingerMs: number;
  private readonly retryDelay: { initial: number; max: number };
  private readonly stopTimeoutMs: number;
  private readonly logger: Logger;
  private readonly hooks: CaseStatusRelayHooks;
  private subscription: SourceSubscription | undefined;
  private pending: Pending[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private lastCheckpoint: GlobalPosition | undefined;
  private published = 0;
  private lastRead: GlobalPosition | undefined;
  /** When the oldest event of the batch being delivered was recorded. */
  private inFlightSince: Date | undefined;
  private ended = false;
  private readonly reachability: DatabaseReachability;
  private abandon: (error: Error) => void = () => undefined;

  private constructor(
    private readonly options: CaseStatusRelayOptions,
    checkpoint: GlobalPosition | undefined,
  ) {
    this.detector = new StatusChangeDetector(options.source, { maxCachedCases: options.maxCachedCases });
    this.maxBatchSize = positiveInteger('maxBatchSize', options.maxBatchSize ?? 500);
    this.lingerMs = nonNegative('lingerMs', options.lingerMs ?? 5);
    this.retryDelay = options.retryDelayMs ?? { initial: 100, max: 2000 };
    nonNegative('retryDelayMs.initial', this.retryDelay.initial);
    nonNegative('retryDelayMs.max', this.retryDelay.max);
    this.stopTimeoutMs = nonNegative('stopTimeoutMs', options.stopTimeoutMs ?? 10_000);
    this.logger = options.logger ?? silentLogger;
    this.hooks = options.hooks ?? {};
    this.lastCheckpoint = checkpoint;
    this.lastRead = checkpoint;
    this.reachability = new DatabaseReachability({
      onDown: (error) => this.logger.warn(`the event store or the checkpoint cannot be reached (${describe(error)}); retrying with backoff`),
      onUp: (downForMs) => this.logger.log(`the event store is reachable again after ${downForMs} ms; relaying on`),
    });
    this.closed = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error) => {
        this.ended = true;
        if (error) reject(error);
        else resolve();
      };
      this.abandon = (error) => {
        this.stopping = true;
        // Called from inside the subscription's handler: stopping it must not be awaited here.
        void this.subscription?.stop();
        settle(error);
      };
      this.subscribe(settle);
    });
    this.closed.catch(() => undefined);
  }

  /**
   * Reads after the last event read. An adapter whose subscription ends because the store
   * cannot be reached (the PostgreSQL one waits it out itself) is subscribed again, with
   * backoff; any other end settles `closed`.
   */
  private subscribe(settle: (error?: Error) => void): void {
    const subscription = this.options.source.subscribeToAll((event) => this.handle(event), {
      after: this.lastRead,
      streamPrefixes: [CASE_STREAM_PREFIX],
    });
    this.subscription = subscription;
    subscription.closed.then(
      () => settle(),
      (error: Error) => {
        if (this.stopping || !isTransientConnectionError(error)) return settle(error);
        const delay = this.reachability.failed(error);
        setTimeout(() => (this.stopping ? settle() : this.subscribe(settle)), delay);
      },
    );
  }

  /** Loads the checkpoint and starts relaying from just after it. */
  static async start(options: CaseStatusRelayOptions): Promise<CaseStatusRelay> {
    const checkpoint = await options.checkpoints.load();
    const relay = new CaseStatusRelay(options, checkpoint);
    relay.logger.log(`relaying case events after ${checkpoint ? formatPosition(checkpoint) : 'the start'}`);
    return relay;
  }

  /** The last checkpoint this relay saved (or started from). */
  get checkpoint(): GlobalPosition | undefined {
    return this.lastCheckpoint;
  }

  /**
   * Readiness: ready while relaying and reaching the database. `lagMs`: how long the oldest
   * event read but not yet acknowledged by the publisher has been in the store (0 when nothing
   * waits).
   */
  health(): ComponentHealth {
    const database = this.reachability.state === 'down' || this.subscription?.database === 'down' ? 'down' : 'up';
    const oldest = this.pending[0]?.recordedAt ?? this.inFlightSince;
    const lagMs = oldest ? Math.max(0, Date.now() - oldest.getTime()) : 0;
    if (this.ended || this.stopping) return { ready: false, database, detail: 'the relay is not running', lagMs };
    if (database === 'down') return { ready: false, database, detail: 'the relay cannot reach the database; retrying', lagMs };
    return { ready: true, database, lagMs };
  }

  /** Status changes acknowledged by the publisher since start (duplicates of a retried batch included). */
  get publishedCount(): number {
    return this.published;
  }

  /**
   * Stops reading, then publishes and checkpoints what was already read, trying once more if
   * the publisher fails; gives up on it after `stopTimeoutMs` (those events are redelivered
   * on the next start). Does not close the publisher.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    const drained = (async () => {
      await this.subscription?.stop();
      await this.flush();
    })().catch((error: unknown) => this.logger.warn(`stopped with unpublished events (they are redelivered on restart): ${describe(error)}`));
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise<void>((resolve) => (timeout = setTimeout(resolve, this.stopTimeoutMs)))]);
    clearTimeout(timeout);
  }

  /**
   * Stops at once for a relay that lost its election: reads no more and publishes nothing more
   * of what it read (the new leader relays it from the checkpoint). A publish under way ends;
   * its checkpoint is saved unless another relay moved it meanwhile.
   */
  async halt(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    this.pending = [];
    await this.subscription?.stop();
  }

  private async handle(event: RecordedEvent): Promise<void> {
    const change = await this.detector.changeFor(event);
    this.reachability.succeeded();
    this.pending.push({ position: event.position, recordedAt: event.recordedAt, change });
    this.lastRead = event.position;
    if (this.pending.length >= this.maxBatchSize) {
      // Backpressure: the next event is not read until this batch is out. A flush only fails
      // once stop() has begun, and then the events stay pending for the final flush.
      await this.flush().catch(() => undefined);
    } else if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush().catch(() => undefined);
      }, this.lingerMs);
    }
  }

  /** Publishes and checkpoints everything pending, one batch at a time, never two at once. */
  private flush(): Promise<void> {
    const run = this.chain.then(async () => {
      while (this.pending.length > 0) {
        const taken = this.pending.splice(0, this.maxBatchSize);
        this.inFlightSince = taken[0].recordedAt;
        const batch: RelayBatch = {
          changes: taken.flatMap((p) => (p.change ? [p.change] : [])),
          upTo: taken[taken.length - 1].position,
          events: taken.length,
        };
        try {
          await this.deliver(batch);
          this.inFlightSince = undefined;
        } catch (error) {
          this.inFlightSince = undefined;
          // Only when stopping or abandoned: put them back so nothing past them is checkpointed.
          this.pending.unshift(...taken);
          if (error instanceof CheckpointMovedError) {
            this.logger.error(`${error.message}: another relay is writing it; this one stops (its events are redelivered from that checkpoint)`);
            this.abandon(error);
          }
          throw error;
        }
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async deliver(batch: RelayBatch): Promise<void> {
    if (batch.changes.length > 0) {
      await this.retrying('publish', async () => {
        await this.hooks.beforePublish?.(batch);
        await publishTraced(this.options.publisher, batch.changes);
      });
      this.published += batch.changes.length;
      await this.hooks.afterPublish?.(batch);
    }
    await this.retrying('checkpoint', () => this.options.checkpoints.save(batch.upTo, batch.events));
    this.lastCheckpoint = batch.upTo;
  }

  /**
   * Tries until it succeeds. A database that cannot be reached is logged once per outage (and
   * counts against readiness); other failures (the broker) are logged at each attempt.
   */
  private async retrying(what: string, attempt: () => Promise<void>): Promise<void> {
    const policy = { baseDelayMs: this.retryDelay.initial, maxDelayMs: this.retryDelay.max, jitter: 0.2 };
    for (let n = 1; ; n++) {
      try {
        await attempt();
        this.reachability.succeeded();
        if (n > 1) this.logger.log(`${what} succeeded after ${n} attempts`);
        return;
      } catch (error) {
        if ((this.stopping && n >= 2) || error instanceof CheckpointMovedError) throw error;
        const delay = backoffDelayMs(n, policy);
        // The checkpoint's database, or the notifier's in process: told once per outage.
        if (isTransientConnectionError(error)) this.reachability.failed(error as Error);
        else this.logger.warn(`${what} failed (attempt ${n}), retrying in ${delay} ms: ${describe(error)}`);
        this.hooks.onRetry?.(error, n, delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
