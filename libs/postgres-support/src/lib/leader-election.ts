import type { Pool, PoolClient } from 'pg';
import { silentLogger, type Logger } from '@case-status/logging';
import { DatabaseReachability, isTransientConnectionError, type ComponentHealth } from './connectivity';

/** What the elected instance runs, and stops when it stops leading. */
export interface LedWork {
  /** Settles when the work ends by itself; a rejection is a failure the service exits on. */
  closed: Promise<void>;
  /**
   * `stopping`: the service is shutting down, finish cleanly. `lost`: another instance may lead
   * already; stop at once and leave unfinished work to it (defaults to `stop('stopping')`).
   */
  stop(reason: 'stopping' | 'lost'): Promise<void>;
}

export interface LeaderElectionOptions {
  /** The lock's connection is taken from this pool and held while leading (size the pool one bigger). */
  pool: Pool;
  /**
   * What is elected: one key per role and what it writes (the projector's schemas, the relay's
   * checkpoint), hashed into the advisory lock's 64-bit key with `hashtextextended(key, 0)`.
   */
  key: string;
  /** How often a standby tries the lock. Default 250 ms. */
  retryIntervalMs?: number;
  /** How often the leader checks its lock connection with a query. Default 1 s. */
  heartbeatIntervalMs?: number;
  /**
   * The leader stops once its lock connection has not answered for this long (a network cut
   * closes no socket). The server ends that idle session after twice as long
   * (`idle_session_timeout`), freeing the lock: the old leader has stopped before anyone can
   * take over. Default 5 s.
   */
  leaseMs?: number;
  logger?: Logger;
}

export type ElectedRole = 'active' | 'standby';

const lockQuery = 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked';

/**
 * Runs `lead` in one instance of a service at a time: the one holding a PostgreSQL session-level
 * advisory lock (`pg_try_advisory_lock`) on a connection it keeps for as long as it leads. The
 * others are standbys: they try the lock every `retryIntervalMs` and take over when the leader's
 * session ends (a process killed with -9 closes its socket and PostgreSQL frees the lock).
 *
 * Split brain: a leader whose lock connection fails (closed, or silent for `leaseMs`) stops its
 * work at once and becomes a standby; the server frees a silent session's lock only after
 * `2 * leaseMs`. The work itself must still tolerate a moment of overlap (the projection
 * checkpoint's compare-and-set, the relay's checkpoint and the notifier's dedupe do).
 */
export class LeaderElection<W extends LedWork> {
  /** Resolves after `stop()`; rejects when the work fails (the lock is let go first). */
  readonly closed: Promise<void>;
  private state: ElectedRole = 'standby';
  private current: W | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private requestStop: () => void = () => undefined;
  private readonly stopRequested: Promise<void>;
  private readonly reachability: DatabaseReachability;
  private readonly logger: Logger;
  private readonly retryIntervalMs: number;
  private readonly heartbeatIntervalMs: number;
  private readonly leaseMs: number;
  private terms = 0;

  constructor(
    private readonly options: LeaderElectionOptions,
    private readonly lead: () => Promise<W>,
  ) {
    this.retryIntervalMs = positive('retryIntervalMs', options.retryIntervalMs ?? 250);
    this.heartbeatIntervalMs = positive('heartbeatIntervalMs', options.heartbeatIntervalMs ?? 1_000);
    this.leaseMs = positive('leaseMs', options.leaseMs ?? 5_000);
    if (this.heartbeatIntervalMs >= this.leaseMs) throw new RangeError(`heartbeatIntervalMs (${this.heartbeatIntervalMs}) must be shorter than leaseMs (${this.leaseMs})`);
    this.logger = options.logger ?? silentLogger;
    this.reachability = new DatabaseReachability({
      onDown: (error) => this.logger.warn(`${options.key}: the database cannot be reached for the election (${error.message}); retrying with backoff`),
      onUp: (downForMs) => this.logger.log(`${options.key}: the database is reachable again after ${downForMs} ms`),
    });
    this.stopRequested = new Promise((resolve) => (this.requestStop = resolve));
    this.closed = this.run();
    this.closed.catch(() => undefined);
  }

  /** `active` while this instance leads (its work running or starting), else `standby`. */
  get role(): ElectedRole {
    return this.state;
  }

  /** The work while this instance leads. */
  get work(): W | undefined {
    return this.current;
  }

  /** How many times this instance has become the leader. */
  get termsLed(): number {
    return this.terms;
  }

  /**
   * Readiness: the leader answers for its work (`active`); a standby is ready while it reaches
   * the database, so it can take over.
   */
  health(ofWork: (work: W) => ComponentHealth): ComponentHealth {
    if (this.state === 'active' && this.current) return { ...ofWork(this.current), role: 'active' };
    const database = this.reachability.state;
    if (this.stopping) return { ready: false, database, role: 'standby', detail: `${this.options.key} is not running` };
    if (this.state === 'active') return { ready: false, database, role: 'active', detail: `${this.options.key}: elected, starting` };
    if (database === 'down') return { ready: false, database, role: 'standby', detail: `${this.options.key}: standby, cannot reach the database; retrying` };
    return { ready: true, database, role: 'standby' };
  }

