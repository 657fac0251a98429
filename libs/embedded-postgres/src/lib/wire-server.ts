import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const MAX_STARTUP_PACKET = 10_000;

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q'
const FLUSH = 0x48; // 'H'
const TERMINATE = 0x58; // 'X'
const PARSE = 0x50; // 'P'
const NOTIFICATION = 0x41; // 'A'
const ERROR = 0x45; // 'E'

const SYNC_MESSAGE = Buffer.from([SYNC, 0, 0, 0, 4]);

export interface WireServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  maxConnections: number;
  /**
   * A connection whose transaction (or unfinished extended-protocol sequence) waits on it this
   * long is ended with 25P03 and rolled back, as PostgreSQL's idle_in_transaction_session_timeout
   * does; here it also frees the one session everyone else waits for. 0: never.
   */
  idleInTransactionTimeoutMs: number;
  /**
   * A connection that has held the session this long in one transaction is ended with 25P04 and
   * rolled back (PostgreSQL's transaction_timeout), so a stream of short statements cannot hold
   * it forever either. Checked between statements: one statement runs to its end. 0: never.
   */
  transactionTimeoutMs: number;
  /** A connection that has not sent its startup message this long after connecting is closed. */
  startupTimeoutMs: number;
  /** Largest message, and largest run of messages before their Sync, a client may send. */
  maxMessageBytes: number;
}

export const DEFAULT_WIRE_SERVER_LIMITS = {
  idleInTransactionTimeoutMs: 10_000,
  transactionTimeoutMs: 60_000,
  startupTimeoutMs: 10_000,
  maxMessageBytes: 64 * 1024 * 1024,
} satisfies Partial<WireServerOptions>;

interface Connection {
  readonly socket: Socket;
  /** Bytes received but not yet a whole message, kept as received until `needed` have come. */
  chunks: Buffer[];
  buffered: number;
  /** Bytes it takes for the next message (or its header) to be whole. */
  needed: number;
  /** Whole messages of an extended-protocol sequence whose Sync has not arrived yet. */
  pending: Buffer[];
  pendingBytes: number;
  /** The startup, idle-in-transaction or transaction timeout running for it, if any. */
  timer: NodeJS.Timeout | undefined;
  /** When it took the session (began its transaction or sequence); null when it does not hold it. */
  ownedSince: number | null;
  started: boolean;
  closed: boolean;
  /**
   * Its last unit ended with Flush, not Sync: the session is mid-sequence for this connection
   * (unnamed portal, implicit transaction) until its Sync runs, so nobody else may run.
   */
  midSequence: boolean;
  /** Channels it issued LISTEN on, as PostgreSQL names them (case-folded unless quoted). */
  readonly listening: Set<string>;
}

type ListenChange = { listen: string } | { unlisten: string } | { unlistenAll: true };

type Unit =
  | { kind: 'messages'; connection: Connection; bytes: Buffer; endsWithFlush: boolean; listenChanges: ListenChange[] }
  | { kind: 'startup'; connection: Connection; bytes: Buffer }
  | { kind: 'close'; connection: Connection };

/**
 * A PostgreSQL wire-protocol server in front of one PGlite session, shared by many client
 * connections. PGlite has one session, so a connection's work must not be split by another's:
 * each connection's messages are framed and grouped into units ending with Sync, Query or
 * Flush, and each unit runs whole. While a unit leaves the session in a transaction block, or
 * mid-sequence after a Flush, only that connection's units run; a connection that goes away
 * then gets its sequence ended and its transaction rolled back. Notifications are passed to
 * the connections that issued LISTEN on their channel, not to whichever statement's output
 * carried them.
 *
 * Written because `@electric-sql/pglite-socket` 0.2.17 runs each message on its own, so
 * another connection's Parse/Bind could replace the unnamed portal between a connection's
 * Bind and Execute (`portal "" does not exist`).
 */
