import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { NotificationError } from './errors';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

/**
 * The three Standard Webhooks headers for one request. `id` is the same on every retry of a
 * delivery, so a receiver can drop duplicates; the signature covers `id.timestamp.body`.
 */
export function signWebhook(secret: string, id: string, timestamp: Date, body: string): WebhookHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': Math.floor(timestamp.getTime() / 1000).toString(),
    'webhook-signature': new Webhook(secret).sign(id, timestamp, body),
  };
}

export interface WebhookUrlPolicy {
  /** Allow http:// (local development and tests); production endpoints must use https. */
  allowHttp: boolean;
  /** Allow loopback, private and link-local IP literals and `localhost` (tests only). */
  allowPrivateHosts: boolean;
}

export const PRODUCTION_WEBHOOK_URL_POLICY: WebhookUrlPolicy = { allowHttp: false, allowPrivateHosts: false };

/**
 * Checks an endpoint URL before it is stored. Refusing private hosts here stops the simplest
 * server-side request forgery (registering http://169.254.169.254/...); a host name that
 * resolves to a private address is not caught here and needs an egress proxy or firewall.
 */
export function validateWebhookUrl(input: unknown, policy: WebhookUrlPolicy): string {
  if (typeof input !== 'string' || input.trim().length === 0) throw invalidUrl('the URL is empty');
  if (input.length > 2048) throw invalidUrl('the URL is longer than 2048 characters');
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw invalidUrl('it is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:')) {
    throw invalidUrl(`the scheme must be https${policy.allowHttp ? ' or http' : ''}, not ${url.protocol.replace(/:$/, '')}`);
  }
  if (url.username || url.password) throw invalidUrl('it must not contain a user name or password; authenticate requests with the signature');
  if (url.hash) throw invalidUrl('it must not contain a #fragment');
  if (!policy.allowPrivateHosts && isPrivateHost(url.hostname)) {
    throw invalidUrl(`the host ${url.hostname} is a local or private address`);
  }
  return url.toString();
}

function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return true;
  const version = isIP(host);
  if (version === 4) {
    const [a, b] = host.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127);
  }
  if (version === 6) {
    return host === '::' || host === '::1' || host.startsWith('fc') || host.startsWith('fd') || host.startsWith('fe80') || host.startsWith('::ffff:');
  }
  return false;
}

function invalidUrl(reason: string): NotificationError {
  return new NotificationError('INVALID_WEBHOOK_URL', `Invalid webhook URL: ${reason}.`);
}
