import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { FORWARDING_KEY_HEADER, MIN_FORWARDING_KEY_LENGTH } from '@case-status/http-support';

/**
 * Who a request comes from, for the per-client limits. By default the address Fastify
 * reports (`request.ip`, which follows `trustProxy`: nobody's `X-Forwarded-For` unless the
 * operator named the proxies or their number). A front end holding the forwarding key may
 * name the client itself, in the last `X-Forwarded-For` entry; without the key, the header
 * counts for nothing, so a client cannot choose its own address.
 *
 * IPv6 clients are counted by their /64 network, so one host can't multiply its limits by
 * walking through the addresses it was given.
 *
 * The address is worked out once per HTTP request and kept: a WebSocket's `connection_init`
 * payload may later add headers to the upgrade request, and must not change who it is.
 */
export class ClientAddresses {
  private readonly keyDigest: Buffer | null;
  private readonly known = new WeakMap<object, string>();

  constructor(forwardingKey?: string) {
    if (forwardingKey !== undefined && forwardingKey.length < MIN_FORWARDING_KEY_LENGTH) {
      throw new Error(`The forwarding key must be at least ${MIN_FORWARDING_KEY_LENGTH} characters long`);
    }
    this.keyDigest = forwardingKey === undefined ? null : digest(forwardingKey);
  }

  of(request: FastifyRequest): string {
    const kept = this.known.get(request.raw);
    if (kept !== undefined) return kept;
    // One IPv6 /64 is one client (a single host is usually handed a whole /64), and an
    // IPv4-mapped IPv6 address is its IPv4 address: as @fastify/rate-limit's own default key.
    const address = normalizeIP(this.forwarded(request) ?? request.ip);
    this.known.set(request.raw, address);
    return address;
  }

  private forwarded(request: FastifyRequest): string | undefined {
    if (!this.keyDigest) return undefined;
    const key = request.headers[FORWARDING_KEY_HEADER];
    // Digests have the same length whatever was sent, so the comparison is constant-time.
    if (typeof key !== 'string' || !timingSafeEqual(digest(key), this.keyDigest)) return undefined;
    const forwardedFor = request.headers['x-forwarded-for'];
    const last = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '')).split(',').at(-1)?.trim() ?? '';
    return isIP(last) ? last : undefined;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
