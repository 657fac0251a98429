import type { FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import { StatusApiError } from '../shared/status-errors';

export interface WebSocketLimitOptions {
  /** Open WebSocket connections per client address; another upgrade is answered 429. */
  maxConnectionsPerClient: number;
  /** Subscriptions running at once on one connection; another is refused TOO_MANY_SUBSCRIPTIONS. */
  maxSubscriptionsPerConnection: number;
  /** A connection that has not sent `connection_init` by then is closed with 4408 (graphql-ws). */
  connectionInitTimeoutMs: number;
  /** Bytes of one WebSocket message; a longer one closes the connection with 1009. */
  maxMessageBytes: number;
}

export const DEFAULT_WEBSOCKET_LIMITS: WebSocketLimitOptions = {
  maxConnectionsPerClient: 10,
  maxSubscriptionsPerConnection: 20,
  connectionInitTimeoutMs: 10_000,
  maxMessageBytes: 16 * 1024,
};

export const WEBSOCKET_LIMITS = Symbol('WEBSOCKET_LIMITS');

/** graphql-ws's close code for a connection that did not initialise in time. */
const CONNECTION_INIT_TIMEOUT_CLOSE_CODE = 4408;

/**
 * Bounds what live updates can cost: connections per client, subscriptions per connection,
 * how long a connection may stay without `connection_init` and how large a message may be
 * (Mercurius would read up to 1 MB, and parses a subscription's document without a token limit).
 */
export class WebSocketLimits {
  private readonly open = new Map<string, number>();
  private readonly subscriptions = new WeakMap<object, number>();
  private readonly waiting = new Map<IncomingMessage, NodeJS.Timeout>();
  private readonly servers = new WeakSet<WebSocketServer>();

  constructor(
    private readonly options: WebSocketLimitOptions,
    private readonly clientOf: (request: FastifyRequest) => string,
  ) {}

  /** Route hook of the GraphQL GET route, which also takes the WebSocket upgrades. */
  readonly upgradeHook = async (request: FastifyRequest): Promise<void> => {
    if (!(request as FastifyRequest & { ws?: boolean }).ws) return;
    // The WebSocket server lives in the route's own context, made by Mercurius.
    const server = (request.server as unknown as { websocketServer?: WebSocketServer }).websocketServer;
    if (server && !this.servers.has(server)) this.configure(server);
    const client = this.clientOf(request);
    const open = this.open.get(client) ?? 0;
    if (open >= this.options.maxConnectionsPerClient) {
      throw new StatusApiError(
        'RATE_LIMITED',
        `Too many live-update connections from this client: at most ${this.options.maxConnectionsPerClient} at once. Close one first.`,
        { maxConnections: this.options.maxConnectionsPerClient },
        429,
      );
    }
    this.open.set(client, open + 1);
    request.raw.socket.once('close', () => {
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
    });
  };

  /** Mercurius' subscription `context` function: it runs when `connection_init` arrives. */
  readonly connectionInitialised = (_socket: WebSocket, request: FastifyRequest): Record<string, never> => {
    const timer = this.waiting.get(request.raw);
    if (timer) clearTimeout(timer);
    this.waiting.delete(request.raw);
    return {};
  };

  /**
   * Takes one of the connection's subscription slots, or refuses with TOO_MANY_SUBSCRIPTIONS.
   * The returned function gives it back (once, however often it is called).
   */
  reserveSubscription(request: FastifyRequest | undefined): () => void {
    if (!request) return () => undefined;
    const running = this.subscriptions.get(request) ?? 0;
    if (running >= this.options.maxSubscriptionsPerConnection) {
      throw new StatusApiError(
        'TOO_MANY_SUBSCRIPTIONS',
        `This connection already runs ${running} subscriptions, the limit. Stop one first, or watch fewer cases.`,
        { maxSubscriptions: this.options.maxSubscriptionsPerConnection },
        400,
      );
    }
    this.subscriptions.set(request, running + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.subscriptions.set(request, (this.subscriptions.get(request) ?? 1) - 1);
    };
  }

  private configure(server: WebSocketServer): void {
    this.servers.add(server);
    // ws reads the option at each upgrade, so connections from now on get the smaller limit.
    (server.options as { maxPayload?: number }).maxPayload = this.options.maxMessageBytes;
    server.on('connection', (socket: WebSocket, request: IncomingMessage) => {
      const timer = setTimeout(() => {
        this.waiting.delete(request);
        socket.close(CONNECTION_INIT_TIMEOUT_CLOSE_CODE, 'Connection initialisation timeout');
      }, this.options.connectionInitTimeoutMs);
      timer.unref();
      this.waiting.set(request, timer);
      socket.once('close', () => {
        clearTimeout(timer);
        this.waiting.delete(request);
      });
    });
  }
}
