import { signWebhook } from './webhook-signing';

export interface OutgoingWebhook {
  url: string;
  secret: string;
  /** webhook-id: the same on every retry of one delivery. */
  id: string;
  body: string;
  timestamp: Date;
}

/** The webhook channel's port: resolves on a 2xx answer, throws with the reason otherwise. */
export interface WebhookSender {
  send(webhook: OutgoingWebhook): Promise<void>;
}

export class HttpWebhookSender implements WebhookSender {
  constructor(private readonly options: { timeoutMs: number; userAgent?: string }) {}

  async send(webhook: OutgoingWebhook): Promise<void> {
    let response: Response;
    try {
      response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': this.options.userAgent ?? 'case-status-notifier/1',
          ...signWebhook(webhook.secret, webhook.id, webhook.timestamp, webhook.body),
        },
        body: webhook.body,
        // A redirect could point the signed request anywhere; the endpoint must answer itself.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const err = error as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') throw new Error(`no answer within ${this.options.timeoutMs} ms`);
      throw new Error(`request failed: ${err.cause?.code ?? err.message}`);
    }
    // The body is read (and capped) only to free the connection and to explain a failure.
    const text = (await response.text().catch(() => '')).slice(0, 200);
    if (response.status < 200 || response.status > 299) {
      throw new Error(`HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`);
    }
  }
}
