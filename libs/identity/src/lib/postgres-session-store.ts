import type { Pool } from 'pg';
import { assertSchemaName, guardPool, inTransaction, quoteIdent } from '@case-status/postgres-support';
import type { Account, ApiToken, PendingSignIn } from './relying-party';
import { DEFAULT_SESSION_TIMEOUTS, isWellFormedSessionId, randomToken, sessionExpiry, sessionIdHash, type SessionKind, type SessionTimeouts } from './session-policy';

/** What a session holds: a sign-in on its way through the provider, or the person signed in. */
export type SessionData =
  | { kind: 'signing-in'; pending: PendingSignIn }
  /** `apiToken`: the person's own token for the status API, when the site asks the provider for one (`RelyingPartyOptions.apiResource`). */
  | { kind: 'signed-in'; account: Account; idToken: string; apiToken?: ApiToken };

export interface Session {
  /** The cookie's value; only its hash is stored. */
  id: string;
  /** The synchroniser token every signed-in form carries. */
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  data: SessionData;
}

export type SessionLookup = { status: 'active'; session: Session } | { status: 'expired'; reason: 'idle' | 'absolute' } | { status: 'absent' };

export interface PostgresSessionStoreOptions {
  pool: Pool;
  /** The schema of the session table (`migrateSessions` creates it). */
  schema: string;
  timeouts?: Partial<SessionTimeouts>;
  /** The time; tests move it. */
  clock?: () => Date;
}

/** Last-seen times are written at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;

/**
 * Server-side sessions in PostgreSQL. The browser holds only a random id; what the session
 * says (who is signed in, the pending sign-in, the CSRF token) stays here. An expired session
 * is deleted when it is next presented, and a sweep removes abandoned ones.
 */
export class PostgresSessionStore {
  readonly timeouts: SessionTimeouts;
  private readonly table: string;
  private readonly clock: () => Date;
  private lastSweep = 0;

  constructor(private readonly options: PostgresSessionStoreOptions) {
    assertSchemaName(options.schema);
    // The website's pool may serve nothing else: a database restart must not end the website.
    guardPool(options.pool);
    this.table = `${quoteIdent(options.schema)}.sessions`;
    this.timeouts = { ...DEFAULT_SESSION_TIMEOUTS, ...options.timeouts };
    this.clock = options.clock ?? (() => new Date());
  }

  /** Starts a new session holding `data`; its id is new and random. */
  async start(data: SessionData): Promise<Session> {
    await this.sweep();
    return this.insert(this.options.pool, data);
  }

  /** The session behind a cookie value, if it is still good; an expired one is deleted. */
  async find(id: string): Promise<SessionLookup> {
    if (!isWellFormedSessionId(id)) return { status: 'absent' };
    const { rows } = await this.options.pool.query<{ kind: SessionKind; csrf_token: string; data: SessionData; created_at: Date; last_seen_at: Date }>(
      `SELECT kind, csrf_token, data, created_at, last_seen_at FROM ${this.table} WHERE id_hash = $1`,
      [sessionIdHash(id)],
    );
    const row = rows[0];
    if (!row) return { status: 'absent' };
    const now = this.clock();
    const expiry = sessionExpiry({ kind: row.kind, createdAt: row.created_at, lastSeenAt: row.last_seen_at }, now, this.timeouts);
    if (expiry !== 'active') {
      await this.end(id);
      return { status: 'expired', reason: expiry };
    }
    let lastSeenAt = row.last_seen_at;
    if (now.getTime() - lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.options.pool.query(`UPDATE ${this.table} SET last_seen_at = $2 WHERE id_hash = $1`, [sessionIdHash(id), now]);
      lastSeenAt = now;
    }
    return { status: 'active', session: { id, csrfToken: row.csrf_token, createdAt: row.created_at, lastSeenAt, data: row.data } };
  }

  /**
   * Ends session `id` and starts a new one holding `data`, in one transaction: at sign-in the
   * id changes, so an id planted in the browser beforehand (session fixation) is worth nothing.
   * Returns null if `id` was already gone (a second use of the same sign-in).
   */
  async rotate(id: string, data: SessionData): Promise<Session | null> {
    return inTransaction(this.options.pool, async (client) => {
      const { rowCount } = await client.query(`DELETE FROM ${this.table} WHERE id_hash = $1`, [sessionIdHash(id)]);
      if (rowCount !== 1) return null;
      return this.insert(client, data);
    });
  }

  /** Ends a session (sign-out); nothing happens if it is gone already. */
  async end(id: string): Promise<void> {
    await this.options.pool.query(`DELETE FROM ${this.table} WHERE id_hash = $1`, [sessionIdHash(id)]);
  }

  private async insert(client: Pick<Pool, 'query'>, data: SessionData): Promise<Session> {
    const id = randomToken();
    const csrfToken = randomToken();
    const now = this.clock();
    const lifetime = data.kind === 'signing-in' ? this.timeouts.signInMs : this.timeouts.absoluteMs;
    await client.query(`INSERT INTO ${this.table} (id_hash, kind, csrf_token, data, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)`, [
      sessionIdHash(id),
      data.kind,
      csrfToken,
      JSON.stringify(data),
      now,
      new Date(now.getTime() + lifetime),
    ]);
    return { id, csrfToken, createdAt: now, lastSeenAt: now, data };
  }

  /** Deletes sessions nobody came back to (at most once a minute per process). */
  private async sweep(): Promise<void> {
    const now = this.clock();
    if (now.getTime() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now.getTime();
    await this.options.pool.query(`DELETE FROM ${this.table} WHERE expires_at <= $1 OR (kind = 'signed-in' AND last_seen_at <= $2)`, [
      now,
      new Date(now.getTime() - this.timeouts.idleMs),
    ]);
  }
}
