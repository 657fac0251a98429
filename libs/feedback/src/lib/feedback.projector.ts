import type { Pool } from 'pg';
import { formatPosition, parsePosition, START, type GlobalPosition, type RecordedEvent } from '@case-status/event-contract';
import { assertSchemaName, inTransaction, NotifiedPollingLoop, quoteIdent } from '@case-status/postgres-support';
import { applyFeedbackBatch, FeedbackCheckpointMovedError } from './apply-feedback-batch';
import { FEEDBACK_STREAM_PREFIX } from './feedback-event';
import { FEEDBACK_PROJECTION_NAME, migrateFeedback } from './feedback.migrations';
import type { Logger } from '@case-status/logging';

/**
 * What the projector needs from the event store: `readAll` in global order with a stream
 * prefix filter. `EventStore` from @case-status/event-store satisfies it as is.
 */
export interface FeedbackProjectionSource {
  readAll(options: { after?: GlobalPosition; maxCount?: number; streamPrefixes?: string[] }): Promise<RecordedEvent[]>;
}

export interface FeedbackProjectorOptions {
  pool: Pool;
  source: FeedbackProjectionSource;
  /** Default `feedback`; at most 40 characters (a rebuild derives longer names from it). */
  schema?: string;
  /** Events per transaction. Default 500. */
  batchSize?: number;
  /** How long an idle projector waits before reading again when nothing woke it. Default 250 ms. */
  pollIntervalMs?: number;
  /** The event store's append NOTIFY channel; an idle projector reads as soon as it fires. */
  wakeChannel?: string;
  logger?: Logger;
}

export const DEFAULT_FEEDBACK_SCHEMA = 'feedback';

/** Schema names end up in SQL text; a rebuild appends `_build_<13 digits>`, which must stay under 63 bytes. */
export function assertFeedbackSchema(schema: string): void {
  assertSchemaName(schema, 40);
}

/**
 * Keeps the survey results of one schema up to date: reads feedback streams after its own
 * checkpoint, in batches, and commits each batch's counts together with the checkpoint.
 * Independent of the case read models: its own schema, tables and checkpoint.
 */
export class FeedbackProjector {
  readonly schema: string;
  private readonly batchSize: number;
  private readonly loop: NotifiedPollingLoop;
  private position: GlobalPosition = START;

  constructor(private readonly options: FeedbackProjectorOptions) {
    this.schema = options.schema ?? DEFAULT_FEEDBACK_SCHEMA;
    assertFeedbackSchema(this.schema);
    this.batchSize = options.batchSize ?? 500;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
    const pollIntervalMs = options.pollIntervalMs ?? 250;
    this.loop = new NotifiedPollingLoop({
      pool: options.pool,
      pollIntervalMs,
      wakeChannel: options.wakeChannel,
      onWakeUpFailure: (error) => options.logger?.error(`feedback projector ${this.schema}: wake-up connection failed (${error.message}); polling every ${pollIntervalMs} ms`),
    });
  }

  /** Creates or migrates the schema and loads the checkpoint. */
  async init(): Promise<void> {
    await migrateFeedback(this.options.pool, this.schema);
    await this.loadCheckpoint();
  }

  /** The global position of the last event projected (`commit:prepare`). */
  get checkpoint(): string {
    return formatPosition(this.position);
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
    if (this.loop.isRunning) throw new Error('feedback projector already started');
    return this.loop.start(async () => (await this.step()) === this.batchSize);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async step(): Promise<number> {
    for (;;) {
      const events = await this.options.source.readAll({ after: this.position, maxCount: this.batchSize, streamPrefixes: [FEEDBACK_STREAM_PREFIX] });
      if (events.length === 0) return 0;
      try {
        await inTransaction(this.options.pool, (client) => applyFeedbackBatch(client, events, { schema: this.schema, expected: this.position }));
      } catch (error) {
        if (!(error instanceof FeedbackCheckpointMovedError)) throw error;
        // Another writer (a second projector, a rebuild's swap, an operator's reset) moved it.
        this.options.logger?.log(`feedback projector ${this.schema}: checkpoint moved by another writer; reloading it`);
        await this.loadCheckpoint();
        continue;
      }
      this.position = events[events.length - 1].position;
      return events.length;
    }
  }

  private async loadCheckpoint(): Promise<void> {
    const { rows } = await this.options.pool.query<{ position: string }>(`SELECT position FROM ${quoteIdent(this.schema)}.checkpoint WHERE projection = $1`, [
      FEEDBACK_PROJECTION_NAME,
    ]);
    if (rows.length !== 1) throw new Error(`feedback schema ${this.schema} has no checkpoint row; was it migrated?`);
    this.position = parsePosition(rows[0].position);
  }
}
