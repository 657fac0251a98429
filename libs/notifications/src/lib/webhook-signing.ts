import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { NotificationError } from './errors';
import { forbiddenAddressReason } from './webhook-target';

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
  /** Allow hosts that are or resolve to loopback, private or link-local addresses (development and tests only). */
  allowPrivateHosts: boolean;
}

export const PRODUCTION_WEBHOOK_URL_POLICY: WebhookUrlPolicy = { allowHttp: false, allowPrivateHosts: false };

/**
 * Checks the form of an endpoint URL, and refuses local names and non-public IP literals
 * (http://169.254.169.254/...) before any lookup. Where a host name resolves to is checked by
 * resolveWebhookTarget, at registration and again at every send.
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
  // A trailing dot names the same host ("localhost." is localhost).
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal') || host.endsWith('.local')) return true;
  return isIP(host) !== 0 && forbiddenAddressReason(host) !== null;
}

function invalidUrl(reason: string): NotificationError {
  return new NotificationError('INVALID_WEBHOOK_URL', `Invalid webhook URL: ${reason}.`);
}
