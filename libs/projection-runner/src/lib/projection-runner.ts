import type { Pool } from 'pg';
import { formatPosition, type GlobalPosition } from '@case-status/event-contract';
import type { Logger } from '@case-status/logging';
import { guardPool, inTransaction, NotifiedPollingLoop, type ComponentHealth, type StepOutcome } from '@case-status/postgres-support';
import { applyBatch } from './apply-batch';
import { traceBatch } from './trace-batch';
import { Checkpoint, CheckpointMovedError } from './checkpoint';
import { migrateProjection } from './migrate-projection';
import { assertProjectionSchema, type Projection, type ProjectionSource } from './projection';
import { rebuildProjection, RebuildRunningError } from './rebuild';

export interface ProjectionRunnerOptions {
  pool: Pool;
  source: ProjectionSource;
  /** Default the projection's own. */
  schema?: string;
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** How long an idle runner waits before reading again when nothing woke it. Default 100 ms. */
  pollIntervalMs?: number;
  /**
   * A NOTIFY channel the event store signals appends on (the PostgreSQL store's is
   * `<event store schema>_appended`); when set, an idle runner reads as soon as it fires.
   */
  wakeChannel?: string;
  /** How often `lag()` is logged while running. Default 10 s; 0 turns the log line off. */
  lagLogIntervalMs?: number;
  logger?: Logger;
  /** Runs inside every batch transaction after its writes, before its commit (crash tests pause here). */
  beforeCommit?: (batchNumber: number) => Promise<void>;
  /** Told after every committed batch: how many events, and how long its transaction took (for metrics). */
  onBatch?: (batch: { events: number; durationMs: number }) => void;
  now?: () => Date;
}

export interface ProjectionLag {
  /** Global position of the last event projected (`commit:prepare`). */
  position: string;
  /** When the last projected event was recorded in the store; null before the first one. */
  lastRecordedAt: Date | null;
  /** now − lastRecordedAt in ms; 0 when caught up (nothing recorded is waiting to be projected). */
  lagMs: number;
  /** The last read found fewer events than a full batch: nothing recorded was waiting. */
  caughtUp: boolean;
}

/**
 * Keeps one projection's schema up to date: reads the events it wants after its checkpoint,
 * in batches, and commits each batch's changes together with the checkpoint, so a crash at any
 * point replays without double counting. Two runners of one schema may run at once: the
 * checkpoint's compare-and-set lets one of them commit each batch, the other reloads.
 */
export class ProjectionRunner {
  readonly schema: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private readonly checkpointRow: Checkpoint;
  private readonly loop: NotifiedPollingLoop;
  private readonly label: string;
  private position: GlobalPosition | undefined;
  private lastRecordedAt: Date | null = null;
  private caughtUp = false;
  private batches = 0;

  constructor(
    readonly projection: Projection,
    private readonly options: ProjectionRunnerOptions,
  ) {
    this.schema = options.schema ?? projection.schema;
    assertProjectionSchema(this.schema);
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.now = options.now ?? (() => new Date());
    this.checkpointRow = new Checkpoint(this.schema, projection.name);
    this.label = `projection ${projection.name} (${this.schema})`;
    this.loop = new NotifiedPollingLoop({
      pool: options.pool,
      pollIntervalMs: this.pollIntervalMs,
      wakeChannel: options.wakeChannel,
      onDatabaseDown: (error) => options.logger?.warn(`${this.label}: database unreachable (${error.message}); retrying with backoff from ${this.checkpoint}`),
      onDatabaseUp: (downForMs) => options.logger?.log(`${this.label}: database reachable again after ${downForMs} ms; projecting from ${this.checkpoint}`),
    });
    guardPool(options.pool, (error) => options.logger?.warn(`database connection dropped: ${error.message}`));
  }

  /**
   * Creates or migrates the schema and loads the checkpoint. A schema whose migration added
   * tables that what was projected before has no rows in (`checkpoint.rebuild_required`) is
   * rebuilt from the store first; readers keep the old tables until the rebuild swaps in.
   */
  async init(): Promise<void> {
    const { pool, source, logger } = this.options;
    await migrateProjection(pool, this.projection, this.schema);
    while ((await this.checkpointRow.load(pool))?.rebuildRequired) {
      try {
        logger?.log(`${this.label}: rebuilding from the store once, for tables this version adds`);
        await rebuildProjection(this.projection, { pool, source, schema: this.schema, logger });
      } catch (error) {
        // Another runner is rebuilding this schema: wait for its swap instead of projecting
        // into tables that do not match what was projected before.
        if (!(error instanceof RebuildRunningError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.max(this.pollIntervalMs, 500)));
      }
    }
    await this.loadCheckpoint();
  }

