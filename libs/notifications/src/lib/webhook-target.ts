import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { WebhookUrlPolicy } from './webhook-signing';

/** What a host name resolves to; `lookup(host, { all: true })` by default, a fake in tests. */
export type HostResolver = (hostname: string) => Promise<readonly { address: string; family: number }[]>;

export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** A resolved, checked endpoint address: the request goes to exactly this one. */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** The endpoint cannot be reached as registered (its address is not a public one). Not worth retrying. */
export class WebhookTargetRefused extends Error {
  readonly permanent = true;
  /**
   * @param message the whole reason, with the addresses a name resolved to (for logs and the
   *   delivery record, which the owner's agency reads)
   * @param publicReason what the registrant is told: without what a name resolved to, so
   *   registering webhooks can't be used to look up names inside the platform's network
   */
  constructor(
    message: string,
    readonly publicReason: string = message,
  ) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

const RANGES: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.88.99.0', 24, 'ipv4', '6to4 relay'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved or broadcast'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  // IPv4-compatible (deprecated); the mapped and NAT64 forms are checked by their IPv4 address.
  ['::', 96, 'ipv6', 'IPv4-compatible'],
  ['64:ff9b:1::', 48, 'ipv6', 'local NAT64'],
  ['100::', 64, 'ipv6', 'discard-only'],
  ['2001::', 23, 'ipv6', 'IETF protocol assignments (Teredo included)'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['2002::', 16, 'ipv6', '6to4'],
  ['fc00::', 7, 'ipv6', 'unique local (fd00:ec2::254 metadata included)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const blocked = RANGES.map(([network, prefix, type, reason]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, type, reason };
});

/**
 * Why an address is no place for a webhook (loopback, private, link-local and cloud metadata,
 * CGNAT, unique-local, multicast, unspecified, documentation...), or null for a public one.
 * IPv4 addresses inside IPv6 (mapped `::ffff:a.b.c.d`, translated `::ffff:0:a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`) are judged
 * as the IPv4 address they carry.
 */
export function forbiddenAddressReason(address: string): string | null {
  const version = isIP(address);
  if (version === 0) return 'not an IP address';
  if (version === 6) {
    const embedded = embeddedIpv4(address);
    if (embedded) return forbiddenAddressReason(embedded);
  }
  const type = version === 4 ? 'ipv4' : 'ipv6';
  for (const range of blocked) if (range.type === type && range.list.check(address, type)) return range.reason;
  return null;
}

function embeddedIpv4(address: string): string | null {
  const groups = expandIpv6(address);
  const prefix = groups.slice(0, 6).join(':');
  // Mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d, RFC 2765) and NAT64 (64:ff9b::a.b.c.d).
  if (prefix !== '0:0:0:0:0:ffff' && prefix !== '0:0:0:0:ffff:0' && prefix !== '64:ff9b:0:0:0:0') return null;
  const [high, low] = [groups[6], groups[7]].map((group) => parseInt(group, 16));
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

function expandIpv6(address: string): string[] {
  let text = address.toLowerCase().split('%')[0];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => parseInt(group, 16).toString(16));
}

/**
 * Resolves the endpoint's host and checks every address it resolves to: one private address
 * among public ones is enough to refuse, since the connection could go to any of them. The
 * policy's `allowPrivateHosts` (development) skips the check but still pins the address.
 */
export async function resolveWebhookTarget(rawUrl: string, policy: WebhookUrlPolicy, resolve: HostResolver): Promise<WebhookTarget> {
  const url = new URL(rawUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: readonly { address: string; family: number }[];
  if (isIP(host)) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await resolve(host);
    } catch (error) {
      throw new WebhookTargetRefused(`the host ${host} does not resolve (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, notPublic(host));
    }
  }
  if (addresses.length === 0) throw new WebhookTargetRefused(`the host ${host} does not resolve`, notPublic(host));
  if (!policy.allowPrivateHosts) {
    for (const { address } of addresses) {
      const reason = forbiddenAddressReason(address);
      if (!reason) continue;
      const whole = `${isIP(host) ? `the address ${host} is` : `the host ${host} resolves to ${address},`} a ${reason} address`;
      // An address the registrant wrote may be named back; what a name resolved to may not.
      throw new WebhookTargetRefused(whole, isIP(host) ? whole : notPublic(host));
    }
  }
  const [first] = addresses;
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

function notPublic(host: string): string {
  return `the host ${host} does not resolve, from the platform, to public addresses only`;
}
