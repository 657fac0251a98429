import { createServer, type Server } from 'node:http';
import type { NotificationSafeguards } from './notification-settings';
import { Notifier, type NotifierOptions } from './notifier';
import type { SubscriptionServiceOptions } from './subscription.service';

/** The safeguards a service read (or was given), as the notifier and the subscription service take them. */
export function safeguardOptions(
  safeguards: Partial<Omit<NotificationSafeguards, 'developmentKey'>>,
): Pick<SubscriptionServiceOptions, 'webhookUrlPolicy' | 'keys' | 'confirmationLimits' | 'maxWebhooksPerOwner'> {
  const insecure = safeguards.allowInsecureWebhooks ?? false;
  return {
    webhookUrlPolicy: { allowHttp: insecure, allowPrivateHosts: insecure },
    keys: safeguards.keys,
    confirmationLimits: safeguards.confirmationLimits,
    maxWebhooksPerOwner: safeguards.maxWebhooksPerOwner,
  };
}

export interface NotifierWiring extends Omit<NotifierOptions, 'publicBaseUrl' | 'webhookUrlPolicy' | 'keys' | 'confirmationLimits' | 'maxWebhooksPerOwner'> {
  safeguards: Partial<Omit<NotificationSafeguards, 'developmentKey'>>;
  /** The base of the links in emails; a function is asked at each email, with where the links are served. */
  publicBaseUrl: string | ((linksUrl: string) => string);
  /** Where the confirm and unsubscribe links of emails are served (0: any free port). */
  links: { port: number; host: string };
}

export interface RunningNotifier {
  notifier: Notifier;
  /** Where the links server listens. */
  linksUrl: string;
  /** Stops the links server, then the notifier; the pool and the email sender stay their owner's. */
  stop(): Promise<void>;
}

/**
 * The notifier as every service that runs it starts it (its own app and the one-process
 * platform): the links server listening first, so emails can point at it, then the notifier
 * consuming status changes and delivering.
 */
export async function startNotifier(options: NotifierWiring): Promise<RunningNotifier> {
  const { safeguards, links: where, publicBaseUrl, ...rest } = options;
  const links = createServer();
  await new Promise<void>((resolve, reject) => {
    links.once('error', reject);
    links.listen(where.port, where.host, () => {
      links.off('error', reject);
      resolve();
    });
  });
  const linksUrl = urlOf(links, where.host);
  try {
    const notifier = new Notifier({
      ...rest,
      ...safeguardOptions(safeguards),
      publicBaseUrl: typeof publicBaseUrl === 'function' ? () => publicBaseUrl(linksUrl) : publicBaseUrl,
    });
    links.on('request', notifier.linksHandler);
    await notifier.start();
    return {
      notifier,
      linksUrl,
      stop: async () => {
        await closeServer(links);
        await notifier.stop();
      },
    };
  } catch (error) {
    await closeServer(links);
    throw error;
  }
}

function urlOf(server: Server, host: string): string {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`unexpected server address ${String(address)}`);
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
