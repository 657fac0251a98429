import type { CaseEvent } from './case-events';

/**
 * The online access code printed on a receipt notice proves that whoever types it holds the
 * notice. Agencies never send the code itself, only a salted scrypt hash of it, written
 * `scrypt$<N>$<r>$<p>$<salt>$<hash>` (salt and hash in unpadded base64url; docs/event-catalog.md
 * says how to make one). The parameters are bounded so that a hash sent by an agency cannot
 * make the platform spend more than one ordinary scrypt's worth of CPU and memory when a
 * person types a code.
 */
export interface AccessCodeHash {
  /** scrypt cost (a power of two). */
  N: number;
  r: number;
  p: number;
  /** base64url, 16 to 64 bytes. */
  salt: string;
  /** base64url, 32 bytes. */
  hash: string;
}

export const ACCESS_CODE_HASH_LIMITS = { costs: [16_384, 32_768, 65_536], r: 8, p: 1, saltBytes: [16, 64], hashBytes: 32 } as const;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const base64urlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);

/** The hash's parts, or a sentence saying what is wrong with it (for the agency's integrator). */
export function parseAccessCodeHash(value: unknown): { ok: true; hash: AccessCodeHash } | { ok: false; problem: string } {
  const fail = (problem: string) => ({ ok: false as const, problem });
  if (typeof value !== 'string') return fail('accessCodeHash must be a string such as scrypt$16384$8$1$<salt>$<hash>.');
  const parts = value.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return fail('accessCodeHash must have the form scrypt$<N>$<r>$<p>$<salt>$<hash>.');
  const [, n, r, p, salt, hash] = parts;
  const { costs, saltBytes, hashBytes } = ACCESS_CODE_HASH_LIMITS;
  if (!costs.map(String).includes(n)) return fail(`accessCodeHash's N must be one of ${costs.join(', ')}.`);
  if (r !== String(ACCESS_CODE_HASH_LIMITS.r) || p !== String(ACCESS_CODE_HASH_LIMITS.p)) {
    return fail(`accessCodeHash's r must be ${ACCESS_CODE_HASH_LIMITS.r} and p ${ACCESS_CODE_HASH_LIMITS.p}.`);
  }
  if (!BASE64URL.test(salt) || salt.length < base64urlLength(saltBytes[0]) || salt.length > base64urlLength(saltBytes[1])) {
    return fail(`accessCodeHash's salt must be ${saltBytes[0]} to ${saltBytes[1]} random bytes in unpadded base64url.`);
  }
  if (!BASE64URL.test(hash) || hash.length !== base64urlLength(hashBytes)) return fail(`accessCodeHash's hash must be ${hashBytes} bytes in unpadded base64url.`);
  return { ok: true, hash: { N: Number(n), r: Number(r), p: Number(p), salt, hash } };
}

/**
 * The access code in force for a case: the latest hash its history carries (on CaseReceived
 * or AccessCodeIssued) and the index of the event that set it, or null. A replaced code no
 * longer counts; each code the agency issues is set by an event of its own.
 */
export function currentAccessCode(history: readonly CaseEvent[]): { hash: string; index: number } | null {
  let current: { hash: string; index: number } | null = null;
  history.forEach((event, index) => {
    if (event.type === 'AccessCodeIssued') current = { hash: event.data.accessCodeHash, index };
    if (event.type === 'CaseReceived' && event.data.accessCodeHash !== undefined) current = { hash: event.data.accessCodeHash, index };
  });
  return current;
}
