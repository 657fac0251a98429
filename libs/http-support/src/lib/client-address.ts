import { isIP } from 'node:net';

/** Whom a service believes about a client's address: no proxy, a number of proxies in front, or their addresses/CIDRs. */
export type TrustedProxies = false | number | string[];

/**
 * The header a trusted front end (the website) sends beside `X-Forwarded-For`: with the right
 * key, the status API takes the address it forwards as the client's.
 */
export const FORWARDING_KEY_HEADER = 'x-forwarding-key';

/** Shorter keys could be guessed; `openssl rand -base64 32` gives 44 characters. */
export const MIN_FORWARDING_KEY_LENGTH = 32;

/** Names Fastify's `trustProxy` understands besides addresses and CIDRs. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * Reads `TRUST_PROXY`: empty (no proxy), the number of proxies in front (0–10), or a
 * comma-separated list of their addresses and CIDRs. `true` is refused: it would believe any
 * client's X-Forwarded-For, so anyone could pick a new address per request and every
 * per-client limit would count nothing.
 */
export function parseTrustProxy(text: string | undefined, name = 'TRUST_PROXY'): TrustedProxies {
  const value = (text ?? '').trim();
  if (value === '' || value === 'false' || value === '0') return false;
  if (value === 'true') {
    throw new Error(
      `${name}=true would believe any client's X-Forwarded-For (anyone could escape the rate limits); give the number of proxies in front, e.g. 1, or their addresses, e.g. 10.0.0.5,10.1.0.0/16`,
    );
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 10) throw new Error(`${name} must be a number of proxies from 0 to 10, not "${value}"`);
    return hops;
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const wrong = entries.find((entry) => !isProxyAddress(entry));
  if (wrong !== undefined) throw new Error(`${name} must be a number of proxies or a comma-separated list of addresses or CIDRs, not "${wrong}"`);
  return entries;
}

function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.includes(entry)) return true;
  const [address = '', bits, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128));
}

/**
 * Reads `FORWARDING_KEY`, the key with which the website names its visitors to the status API.
 * Unset is allowed (then no forwarded address is believed); a short one is refused, and the
 * key itself is never repeated in a message.
 */
export function parseForwardingKey(text: string | undefined, name = 'FORWARDING_KEY'): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.length < MIN_FORWARDING_KEY_LENGTH) {
    throw new Error(`${name} must be at least ${MIN_FORWARDING_KEY_LENGTH} characters long (it has ${text.length}); e.g. openssl rand -base64 32`);
  }
  return text;
}

/**
 * Fastify's `trustProxy` for trusted proxies: a hop count becomes the function Fastify's types
 * want, read as Fastify reads a number (the nearest `hops` proxies are believed).
 */
export function fastifyTrustProxy(trust: TrustedProxies | undefined): false | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : (trust ?? false);
}
