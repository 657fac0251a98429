import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ACCESS_CODE_HASH_LIMITS, parseAccessCodeHash } from '@case-status/case-domain';

/**
 * Online access codes: what an agency prints on the receipt notice and how it hashes it for
 * intake (`accessCodeHash` on CaseReceived or AccessCodeIssued), and how the platform checks
 * a code a person types. This file is the reference implementation agencies can copy.
 *
 * A code is 12 characters of Crockford's base32 (no I, L, O, U; 60 bits), printed in groups
 * of four: `K7QM-4TXR-9HPA`. Before hashing, and when a person types it, it is normalised:
 * upper case, spaces and hyphens dropped, O read as 0 and I or L as 1.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CODE_LENGTH = 12;
/** What the platform's own hashes use; agencies may use any cost parseAccessCodeHash allows. */
const DEFAULT_COST = 16_384;
const MAX_COST = Math.max(...ACCESS_CODE_HASH_LIMITS.costs);

/** A new random access code, grouped for printing. */
export function newAccessCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}

/** The code as hashed, or null when what was typed cannot be an access code. */
export function normalizeAccessCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}

function derive(code: string, salt: Buffer, cost: number): Promise<Buffer> {
  const { r, p, hashBytes } = ACCESS_CODE_HASH_LIMITS;
  // 128·N·r bytes of memory; the largest allowed N needs more than Node's default 32 MiB.
  const options: ScryptOptions = { N: cost, r, p, maxmem: 256 * cost * r };
  return new Promise((resolve, reject) => scrypt(code, salt, hashBytes, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `scrypt$N$r$p$salt$hash` of a code (normalised first; a code that cannot be one is refused). */
export async function hashAccessCode(code: string, cost: number = DEFAULT_COST): Promise<string> {
  const normalized = normalizeAccessCode(code);
  if (normalized === null) throw new RangeError('not an access code: 12 characters of Crockford base32 expected');
  const salt = randomBytes(16);
  const { r, p } = ACCESS_CODE_HASH_LIMITS;
  return `scrypt$${cost}$${r}$${p}$${salt.toString('base64url')}$${(await derive(normalized, salt, cost)).toString('base64url')}`;
}

/**
 * Whether a typed code matches a stored hash. Costs the work of one scrypt at the largest
 * allowed N whatever the answer: a hash of a smaller N is topped up with throwaway scrypts
 * (16,384 + 32,768 for a hash at 16,384), and no hash, an unknown case or a typed value that
 * cannot be a code costs the same. So timing does not tell a case without a code, or an
 * unknown receipt number, from a wrong code, whatever N the agency chose.
 */
export async function accessCodeMatches(typed: string, storedHash: string | null): Promise<boolean> {
  const parsed = storedHash === null ? null : parseAccessCodeHash(storedHash);
  const stored = parsed?.ok ? parsed.hash : null;
  const normalized = normalizeAccessCode(typed);
  const salt = stored ? Buffer.from(stored.salt, 'base64url') : Buffer.alloc(16);
  const cost = stored?.N ?? MAX_COST;
  const derived = await derive(normalized ?? typed.slice(0, 64), salt, cost);
  for (const padding of toppingUp(cost)) await derive('padding', Buffer.alloc(16), padding);
  if (!stored || normalized === null) return false;
  return timingSafeEqual(derived, Buffer.from(stored.hash, 'base64url'));
}

/** Allowed costs (powers of two) that add up to what `cost` falls short of the largest one. */
export function toppingUp(cost: number): number[] {
  const pads: number[] = [];
  let missing = MAX_COST - cost;
  for (const pad of [...ACCESS_CODE_HASH_LIMITS.costs].sort((a, b) => b - a)) {
    while (missing >= pad) {
      pads.push(pad);
      missing -= pad;
    }
  }
  return pads;
}