export class PGliteWireServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private queue: Unit[] = [];
  /** The connection whose transaction or extended-protocol sequence is open in the session. */
  private owner: Connection | null = null;
  private draining = false;
  /** The latest drain, for stop() to wait on. */
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: PGlite,
    private readonly options: WireServerOptions,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  /** Resolves with the port actually bound. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address === null || typeof address === 'string') reject(new Error('expected a TCP address'));
        else resolve(address.port);
      });
    });
  }

  /** Closes every connection and waits for the unit running in PGlite, so the database can then be closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.queue = [];
    for (const connection of this.connections) connection.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.running;
  }

  private accept(socket: Socket): void {
    if (this.stopped || this.connections.size >= this.options.maxConnections) {
      // Answered after the client's first packet, as PostgreSQL does: a driver reads an
      // error sent before it has written anything as a dropped connection.
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end(errorResponse('53300', 'too many connections to the embedded PostgreSQL server'), () => socket.destroy()));
      if (this.options.startupTimeoutMs > 0) socket.setTimeout(this.options.startupTimeoutMs, () => socket.destroy());
      return;
    }
    socket.setNoDelay(true);
    const connection: Connection = {
      socket,
      chunks: [],
      buffered: 0,
      needed: 8,
      pending: [],
      pendingBytes: 0,
      timer: undefined,
      ownedSince: null,
      started: false,
      closed: false,
      midSequence: false,
      listening: new Set(),
    };
    this.connections.add(connection);
    // A connection slot held by someone who never says who they are would be lost for good.
    this.arm(connection, this.options.startupTimeoutMs, () => {
      connection.socket.destroy();
      this.close(connection);
    });
    socket.on('data', (chunk: Buffer) => this.receive(connection, chunk));
    // 'close' follows 'error', so the clean-up lives there; without this listener an
    // ECONNRESET would be thrown as an uncaught exception.
    socket.on('error', () => undefined);
    socket.on('close', () => this.close(connection));
  }

  private receive(connection: Connection, chunk: Buffer): void {
    // Joined only once a whole message is there: joining on every chunk would copy a large
    // message over and over (quadratic in its size).
    connection.chunks.push(chunk);
    connection.buffered += chunk.length;
    if (connection.buffered < connection.needed) return;
    let buffer = connection.chunks.length === 1 ? connection.chunks[0] : Buffer.concat(connection.chunks);
    let needed = 0;
    for (;;) {
      if (!connection.started) {
        // Startup-phase packets have no type byte: int32 length, int32 code.
        if (buffer.length < 8) {
          needed = 8;
          break;
        }
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > MAX_STARTUP_PACKET) return this.reject(connection, '08P01', 'invalid startup packet length');
        if (buffer.length < length) {
          needed = length;
          break;
        }
        const code = buffer.readInt32BE(4);
        const packet = buffer.subarray(0, length);
        buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          connection.socket.write('N');
        } else if (code === CANCEL_REQUEST) {
          // One session runs one unit at a time to completion: there is nothing to cancel.
          connection.socket.end();
          return;
        } else {
          connection.started = true;
          this.disarm(connection);
          this.enqueue({ kind: 'startup', connection, bytes: Buffer.from(packet) });
        }
        continue;
      }
      if (buffer.length < 5) {
        needed = 5;
        break;
      }
      const length = buffer.readInt32BE(1);
      if (length < 4) return this.reject(connection, '08P01', 'invalid message length');
      // Refused from its header, before its bytes are held in memory.
      if (connection.pendingBytes + 1 + length > this.options.maxMessageBytes) {
        const limit = `the embedded server's limit of ${this.options.maxMessageBytes} bytes`;
        const reason = connection.pendingBytes > 0 ? `messages sent without a Sync add up to more than ${limit}` : `a message of ${1 + length} bytes is over ${limit}`;
        return this.reject(connection, '54000', reason);
      }
      if (buffer.length < 1 + length) {
        needed = 1 + length;
        break;
      }
      const message = buffer.subarray(0, 1 + length);
      buffer = buffer.subarray(1 + length);
      const type = message[0];
      if (type === TERMINATE) {
        connection.socket.end();
        return;
      }
      connection.pending.push(message);
      connection.pendingBytes += message.length;
      if (type === SYNC || type === QUERY || type === FLUSH) {
        const messages = connection.pending;
        connection.pending = [];
        connection.pendingBytes = 0;
        // It is no longer idle: the session now waits on the server, not on it.
        if (this.owner === connection) this.disarm(connection);
        this.enqueue({ kind: 'messages', connection, bytes: Buffer.concat(messages), endsWithFlush: type === FLUSH, listenChanges: messages.flatMap(listenChangesOf) });
      }
    }
    // Copied so a large chunk is not kept alive by the few bytes of it still waiting.
    connection.chunks = buffer.length > 0 ? [Buffer.from(buffer)] : [];
    connection.buffered = buffer.length;
    connection.needed = needed;
  }

  private reject(connection: Connection, sqlState: string, reason: string): void {
    // Nothing after a framing error can be trusted to be a message boundary.
    this.terminate(connection, sqlState, reason);
    connection.chunks = [];
    connection.pending = [];
  }

  /**
   * Ends a connection with a FATAL error, as a PostgreSQL backend that exits: its transaction is
   * rolled back (queued now, so whoever waits for the session gets it next) and its socket is
   * destroyed once the error is written, whether or not the client ever closes its side.
   */
  private terminate(connection: Connection, sqlState: string, reason: string): void {
    if (connection.closed) return;
    const { socket } = connection;
    socket.removeAllListeners('data');
    socket.end(errorResponse(sqlState, reason), () => socket.destroy());
    // A client that reads nothing would keep the error, and so the socket, unsent for ever.
    setTimeout(() => socket.destroy(), 1_000).unref();
    this.close(connection);
  }

  private arm(connection: Connection, ms: number, onTimeout: () => void): void {
    this.disarm(connection);
    if (ms > 0) connection.timer = setTimeout(onTimeout, ms);
  }

  private disarm(connection: Connection): void {
    clearTimeout(connection.timer);
    connection.timer = undefined;
  }

  /** After a unit of the owner: it is idle now, until its next unit arrives. */
  private armOwnerTimer(connection: Connection): void {
    const { idleInTransactionTimeoutMs, transactionTimeoutMs } = this.options;
    const heldMs = Date.now() - (connection.ownedSince ?? Date.now());
    const transactionLeftMs = transactionTimeoutMs > 0 ? transactionTimeoutMs - heldMs : Infinity;
    if (transactionLeftMs <= 0) return this.terminate(connection, '25P04', 'terminating connection due to transaction timeout');
    const idleMs = idleInTransactionTimeoutMs > 0 ? idleInTransactionTimeoutMs : Infinity;
    if (idleMs === Infinity && transactionLeftMs === Infinity) return;
    if (idleMs <= transactionLeftMs) {
      this.arm(connection, idleMs, () => this.terminate(connection, '25P03', 'terminating connection due to idle-in-transaction timeout'));
    } else {
      this.arm(connection, transactionLeftMs, () => this.terminate(connection, '25P04', 'terminating connection due to transaction timeout'));
    }
  }

  private close(connection: Connection): void {
    if (connection.closed) return;
    connection.closed = true;
    this.disarm(connection);
    this.connections.delete(connection);
    this.queue = this.queue.filter((unit) => unit.connection !== connection);
    // Queued rather than done now: a unit of this connection may be running at this moment.
    this.enqueue({ kind: 'close', connection });
  }

  private enqueue(unit: Unit): void {
    if (this.stopped) return;
    this.queue.push(unit);
    if (this.draining) return;
    // Cleared inside drain() the moment its loop ends, not a microtask later, so a unit
    // queued in between cannot be left waiting with nothing draining.
    this.draining = true;
    this.running = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const owner = this.owner;
        const index = owner ? this.queue.findIndex((unit) => unit.connection === owner) : this.queue.length > 0 ? 0 : -1;
        // With an owner and nothing of its queued, the others wait for its next unit.
        if (index < 0) return;
        const [unit] = this.queue.splice(index, 1);
        try {
          await this.run(unit);
        } catch (error) {
          // PGlite itself failed (SQL errors are answered in the protocol): this connection's
          // state is unknown, so drop it rather than answer it wrongly. If it owns the
          // session, it keeps it until its own clean-up runs on 'close'.
          console.error('embedded PostgreSQL: dropping a connection after a PGlite failure', error);
          if (unit.kind !== 'close') unit.connection.socket.destroy();
          else if (this.owner === unit.connection) this.owner = null;
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async run(unit: Unit): Promise<void> {
    const { connection } = unit;
    if (unit.kind === 'close') return this.cleanUp(connection);
    const output = await this.exec(unit.bytes);
    if (unit.kind === 'messages') {
      connection.midSequence = unit.endsWithFlush;
      this.owner = connection.midSequence || this.db.isInTransaction() ? connection : null;
      if (this.owner === connection) {
        connection.ownedSince ??= Date.now();
        if (!connection.closed) this.armOwnerTimer(connection);
      } else {
        connection.ownedSince = null;
      }
    }
    const { own, notifications } = splitNotifications(output);
    if (unit.kind === 'messages' && unit.listenChanges.length > 0 && !containsError(own)) applyListenChanges(connection.listening, unit.listenChanges);
    const reply: Buffer[] = [];
    for (const { channel, message } of notifications) {
      for (const listener of this.connections) {
        if (!listener.listening.has(channel)) continue;
        if (listener === connection) reply.push(message);
        else write(listener, message);
      }
    }
    // A notification the connection listens for goes before its own answer, as PostgreSQL sends it.
    write(connection, Buffer.concat([...reply, own]));
  }

  /** Leaves the session as if the connection's own backend had exited. */
  private async cleanUp(connection: Connection): Promise<void> {
    if (this.owner === connection) {
      if (connection.midSequence) await this.exec(SYNC_MESSAGE);
      if (this.db.isInTransaction()) await this.exec(queryMessage('ROLLBACK'));
      this.owner = null;
    }
    const stillListened = new Set([...this.connections].flatMap((other) => [...other.listening]));
    for (const channel of connection.listening) {
      if (!stillListened.has(channel)) await this.exec(queryMessage(`UNLISTEN ${quoteIdent(channel)}`));
    }
  }

  private async exec(bytes: Buffer): Promise<Buffer> {
    const chunks: Buffer[] = [];
    // Buffer.from copies: PGlite hands out views of its own memory that it reuses.
    await this.db.runExclusive(() => this.db.execProtocolRawStream(bytes, { onRawData: (chunk) => chunks.push(Buffer.from(chunk)) }));
    return Buffer.concat(chunks);
  }
}

function write(connection: Connection, bytes: Buffer): void {
  if (bytes.length > 0 && !connection.closed && connection.socket.writable) connection.socket.write(bytes);
}

/** The backend messages of `output` with NotificationResponses taken out, and those on their own. */
function splitNotifications(output: Buffer): { own: Buffer; notifications: { channel: string; message: Buffer }[] } {
  const notifications: { channel: string; message: Buffer }[] = [];
  const kept: Buffer[] = [];
  let offset = 0;
  while (offset + 5 <= output.length) {
    const end = offset + 1 + output.readInt32BE(offset + 1);
    const message = output.subarray(offset, end);
    if (message[0] === NOTIFICATION) {
      // Int32 sender pid, then the channel as a C string, then the payload.
      const channelEnd = message.indexOf(0, 9);
      notifications.push({ channel: message.toString('utf8', 9, channelEnd), message });
    } else {
      kept.push(message);
    }
    offset = end;
  }
  return { own: notifications.length > 0 ? Buffer.concat(kept) : output, notifications };
}

function containsError(output: Buffer): boolean {
  for (let offset = 0; offset + 5 <= output.length; offset += 1 + output.readInt32BE(offset + 1)) {
    if (output[offset] === ERROR) return true;
  }
  return false;
}

const LISTEN_STATEMENT = /^\s*(LISTEN|UNLISTEN)\s+("(?:[^"]|"")+"|[^\s;"]+)\s*;?\s*$/i;

