import { isIP } from 'node:net';

/** The site's settings from the environment; documented in docs/web.md. */
export interface WebConfig {
  statusApiUrl: string;
  publicStatusApiUrl: string | undefined;
  port: number;
  host: string;
  timeZone: string;
  /** The proxies in front whose X-Forwarded-For is believed: how many, or their addresses/CIDRs; false for none. */
  trustProxy: false | number | string[];
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
    trustProxy: trustProxy(env),
    forwardingKey: forwardingKey(env),
    assetsCacheDir: env['WEB_ASSETS_DIR'] || undefined,
  };
}

/**
 * TRUST_PROXY: the number of proxies in front, or their addresses/CIDRs. `true` is refused:
 * it believes any visitor's X-Forwarded-For, and the site passes that address on to the
 * status API's rate limits, so anyone could escape them.
 */
function trustProxy(env: NodeJS.ProcessEnv): false | number | string[] {
  const text = (env['TRUST_PROXY'] ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') {
    throw new Error('TRUST_PROXY=true would believe any visitor\'s X-Forwarded-For (anyone could escape the rate limits); give the number of proxies in front, e.g. 1, or their addresses, e.g. 10.0.0.5,10.1.0.0/16');
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new Error(`TRUST_PROXY must be a number of proxies from 0 to 10, not "${text}"`);
    return hops;
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const wrong = entries.find((entry) => !isProxyAddress(entry));
  if (wrong !== undefined) throw new Error(`TRUST_PROXY must be a number of proxies or a comma-separated list of addresses or CIDRs, not "${wrong}"`);
  return entries;
}

function isProxyAddress(entry: string): boolean {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) return true;
  const [address = '', bits, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

function forwardingKey(env: NodeJS.ProcessEnv): string | undefined {
  const key = env['FORWARDING_KEY'];
  if (key === undefined || key === '') return undefined;
  // The key itself is never repeated in a message.
  if (key.length < 32) throw new Error(`FORWARDING_KEY must be at least 32 characters long (it has ${key.length}); e.g. openssl rand -base64 32`);
  return key;
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
