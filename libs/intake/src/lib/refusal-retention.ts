import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';
import { AGENCIES } from '@case-status/case-domain';
import { guardPool, quoteIdent } from '@case-status/postgres-support';
import { RefusalLog } from './refusal-log';

/**
 * How long refused submissions are kept. The refusal log is for an agency to audit what it
 * sent recently; kept for ever it would grow with every malformed submission, a cost any
 * agency system gone wrong could run up.
 */
export interface RefusalRetentionOptions {
  /**
   * The PostgreSQL event store the refusals are kept in: a pool, or a connection string (then
   * a pool of one connection of its own, closed on shutdown, so a long run never holds a
   * connection that requests wait for).
   */
  connection: Pool | string;
  schema: string;
  /** Refusals older than this are deleted; default 90. */
  maxAgeDays?: number;
  /** At most this many refusals are kept per agency, the newest; default 100,000. */
  maxPerAgency?: number;
  /** How often the rule runs; default hourly. The first run is at start-up. */
  intervalMs?: number;
}

const DEFAULT_REFUSAL_RETENTION = { maxAgeDays: 90, maxPerAgency: 100_000, intervalMs: 3_600_000 } as const;
export const REFUSAL_RETENTION_OPTIONS = Symbol('REFUSAL_RETENTION_OPTIONS');

/**
 * Deletes refusals past the retention rule from the PostgreSQL event store. The refusal
 * streams are outside the `case-` prefix and no projection reads them, so removing their old
 * events leaves every read model as it is; a stream keeps its revision, so new refusals
 * carry on numbering and pages of `GET /v1/refusals` stay stable. Several intake instances
 * may run this: an advisory lock lets one of them do each run and the others skip it.
 */
@Injectable()
export class RefusalRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RefusalRetention.name);
  private readonly settings: Required<Omit<RefusalRetentionOptions, 'connection' | 'schema'>>;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(@Inject(REFUSAL_RETENTION_OPTIONS) private readonly options: RefusalRetentionOptions) {
    this.ownsPool = typeof options.connection === 'string';
    this.pool = guardPool(typeof options.connection === 'string' ? new Pool({ connectionString: options.connection, max: 1 }) : options.connection);
    this.settings = {
      maxAgeDays: options.maxAgeDays ?? DEFAULT_REFUSAL_RETENTION.maxAgeDays,
      maxPerAgency: options.maxPerAgency ?? DEFAULT_REFUSAL_RETENTION.maxPerAgency,
      intervalMs: options.intervalMs ?? DEFAULT_REFUSAL_RETENTION.intervalMs,
    };
  }

  /**
   * Applies the rule once. Returns how many refusals were deleted, or null when another
   * instance was applying it at the same moment.
   */
  async prune(now: Date = new Date()): Promise<number | null> {
    const s = quoteIdent(this.options.schema);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`case-status:refusal-retention:${this.options.schema}`]);
      if (!rows[0].locked) {
        await client.query('ROLLBACK');
        return null;
      }
      const oldestKept = new Date(now.getTime() - this.settings.maxAgeDays * 86_400_000);
      let deleted = 0;
      for (const agency of Object.keys(AGENCIES)) {
        // Both conditions use the (stream_id, stream_revision) index and the stream's revision.
        const result = await client.query(
          `DELETE FROM ${s}.events e
            USING ${s}.streams st
            WHERE st.stream_id = $1 AND e.stream_id = st.stream_id
              AND (e.recorded_at < $2 OR e.stream_revision <= st.revision - $3)`,
          [RefusalLog.streamId(agency), oldestKept, this.settings.maxPerAgency],
        );
        deleted += result.rowCount ?? 0;
      }
      await client.query('COMMIT');
      return deleted;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  onApplicationBootstrap(): void {
    const run = () => {
      this.running = this.prune()
        .then((deleted) => {
          if (deleted) this.logger.log(`deleted ${deleted} refusal(s) past ${this.settings.maxAgeDays} days or ${this.settings.maxPerAgency} per agency`);
        })
        .catch((error: unknown) => this.logger.error(`the refusal retention rule could not run: ${(error as Error).message}`));
    };
    run();
    this.timer = setInterval(run, this.settings.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    if (this.ownsPool) await this.pool.end();
  }
}
