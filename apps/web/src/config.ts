import { parsed, port, readConfig, text, url } from '@case-status/config';
import { parseForwardingKey, parseTrustProxy, type TrustedProxies } from '@case-status/http-support';

/** The site's settings from the environment; documented in docs/web.md. */
export interface WebConfig {
  statusApiUrl: string;
  publicStatusApiUrl: string | undefined;
  port: number;
  host: string;
  timeZone: string;
  /** The proxies in front whose X-Forwarded-For is believed: how many, or their addresses/CIDRs; false for none. */
  trustProxy: TrustedProxies;
  /** Sent to the status API beside each visitor's address (its FORWARDING_KEY). */
  forwardingKey: string | undefined;
  assetsCacheDir: string | undefined;
}

const httpUrl = <F extends string | undefined>(fallback?: F) => url({ protocols: ['http', 'https'], example: 'http://127.0.0.1:3002', fallback });

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const settings = readConfig(
    {
      STATUS_API_URL: httpUrl('http://127.0.0.1:3002'),
      STATUS_API_PUBLIC_URL: httpUrl(),
      PORT: port(3003),
      HOST: text('127.0.0.1'),
      TIME_ZONE: parsed((timeZone = 'America/New_York') => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone });
        } catch {
          throw new Error(`TIME_ZONE is not a time zone: "${timeZone}" (for example America/New_York)`);
        }
        return timeZone;
      }),
      TRUST_PROXY: parsed(parseTrustProxy),
      FORWARDING_KEY: parsed(parseForwardingKey),
      WEB_ASSETS_DIR: text(),
    },
    env,
  );
  return {
    statusApiUrl: settings.STATUS_API_URL,
    publicStatusApiUrl: settings.STATUS_API_PUBLIC_URL,
    port: settings.PORT,
    host: settings.HOST,
    timeZone: settings.TIME_ZONE,
    trustProxy: settings.TRUST_PROXY,
    forwardingKey: settings.FORWARDING_KEY,
    assetsCacheDir: settings.WEB_ASSETS_DIR,
  };
}
