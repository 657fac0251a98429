import type { Pool } from 'pg';
import { formatPosition } from '@case-status/event-contract';
import type { Logger } from '@case-status/logging';
import { NotifiedPollingLoop, type StepOutcome } from '@case-status/postgres-support';
import type { EventHandler, GlobalPosition, RecordedEvent, Subscription } from '../event-store.port';

export interface PostgresSubscriptionDeps {
  pool: Pool;
  channel: string;
  pollIntervalMs: number;
  read(after: GlobalPosition, maxCount: number): Promise<RecordedEvent[]>;
  handler: EventHandler;
  after: GlobalPosition;
  logger: Logger;
}

const BATCH_SIZE = 500;

/**
 * Reads batches with `readAll`, which already withholds anything a running transaction could
 * still precede, so the checkpoint only ever moves over final positions. Between batches it
 * waits in the same loop the projection runners use: a NOTIFY from an append or the poll
 * interval, whichever comes first. A database restart does not end it: the loop backs off and
 * reads again after the last event handled (a handler that failed for the connection's sake
 * gets that event again).
 */
export class PostgresSubscription implements Subscription {
  readonly closed: Promise<void>;
  private readonly loop: NotifiedPollingLoop;
  private after: GlobalPosition;
  private stopped = false;

  constructor(private readonly deps: PostgresSubscriptionDeps) {
    this.after = deps.after;
    this.loop = new NotifiedPollingLoop({
      pool: deps.pool,
      pollIntervalMs: deps.pollIntervalMs,
      wakeChannel: deps.channel,
      onDatabaseDown: (error) => deps.logger.warn(`subscription: the event store cannot be reached (${error.message}); retrying with backoff after ${formatPosition(this.after)}`),
      onDatabaseUp: (downForMs) => deps.logger.log(`subscription: the event store is reachable again after ${downForMs} ms`),
    });
    this.closed = this.loop.start(() => this.step());
    // The caller may only ever call stop(); a failure must not become an unhandled rejection.
    this.closed.catch(() => undefined);
  }

  /** Whether its last read reached the database; while it cannot, it retries with backoff from where it was. */
  get database(): 'up' | 'down' {
    return this.loop.database;
  }

  /** Do not await this from inside the handler: it waits for the handler to return. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
  }

  private async step(): Promise<StepOutcome> {
    const batch = await this.deps.read(this.after, BATCH_SIZE);
    for (const event of batch) {
      if (this.stopped) return 'caught-up';
      await this.deps.handler(event);
      this.after = event.position;
    }
    return batch.length === BATCH_SIZE ? 'more' : batch.length > 0 ? 'caught-up' : 'nothing';
  }
}
