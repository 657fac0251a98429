import { NotificationError, type SubscriptionService } from '@case-status/notifications';
import { buildAssets, type SiteAssets } from './assets/build-assets';
import { registerNotificationLinkRoutes, type NotificationLinkDeps } from './routes/notifications.routes';
import { createSite, listenSite, type SiteServer } from './site';
import { StatusApiProblem } from './api/status-api.client';

export interface NotificationLinksServerOptions {
  /** Confirms and ends the subscriptions the links name. */
  subscriptions: Pick<SubscriptionService, 'confirm' | 'unsubscribe'>;
  /** 0 picks a free port. */
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where built CSS and JavaScript are kept between starts; default `dist/web-assets`. */
  assetsCacheDir?: string;
  /** Already built assets. */
  assets?: SiteAssets;
}

/** The subscriptions' refusals as the pages read them: by the same codes the status API gives them. */
async function refusedByCode<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw error instanceof NotificationError ? new StatusApiProblem(error.code, error.message) : error;
  }
}

/**
 * Only the website's confirm and unsubscribe pages (English and Spanish), answered straight
 * from the subscriptions: for the notifier and a platform without the website, whose emails
 * link here instead of to the website. Every answer is `no-store`: the URLs carry tokens.
 */
export async function startNotificationLinksServer(options: NotificationLinksServerOptions): Promise<SiteServer> {
  const assets = options.assets ?? (await buildAssets({ cacheDir: options.assetsCacheDir }));
  const { app, context, localized } = await createSite({ assets, timeZone: 'America/New_York' });
  const { subscriptions } = options;
  const deps: NotificationLinkDeps = {
    links: {
      confirmSubscription: (token) => refusedByCode(() => subscriptions.confirm(token)),
      unsubscribe: (token) => refusedByCode(() => subscriptions.unsubscribe(token)),
    },
    context,
  };
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store');
    return payload;
  });
  await localized((site) => registerNotificationLinkRoutes(site, deps));
  registerNotificationLinkRoutes(app, deps, { unprefixed: true });
  return listenSite(app, options.port, options.host ?? '127.0.0.1');
}
