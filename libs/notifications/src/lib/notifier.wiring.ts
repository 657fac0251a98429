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

/** The server of the confirm and unsubscribe links in emails. */
export interface LinksServer {
  url: string;
  close(): Promise<void>;
}

export interface NotifierWiring extends Omit<NotifierOptions, 'publicBaseUrl' | 'webhookUrlPolicy' | 'keys' | 'confirmationLimits' | 'maxWebhooksPerOwner'> {
  safeguards: Partial<Omit<NotificationSafeguards, 'developmentKey'>>;
  /** The base of the links in emails; a function is asked at each email, with where the links are served. */
  publicBaseUrl: string | ((linksUrl: string) => string);
  /**
   * Starts the server of the confirm and unsubscribe links (the website's pages, in the
   * services that run one) over the notifier's subscriptions.
   */
  links: (notifier: Notifier) => Promise<LinksServer>;
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
  const { safeguards, links: startLinks, publicBaseUrl, ...rest } = options;
  let linksUrl: string | null = null;
  const notifier = new Notifier({
    ...rest,
    ...safeguardOptions(safeguards),
    publicBaseUrl: typeof publicBaseUrl === 'function' ? () => publicBaseUrl(linksUrl ?? '') : publicBaseUrl,
  });
  const links = await startLinks(notifier);
  linksUrl = links.url;
  try {
    await notifier.start();
  } catch (error) {
    await links.close();
    throw error;
  }
  return {
    notifier,
    linksUrl: links.url,
    stop: async () => {
      await links.close();
      await notifier.stop();
    },
  };
}
