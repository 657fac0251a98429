import type { Pool, PoolClient } from 'pg';
import { applyBatch, CheckpointMovedError } from './apply-batch';
import { migrateReadModels, PROJECTION_NAME } from './read-model.migrations';
import { rebuildReadModels, RebuildRunningError } from './rebuild-read-models';
import { CASE_STREAM_PREFIX, formatPosition, parsePosition, type GlobalPosition } from '@case-status/event-contract';
import type { ProjectionSource } from './projection-source.port';
import { assertSchemaName, inTransaction, quoteIdent, statusChangeChannel } from './sql';

export interface ProjectorLogger {
  log(message: string): void;
  error(message: string): void;
}

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
  logger?: ProjectorLogger;
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
  private running: Promise<void> | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private notified = false;

  constructor(private readonly options: CaseReadModelProjectorOptions) {
    this.schema = options.schema ?? 'read_models';
    assertSchemaName(this.schema);
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.now = options.now ?? (() => new Date());
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
    if (this.running) throw new Error('projector already started');
    this.stopped = false;
    this.running = this.run();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.running?.catch(() => undefined);
    this.running = undefined;
  }

  lag(): ProjectorLag {
    const lagMs = this.caughtUp || !this.lastRecordedAt ? 0 : Math.max(0, this.now().getTime() - this.lastRecordedAt.getTime());
    return { position: formatPosition(this.position), lastRecordedAt: this.lastRecordedAt, lagMs, caughtUp: this.caughtUp };
  }

  private async run(): Promise<void> {
    const { logger, lagLogIntervalMs = 10_000 } = this.options;
    const listener = this.options.wakeChannel ? await this.listen(this.options.wakeChannel) : undefined;
    const lagTimer =
      logger && lagLogIntervalMs > 0
        ? setInterval(() => {
            const lag = this.lag();
            logger.log(`projector ${this.schema}: at ${lag.position}, lag ${lag.lagMs} ms, ${lag.caughtUp ? 'caught up' : 'catching up'}`);
          }, lagLogIntervalMs)
        : undefined;
    lagTimer?.unref();
    try {
      while (!this.stopped) {
        this.notified = false;
        const read = await this.step();
        if (read < this.batchSize) await this.sleep();
      }
    } finally {
      if (lagTimer) clearInterval(lagTimer);
      if (listener) await listener.close();
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

  private sleep(): Promise<void> {
    if (this.notified || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wake = done;
    });
  }

  /** A dedicated connection that wakes the loop on every append notification; polling stays the fallback if it fails. */
  private async listen(channel: string): Promise<{ close(): Promise<void> }> {
    const client: PoolClient = await this.options.pool.connect();
    let failed: Error | undefined;
    const onNotification = () => {
      this.notified = true;
      this.wake?.();
    };
    const onError = (error: Error) => {
      failed = error;
      this.options.logger?.error(`projector ${this.schema}: wake-up connection failed (${error.message}); polling every ${this.pollIntervalMs} ms`);
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
