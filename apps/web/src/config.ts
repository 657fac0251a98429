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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const statusApiUrl = absoluteUrl(env, 'STATUS_API_URL') ?? 'http://127.0.0.1:3002';
  const timeZone = env['TIME_ZONE'] ?? 'America/New_York';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new Error(`TIME_ZONE is not a time zone: "${timeZone}" (for example America/New_York)`);
  }
  return {
    statusApiUrl,
    publicStatusApiUrl: absoluteUrl(env, 'STATUS_API_PUBLIC_URL'),
    port: port(env, 'PORT', 3003),
    host: env['HOST'] ?? '127.0.0.1',
    timeZone,
    trustProxy: parseTrustProxy(env['TRUST_PROXY']),
    forwardingKey: parseForwardingKey(env['FORWARDING_KEY']),
    assetsCacheDir: env['WEB_ASSETS_DIR'] || undefined,
  };
}

function absoluteUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new Error(`${name} must be an http(s) URL such as http://127.0.0.1:3002, not "${value}"`);
  return value;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number from 0 to 65535, not "${text}"`);
  return value;
}
