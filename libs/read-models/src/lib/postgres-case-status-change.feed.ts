import { Client, type ClientConfig } from 'pg';
import { DatabaseReachability, RECONNECT_BACKOFF, type ComponentHealth } from '@case-status/postgres-support';
import type { CaseStatusChanged, CaseStatusChangeFeed } from './read-model.queries';
import { assertSchemaName, quoteIdent, statusChangeChannel } from './sql';

export interface PostgresCaseStatusChangeFeedOptions {
  /** Connection string or client config for the one dedicated LISTEN connection. */
  connection: string | ClientConfig;
  /** The read-model schema whose projector announces changes. Default `read_models`. */
  schema?: string;
  /** First wait before reconnecting after the connection is lost; doubles (with jitter) up to 5 s. Default 100 ms. */
  reconnectDelayMs?: number;
  /** Told of a listener's failure, and once per outage of the connection. */
  onError?: (error: Error) => void;
  /** Told when the connection is back after an outage, with how long it was away. */
  onReconnected?: (downForMs: number) => void;
}

type Listener = (change: CaseStatusChanged) => void;

/**
 * Committed status changes, from the projector's `pg_notify` (sent inside the batch
 * transaction, so delivered at commit and never for a rolled-back batch). One connection
 * serves every listener; it is opened by the first `listen` and closed after the last stop.
 * Changes committed while the connection is down are not replayed: live subscribers re-read
 * the status after a reconnect if they must not miss one. A lost connection (a database
 * restart) is reconnected and LISTENs again, with bounded exponential backoff and jitter.
 */
export class PostgresCaseStatusChangeFeed implements CaseStatusChangeFeed {
  readonly channel: string;
  private readonly listeners = new Set<Listener>();
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly reachability: DatabaseReachability;

  constructor(private readonly options: PostgresCaseStatusChangeFeedOptions) {
    const schema = options.schema ?? 'read_models';
    assertSchemaName(schema);
    this.channel = statusChangeChannel(schema);
    this.reachability = new DatabaseReachability({ onDown: (error) => options.onError?.(error), onUp: (downForMs) => options.onReconnected?.(downForMs) });
  }

  /** Readiness: not ready while it has listeners and no connection to tell them of changes. */
  health(): ComponentHealth {
    const database = this.reachability.state;
    if (this.closed) return { ready: false, database, detail: 'the change feed is closed' };
    if (database === 'down') return { ready: false, database, detail: 'live updates wait for the database; reconnecting' };
    return { ready: true, database };
  }

  async listen(listener: Listener): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the change feed is closed');
    this.listeners.add(listener);
    try {
      await this.connect();
    } catch (error) {
      this.listeners.delete(listener);
      throw error;
    }
    let stopped = false;
    return async () => {
      if (stopped) return;
      stopped = true;
      this.listeners.delete(listener);
      if (this.listeners.size === 0) await this.disconnect();
    };
  }

  /** Stops every listener and closes the connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    await this.disconnect();
  }

  private connect(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const config = typeof this.options.connection === 'string' ? { connectionString: this.options.connection } : this.options.connection;
    const client = new Client(config);
    client.on('notification', (message) => {
      if (message.channel !== this.channel || !message.payload) return;
      const change = parseChange(message.payload);
      if (!change) return;
      for (const listener of [...this.listeners]) {
        try {
          listener(change);
        } catch (error) {
          this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('change feed connection ended')));
    await client.connect();
    try {
      await client.query(`LISTEN ${quoteIdent(this.channel)}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
  }

  private lost(client: Client, error: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    if (this.closed || this.listeners.size === 0) return;
    const policy = { ...RECONNECT_BACKOFF, baseDelayMs: this.options.reconnectDelayMs ?? RECONNECT_BACKOFF.baseDelayMs };
    const retry = () => {
      this.reconnectTimer = undefined;
      if (this.closed || this.listeners.size === 0) {
        this.reachability.succeeded();
        return;
      }
      this.connect().then(
        () => this.reachability.succeeded(),
        (reconnectError: Error) => (this.reconnectTimer = setTimeout(retry, this.reachability.failed(reconnectError, policy))),
      );
    };
    this.reconnectTimer = setTimeout(retry, this.reachability.failed(error, policy));
  }

  private async disconnect(): Promise<void> {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}

function parseChange(payload: string): CaseStatusChanged | undefined {
  try {
    const value = JSON.parse(payload) as Partial<CaseStatusChanged>;
    if (typeof value.agency === 'string' && typeof value.receiptNumber === 'string' && typeof value.revision === 'string') {
      return { agency: value.agency, receiptNumber: value.receiptNumber, revision: value.revision };
    }
  } catch {
    // Not ours: someone else NOTIFYing on the channel; ignored.
  }
  return undefined;
}
