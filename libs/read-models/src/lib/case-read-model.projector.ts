import type { Pool } from 'pg';
import { NotifiedPollingLoop } from '@case-status/postgres-support';
import { applyBatch, CheckpointMovedError } from './apply-batch';
import { migrateReadModels, PROJECTION_NAME } from './read-model.migrations';
import { rebuildReadModels, RebuildRunningError } from './rebuild-read-models';
import { CASE_STREAM_PREFIX, formatPosition, parsePosition, type GlobalPosition } from '@case-status/event-contract';
import type { ProjectionSource } from './projection-source.port';
import { assertSchemaName, inTransaction, quoteIdent, statusChangeChannel } from './sql';
import type { Logger } from '@case-status/logging';

export interface CaseReadModelProjectorOptions {
  pool: Pool;
  source: ProjectionSource;
  /** Default `read_models`. */
  schema?: string;
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** How long an idle projector waits before reading again when nothing woke it. Default 100 ms. */
  pollIntervalMs?: number;
  /**
   * A NOTIFY channel the event store signals appends on (the PostgreSQL store's is
   * `<event store schema>_appended`); when set, an idle projector reads as soon as it fires.
   */
  wakeChannel?: string;
  /** How often `lag()` is logged while running. Default 10 s; 0 turns the log line off. */
  lagLogIntervalMs?: number;
  logger?: Logger;
  /** Runs inside every batch transaction after its writes, before its commit (crash tests pause here). */
  beforeCommit?: (batchNumber: number) => Promise<void>;
  now?: () => Date;
}

export interface ProjectorLag {
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
 * Keeps the read models of one schema up to date: reads case events after its checkpoint in
 * batches, and commits each batch's read-model changes together with the checkpoint.
 */
export class CaseReadModelProjector {
  readonly schema: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private position: GlobalPosition = { commit: 0n, prepare: 0n };
  private lastRecordedAt: Date | null = null;
  private caughtUp = false;
  private batches = 0;
  private readonly loop: NotifiedPollingLoop;

  constructor(private readonly options: CaseReadModelProjectorOptions) {
    this.schema = options.schema ?? 'read_models';
    assertSchemaName(this.schema);
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.now = options.now ?? (() => new Date());
    this.loop = new NotifiedPollingLoop({
      pool: options.pool,
      pollIntervalMs: this.pollIntervalMs,
      wakeChannel: options.wakeChannel,
      onWakeUpFailure: (error) => options.logger?.error(`projector ${this.schema}: wake-up connection failed (${error.message}); polling every ${this.pollIntervalMs} ms`),
    });
  }

  /**
   * Creates or migrates the schema and loads the checkpoint. A schema whose migration added
   * read models that existing cases have no rows in yet (`checkpoint.rebuild_required`) is
   * rebuilt from the store first; readers keep the old models until the rebuild swaps in.
   */
  async init(): Promise<void> {
    await migrateReadModels(this.options.pool, this.schema);
    while (await this.rebuildRequired()) {
      try {
        this.options.logger?.log(`projector ${this.schema}: rebuilding the read models from the store once, for read models this version adds`);
        await rebuildReadModels({ pool: this.options.pool, source: this.options.source, schema: this.schema, logger: this.options.logger });
      } catch (error) {
        // Another projector is rebuilding this schema: wait for its swap instead of projecting
        // into tables whose counts do not match their cases.
        if (!(error instanceof RebuildRunningError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.max(this.pollIntervalMs, 500)));
      }
    }
    await this.loadCheckpoint();
  }

  private async rebuildRequired(): Promise<boolean> {
    const { rows } = await this.options.pool.query<{ rebuild_required: boolean }>(
      `SELECT rebuild_required FROM ${quoteIdent(this.schema)}.checkpoint WHERE projection = $1`,
      [PROJECTION_NAME],
    );
    return rows[0]?.rebuild_required === true;
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

  /** Runs until `stop()`; the returned promise rejects if projecting fails (the caller decides to exit). */
  start(): Promise<void> {
    if (this.loop.isRunning) throw new Error('projector already started');
    return this.run();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  lag(): ProjectorLag {
    const lagMs = this.caughtUp || !this.lastRecordedAt ? 0 : Math.max(0, this.now().getTime() - this.lastRecordedAt.getTime());
    return { position: formatPosition(this.position), lastRecordedAt: this.lastRecordedAt, lagMs, caughtUp: this.caughtUp };
  }

  private async run(): Promise<void> {
    const { logger, lagLogIntervalMs = 10_000 } = this.options;
    const lagTimer =
      logger && lagLogIntervalMs > 0
        ? setInterval(() => {
            const lag = this.lag();
            logger.log(`projector ${this.schema}: at ${lag.position}, lag ${lag.lagMs} ms, ${lag.caughtUp ? 'caught up' : 'catching up'}`);
          }, lagLogIntervalMs)
        : undefined;
    lagTimer?.unref();
    try {
      await this.loop.start(async () => (await this.step()) === this.batchSize);
    } finally {
      if (lagTimer) clearInterval(lagTimer);
    }
  }

  /** One read and, if it found events, one transaction. Returns how many events were projected. */
  private async step(): Promise<number> {
    for (;;) {
      const events = await this.options.source.readAll({ after: this.position, maxCount: this.batchSize, streamPrefixes: [CASE_STREAM_PREFIX] });
      if (events.length === 0) {
        this.caughtUp = true;
        return 0;
      }
      const batchNumber = ++this.batches;
      try {
        await inTransaction(this.options.pool, (client) =>
          applyBatch(client, events, {
            schema: this.schema,
            expected: this.position,
            notifyChannel: statusChangeChannel(this.schema),
            beforeCommit: this.options.beforeCommit && (() => this.options.beforeCommit?.(batchNumber) ?? Promise.resolve()),
          }),
        );
      } catch (error) {
        if (!(error instanceof CheckpointMovedError)) throw error;
        // Another writer (a second projector, or a rebuild that swapped schemas) moved it.
        this.options.logger?.log(`projector ${this.schema}: checkpoint moved by another writer; reloading it`);
        await this.loadCheckpoint();
        continue;
      }
      const last = events[events.length - 1];
      this.position = last.position;
      this.lastRecordedAt = last.recordedAt;
      this.caughtUp = events.length < this.batchSize;
      return events.length;
    }
  }

  private async loadCheckpoint(): Promise<void> {
    const { rows } = await this.options.pool.query<{ position: string; last_recorded_at: Date | null }>(
      `SELECT position, last_recorded_at FROM ${quoteIdent(this.schema)}.checkpoint WHERE projection = $1`,
      [PROJECTION_NAME],
    );
    if (rows.length !== 1) throw new Error(`read-model schema ${this.schema} has no checkpoint row for ${PROJECTION_NAME}; was it migrated?`);
    this.position = parsePosition(rows[0].position);
    this.lastRecordedAt = rows[0].last_recorded_at;
  }
}
