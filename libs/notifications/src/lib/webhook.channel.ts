import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { traceContextOf } from '@case-status/logging';
import { signWebhook, PRODUCTION_WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from './webhook-signing';
import { resolveWebhookTarget, systemResolver, WebhookTargetRefused, type HostResolver, type WebhookTarget } from './webhook-target';

export interface OutgoingWebhook {
  url: string;
  secret: string;
  /** webhook-id: the same on every retry of one delivery. */
  id: string;
  body: string;
  timestamp: Date;
}

/**
 * The webhook channel's port: resolves on a 2xx answer, throws with the reason otherwise. An
 * error with `permanent: true` (WebhookTargetRefused) is not retried.
 */
export interface WebhookSender {
  send(webhook: OutgoingWebhook): Promise<void>;
}

export interface HttpWebhookSenderOptions {
  timeoutMs: number;
  userAgent?: string;
  /** Default: https only, no private hosts. */
  policy?: WebhookUrlPolicy;
  /** Default: the system resolver (`dns.lookup`). */
  resolve?: HostResolver;
}

/**
 * Posts each webhook to an address resolved and checked for this very request: the host is
 * looked up, every address checked, and the connection made to the checked address (the
 * socket's lookup is pinned to it), so a name that changes its answer between check and
 * connect (DNS rebinding) cannot reach an internal address. TLS still verifies the host name,
 * and Host and SNI carry it.
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly policy: WebhookUrlPolicy;
  private readonly resolve: HostResolver;

  constructor(private readonly options: HttpWebhookSenderOptions) {
    this.policy = options.policy ?? PRODUCTION_WEBHOOK_URL_POLICY;
    this.resolve = options.resolve ?? systemResolver;
  }

  async send(webhook: OutgoingWebhook): Promise<void> {
    const target = await resolveWebhookTarget(webhook.url, this.policy, this.resolve);
    if (target.url.protocol !== 'https:' && !(this.policy.allowHttp && target.url.protocol === 'http:')) {
      throw new WebhookTargetRefused(`the scheme ${target.url.protocol.replace(/:$/, '')} is not allowed`);
    }
    const trace = traceContextOf();
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(webhook.body)),
      'user-agent': this.options.userAgent ?? 'case-status-notifier/1',
      ...signWebhook(webhook.secret, webhook.id, webhook.timestamp, webhook.body),
      // The delivery span's W3C trace context, when the platform traces: the receiver may continue it.
      ...(trace ? { traceparent: trace.traceparent } : {}),
    };
    const { status, text } = await this.post(target, headers, webhook.body);
    if (status < 200 || status > 299) {
      throw new Error(`HTTP ${status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`);
    }
  }

  private post(target: WebhookTarget, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      // Redirects are not followed (node's request never does): the endpoint must answer itself.
      const req = send(target.url, { method: 'POST', headers, lookup: pinned, timeout: this.options.timeoutMs, signal: AbortSignal.timeout(this.options.timeoutMs) }, (res: IncomingMessage) => {
        // The body is read (and capped) only to free the connection and to explain a failure.
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < 200) text += chunk;
          else res.destroy();
        });
        const done = () => resolve({ status: res.statusCode ?? 0, text: text.slice(0, 200) });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${this.options.timeoutMs} ms`), { name: 'TimeoutError' })));
      req.on('error', (error: Error & { code?: string }) => {
        if (error.name === 'TimeoutError' || error.name === 'AbortError') reject(new Error(`no answer within ${this.options.timeoutMs} ms`));
        else reject(new Error(`request failed: ${error.code ?? error.message}`));
      });
      req.end(body);
    });
  }
}