  /** Stops the work (if leading), lets the lock go, and ends. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.requestStop();
    this.wake?.();
    await this.closed.catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let client: PoolClient | undefined;
      try {
        client = await this.tryLock();
        this.reachability.succeeded();
      } catch (error) {
        if (!isTransientConnectionError(error)) throw error;
        await this.sleep(this.reachability.failed(error as Error));
        continue;
      }
      if (!client) {
        await this.sleep(this.retryIntervalMs);
        continue;
      }
      await this.holdAndLead(client);
    }
  }

  /** The lock on a connection of its own, or undefined (and the connection back in the pool) when another instance holds it. */
  private async tryLock(): Promise<PoolClient | undefined> {
    const client = await this.options.pool.connect();
    // A connection that fails while idle in our hands must not end the process.
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      const { rows } = await client.query<{ locked: boolean }>(lockQuery, [this.options.key]);
      if (!rows[0].locked) {
        client.off('error', ignore);
        client.release();
        return undefined;
      }
      // Ends the session, and so frees the lock, when this leader goes silent (see leaseMs).
      await client.query(`SELECT set_config('idle_session_timeout', $1, false)`, [String(2 * this.leaseMs)]);
      client.off('error', ignore);
      return client;
    } catch (error) {
      client.off('error', ignore);
      // Destroyed, not returned: the lock (if taken) goes with the session.
      client.release(error as Error);
      throw error;
    }
  }

  private async holdAndLead(client: PoolClient): Promise<void> {
    const { key } = this.options;
    let lose: (reason: string) => void = () => undefined;
    let lostReason: string | undefined;
    const lost = new Promise<string>((resolve) => {
      lose = (reason) => {
        lostReason ??= reason;
        resolve(lostReason);
      };
    });
    const onError = (error: Error) => lose(`its lock connection failed (${error.message})`);
    const onEnd = () => lose('its lock connection closed');
    client.on('error', onError);
    client.on('end', onEnd);
    let confirmedAt = Date.now();
    let inFlight = false;
    const heartbeat = setInterval(() => {
      if (Date.now() - confirmedAt > this.leaseMs) return lose(`its lock connection has not answered for ${this.leaseMs} ms`);
      if (inFlight) return;
      inFlight = true;
      const sentAt = Date.now();
      client.query('SELECT 1').then(
        () => {
          inFlight = false;
          confirmedAt = sentAt;
        },
        (error: Error) => lose(`its lock connection failed (${error.message})`),
      );
    }, this.heartbeatIntervalMs);

    this.state = 'active';
    this.terms++;
    this.logger.log(`${key}: elected; this instance is active`);
    let failure: unknown;
    try {
      // A lock lost while starting is acted on as soon as the work has started.
      const work = await this.lead();
      this.current = work;
      const outcome = await Promise.race([
        lost.then((reason) => ({ kind: 'lost' as const, reason })),
        this.stopRequested.then(() => ({ kind: 'stopping' as const })),
        work.closed.then(
          () => ({ kind: 'ended' as const }),
          (error: unknown) => ({ kind: 'failed' as const, error }),
        ),
      ]);
      if (outcome.kind === 'lost' || lostReason) {
        // Standby at once: readiness and metrics stop saying active before the work has wound down.
        this.state = 'standby';
        this.current = undefined;
        this.logger.warn(`${key}: no longer the leader: ${lostReason}; stopping at once, then standing by`);
        await work.stop('lost').catch((error: Error) => this.logger.warn(`${key}: stopping after losing the lead: ${error.message}`));
        await work.closed.catch((error: Error) => this.logger.warn(`${key}: ended after losing the lead: ${error.message}`));
      } else if (outcome.kind === 'failed') {
        failure = outcome.error;
        // What still runs of it (the other projections) stops before the lock goes to a standby.
        await work.stop('lost').catch(() => undefined);
      } else {
        await work.stop('stopping');
      }
    } catch (error) {
      // Starting failed: a database that went away is waited out as a standby; anything else ends the service.
      if (!isTransientConnectionError(error)) failure = error;
      else this.logger.warn(`${key}: could not start while the database is away; standing by`);
    } finally {
      clearInterval(heartbeat);
      this.state = 'standby';
      this.current = undefined;
      await this.release(client, lostReason !== undefined, onError, onEnd);
    }
    if (failure !== undefined) {
      this.stopping = true;
      throw failure;
    }
  }

  private async release(client: PoolClient, broken: boolean, onError: (error: Error) => void, onEnd: () => void): Promise<void> {
    // Still listening for 'error' while the session is ended: a dropped socket must not end the process.
    client.off('end', onEnd);
    if (!broken) await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.options.key]).catch(() => undefined);
    // Destroyed rather than returned: it carries idle_session_timeout, and ending the session frees any lock left.
    client.release(true);
    client.off('error', onError);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).then(() => {
      this.wake = undefined;
    });
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of milliseconds, got ${value}`);
  return value;
}