  /** The global position of the last event projected (`commit:prepare`). */
  get checkpoint(): string {
    return this.lag().position;
  }

  /** Projects until a read finds less than a full batch; returns the number of events read. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const read = await this.step();
      total += read;
      if (read < this.batchSize) return total;
    }
  }

  /**
   * Runs until `stop()`. A database that cannot be reached (a restart) is waited out with
   * backoff, from the checkpoint; the returned promise rejects only if projecting fails for
   * another reason (the caller decides to exit).
   */
  start(): Promise<void> {
    if (this.loop.isRunning) throw new Error(`${this.label} already started`);
    return this.run();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Readiness: ready while running and reaching the database (how far behind it is comes as
   * `lagMs`); not ready before start(), after stop() and while the database is unreachable.
   */
  health(): ComponentHealth {
    const { lagMs } = this.lag();
    const database = this.loop.database;
    if (!this.loop.active) return { ready: false, database, detail: `${this.label} is not running`, lagMs };
    if (database === 'down') return { ready: false, database, detail: `${this.label} cannot reach the database; retrying`, lagMs };
    return { ready: true, database, lagMs };
  }

  /** How far behind the store this runner is; for logs, readiness and metrics. */
  lag(): ProjectionLag {
    const lagMs = this.caughtUp || !this.lastRecordedAt ? 0 : Math.max(0, this.now().getTime() - this.lastRecordedAt.getTime());
    return { position: this.position ? formatPosition(this.position) : '0:0', lastRecordedAt: this.lastRecordedAt, lagMs, caughtUp: this.caughtUp };
  }

  private async run(): Promise<void> {
    const { logger, lagLogIntervalMs = 10_000 } = this.options;
    const lagTimer =
      logger && lagLogIntervalMs > 0
        ? setInterval(() => {
            const lag = this.lag();
            logger.log(`${this.label}: at ${lag.position}, lag ${lag.lagMs} ms, ${lag.caughtUp ? 'caught up' : 'catching up'}`);
          }, lagLogIntervalMs)
        : undefined;
    lagTimer?.unref();
    try {
      await this.loop.start(async (): Promise<StepOutcome> => {
        const read = await this.step();
        return read === this.batchSize ? 'more' : read > 0 ? 'caught-up' : 'nothing';
      });
    } finally {
      if (lagTimer) clearInterval(lagTimer);
    }
  }

  /** One read and, if it found events, one transaction. Returns how many events were projected. */
  private async step(): Promise<number> {
    const { pool, source, beforeCommit, logger } = this.options;
    for (;;) {
      const from = this.position;
      const events = await source.readAll({ after: from, maxCount: this.batchSize, streamPrefixes: [...this.projection.streamPrefixes] });
      if (events.length === 0) {
        this.caughtUp = true;
        return 0;
      }
      const batchNumber = ++this.batches;
      const started = performance.now();
      try {
        await traceBatch(this.projection.name, events, () =>
          inTransaction(pool, async (tx) => {
            await applyBatch(tx, this.projection, this.checkpointRow, from, events, { schema: this.schema, liveSchema: this.schema });
            await beforeCommit?.(batchNumber);
          }),
        );
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) throw error;
        // Another writer (a second runner, a rebuild's swap, an operator's reset) moved it.
        logger?.log(`${this.label}: checkpoint moved by another writer; reloading it`);
        await this.loadCheckpoint();
        continue;
      }
      this.options.onBatch?.({ events: events.length, durationMs: performance.now() - started });
      const last = events[events.length - 1];
      this.position = last.position;
      this.lastRecordedAt = last.recordedAt;
      this.caughtUp = events.length < this.batchSize;
      return events.length;
    }
  }

  private async loadCheckpoint(): Promise<void> {
    const stored = await this.checkpointRow.load(this.options.pool);
    this.position = stored?.position;
    this.lastRecordedAt = stored?.lastRecordedAt ?? null;
  }
}
