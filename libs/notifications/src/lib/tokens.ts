import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** An unguessable token for a link (256 bits, URL-safe). */
export function newLinkToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A 6-digit code a person can type; guessing is limited by an attempt counter, not by its length. */
export function newConfirmationCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/** Tokens are kept only as hashes, so a copy of the table cannot confirm anyone's subscription. */
export function hashSecret(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
