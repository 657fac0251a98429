import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { Conditions } from './conditions';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What standardwebhooks' verify returned, or why it refused (for the endpoint's secret). */
  verified: { ok: true; payload: unknown } | { ok: false; error: string };
  /** The status this receiver answered. */
  answered: number;
}

type Behaviour = (request: { path: string; count: number }) => number | 'hang';

/**
 * A real HTTP server standing in for subscribers' endpoints. Each path is an endpoint with its
 * own secret and behaviour (status to answer, or hang); every request is verified with the
 * standardwebhooks package and kept.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly endpoints = new Map<string, { secret: string; behaviour: Behaviour }>();
  private server: Server | undefined;
  private readonly conditions = new Conditions();
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = req.url ?? '/';
        const body = Buffer.concat(chunks).toString('utf8');
        const endpoint = this.endpoints.get(path);
        const count = this.received.filter((r) => r.path === path).length + 1;
        const outcome = endpoint ? endpoint.behaviour({ path, count }) : 404;
        let verified: ReceivedWebhook['verified'] = { ok: false, error: 'unknown endpoint' };
        if (endpoint) {
          try {
            verified = { ok: true, payload: new Webhook(endpoint.secret).verify(body, req.headers as Record<string, string>) };
          } catch (error) {
            verified = { ok: false, error: (error as Error).message };
          }
        }
        this.received.push({ path, headers: req.headers, body, verified, answered: outcome === 'hang' ? 0 : outcome });
        this.conditions.check();
        if (outcome === 'hang') return; // the client's timeout ends it
        res.writeHead(outcome, { 'content-type': 'text/plain' }).end(outcome < 300 ? 'ok' : 'endpoint failure');
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Registers the endpoint's secret (once known) and how it answers; returns its URL. */
  endpoint(path: string, behaviour: Behaviour = () => 204): string {
    this.endpoints.set(path, { secret: '', behaviour });
    return `http://127.0.0.1:${this.port}${path}`;
  }

  setSecret(path: string, secret: string): void {
    const endpoint = this.endpoints.get(path);
    if (!endpoint) throw new Error(`no endpoint ${path}`);
    endpoint.secret = secret;
  }

  at(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  until(predicate: () => boolean): Promise<void> {
    return this.conditions.until(predicate);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