/**
 * LISTEN and UNLISTEN sent as a statement of their own (simple query or Parse), which is how
 * drivers send them. Several statements in one query string are not looked into.
 */
function listenChangesOf(message: Buffer): ListenChange[] {
  let sql: string;
  if (message[0] === QUERY) {
    sql = message.toString('utf8', 5, message.indexOf(0, 5));
  } else if (message[0] === PARSE) {
    const queryStart = message.indexOf(0, 5) + 1; // after the statement name
    sql = message.toString('utf8', queryStart, message.indexOf(0, queryStart));
  } else {
    return [];
  }
  const match = LISTEN_STATEMENT.exec(sql);
  if (!match) return [];
  const [, verb, name] = match;
  if (verb.toUpperCase() === 'UNLISTEN') return name === '*' ? [{ unlistenAll: true }] : [{ unlisten: channelName(name) }];
  return [{ listen: channelName(name) }];
}

/** As PostgreSQL names an identifier: quoted as written, otherwise folded to lower case. */
function channelName(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

function applyListenChanges(listening: Set<string>, changes: ListenChange[]): void {
  for (const change of changes) {
    if ('listen' in change) listening.add(change.listen);
    else if ('unlisten' in change) listening.delete(change.unlisten);
    else listening.clear();
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function queryMessage(sql: string): Buffer {
  const text = Buffer.from(`${sql}\0`, 'utf8');
  const header = Buffer.alloc(5);
  header[0] = QUERY;
  header.writeInt32BE(4 + text.length, 1);
  return Buffer.concat([header, text]);
}

/** A FATAL ErrorResponse, for refusing a connection in a way drivers report clearly. */
function errorResponse(sqlState: string, text: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${sqlState}\0M${text}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header[0] = ERROR;
  header.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([header, fields]);
}
