import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import WebSocket from 'ws';
import { FORWARDING_KEY_HEADER } from '@case-status/http-support';
import { InMemoryCaseStatusChangeFeed, InMemoryReadModels, agencyKeys, caseView, signingKey } from '../../testing';
import { createStatusApp } from '../status.app';

const SUBSCRIBE = 'subscription ($r: String!) { caseStatusChanged(receiptNumber: $r) { statusCode } }';
const KEY = 'forwarding-key-of-the-website-0123456789';

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/** A raw graphql-transport-ws connection, to send what a well-behaved client would not. */
class RawConnection {
  readonly messages: Message[] = [];
  private waiters: (() => void)[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<RawConnection> {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    const connection = new RawConnection(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(connection));
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
      socket.once('error', reject);
    });
  }

  send(message: Message | string): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async next(matches: (message: Message) => boolean): Promise<Message> {
    for (;;) {
      const found = this.messages.find(matches);
      if (found) return found;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  async init(): Promise<void> {
    this.send({ type: 'connection_init' });
    await this.next((m) => m.type === 'connection_ack');
  }

  close(): void {
    this.socket.close();
  }
}

describe('attacks on live updates over WebSocket (real sockets)', () => {
  const readModels = new InMemoryReadModels();
  const feed = new InMemoryCaseStatusChangeFeed();
  let app: NestFastifyApplication;
  let url: string;
  const open: RawConnection[] = [];

  /** Opens a connection; the server may not yet have seen the previous test's connections close, so a 429 is tried again. */
  const connect = async (headers: Record<string, string> = {}) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const connection = await RawConnection.open(url, headers);
        open.push(connection);
        return connection;
      } catch (error) {
        if (attempt === 50 || !String(error).includes('429')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };

  beforeAll(async () => {
    readModels.put(caseView({ receiptNumber: 'IOE0912345678' }));
    app = await createStatusApp({
      queries: readModels,
      changeFeed: feed,
      caseworkerKeys: agencyKeys({ VBA: await signingKey('vba-1') }),
      forwardingKey: KEY,
      websocket: { maxConnectionsPerClient: 2, maxSubscriptionsPerConnection: 2, connectionInitTimeoutMs: 300, maxMessageBytes: 1024 },
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    url = `ws://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}/graphql`;
  });

  afterEach(async () => {
    for (const connection of open.splice(0)) {
      connection.close();
      await connection.closed;
    }
  });

  afterAll(async () => {
    await app?.close();
  });

  it('refuses a client’s connection beyond the limit with 429, keeps other clients’ apart, and frees the slot on close', async () => {
    const first = await connect();
    await connect();
    await expect(RawConnection.open(url)).rejects.toThrow('upgrade refused: 429');
    // Another visitor, named by the website with its key, has connections of its own.
    await connect({ 'x-forwarded-for': '203.0.113.7', [FORWARDING_KEY_HEADER]: KEY });
    // A made-up address without the key is the sender's own, already at its limit.
    await expect(RawConnection.open(url, { 'x-forwarded-for': '203.0.113.8' })).rejects.toThrow('upgrade refused: 429');

    first.close();
    await first.closed;
    // The server sees the close a moment after the client does; `connect` tries again until then.
    expect((await connect()).socket.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses a subscription beyond the limit on one connection with TOO_MANY_SUBSCRIPTIONS, and takes one again after a complete', async () => {
    const connection = await connect();
    await connection.init();
    for (const id of ['1', '2', '3']) connection.send({ type: 'subscribe', id, payload: { query: SUBSCRIBE, variables: { r: 'IOE0912345678' } } });
    const refused = await connection.next((m) => m.id === '3');
    expect(refused).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', maxSubscriptions: 2 } }] });

    connection.send({ type: 'complete', id: '1' });
    // The server releases the slot when it handles the complete; retry until it has.
    let id = 4;
    for (;;) {
      connection.send({ type: 'subscribe', id: String(id), payload: { query: SUBSCRIBE, variables: { r: 'IOE0912345678' } } });
      const refusedAgain = await Promise.race([connection.next((m) => m.id === String(id)), new Promise<undefined>((resolve) => setTimeout(resolve, 100))]);
      if (!refusedAgain) break;
      id++;
    }
    readModels.put(caseView({ receiptNumber: 'IOE0912345678', statusCode: 'CASE_IN_REVIEW', revision: '1' }));
    feed.emit({ agency: 'USCIS', receiptNumber: 'IOE0912345678', revision: '1' });
    expect(await connection.next((m) => m.id === String(id) && m.type === 'next')).toMatchObject({ payload: { data: { caseStatusChanged: { statusCode: 'CASE_IN_REVIEW' } } } });
  });

  it('closes a connection that does not send connection_init in time with 4408, and keeps one that does', async () => {
    const silent = await connect();
    const initialised = await connect({ 'x-forwarded-for': '203.0.113.9', [FORWARDING_KEY_HEADER]: KEY });
    await initialised.init();
    expect(await silent.closed).toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
    // Past the time the initialised connection would have been closed at, had its timer run on.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(initialised.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a connection that sends a message larger than the limit with 1009', async () => {
    const connection = await connect();
    await connection.init();
    connection.send({ type: 'subscribe', id: '1', payload: { query: `${SUBSCRIBE} ${'#'.repeat(2048)}`, variables: { r: 'IOE0912345678' } } });
    expect((await connection.closed).code).toBe(1009);
  });
});
