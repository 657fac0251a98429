import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The rules of a signed-in session, as pure functions: when it ends, what its cookie says,
 * and how a form proves it came from the site (the synchroniser token).
 */

export interface SessionTimeouts {
  /** A signed-in session unused this long ends (default 15 minutes, NIST SP 800-63B for AAL2 allows 30). */
  idleMs: number;
  /** A signed-in session ends this long after sign-in however busy it is (default 12 hours). */
  absoluteMs: number;
  /** A sign-in started at the provider must come back within this (default 10 minutes). */
  signInMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { idleMs: 15 * 60_000, absoluteMs: 12 * 3_600_000, signInMs: 10 * 60_000 };

export type SessionKind = 'signing-in' | 'signed-in';

/** Why a session is no longer good, or `active`. */
export type SessionExpiry = 'active' | 'idle' | 'absolute';

export function sessionExpiry(session: { kind: SessionKind; createdAt: Date; lastSeenAt: Date }, now: Date, timeouts: SessionTimeouts): SessionExpiry {
  const age = now.getTime() - session.createdAt.getTime();
  if (session.kind === 'signing-in') return age >= timeouts.signInMs ? 'absolute' : 'active';
  if (age >= timeouts.absoluteMs) return 'absolute';
  if (now.getTime() - session.lastSeenAt.getTime() >= timeouts.idleMs) return 'idle';
  return 'active';
}

/** 256 random bits, URL-safe: a session id or a CSRF token. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database keeps instead of the session id: a stolen table holds no usable cookie. */
export function sessionIdHash(id: string): Buffer {
  return createHash('sha256').update(id).digest();
}

/** A session id as `randomToken` makes them; anything else is not looked up at all. */
export function isWellFormedSessionId(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** Compares a submitted CSRF token with the session's in constant time; a missing one never matches. */
export function csrfTokenMatches(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || submitted === '') return false;
  // Hashing first makes the lengths equal, so the comparison leaks nothing, not even the length.
  return timingSafeEqual(createHash('sha256').update(expected).digest(), createHash('sha256').update(submitted).digest());
}

export interface CookieSettings {
  /**
   * `Secure` (and the `__Host-` name, which browsers accept only on a secure, host-only,
   * path-/ cookie). Off only for plain-http development on the loopback address.
   */
  secure: boolean;
}

/** The session cookie's name: `__Host-` pins it to this host over HTTPS. */
function sessionCookieName(settings: CookieSettings): string {
  return settings.secure ? '__Host-case-status-session' : 'case-status-session';
}

/**
 * The Set-Cookie value for a session: never readable by scripts, sent on top-level
 * navigations from other sites (the provider's redirect back) but not on their forms or
 * subrequests. No Max-Age: the server decides when the session ends.
 */
export function sessionCookie(id: string, settings: CookieSettings): string {
  return `${sessionCookieName(settings)}=${id}; Path=/; HttpOnly; SameSite=Lax${settings.secure ? '; Secure' : ''}`;
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(settings: CookieSettings): string {
  return `${sessionCookieName(settings)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${settings.secure ? '; Secure' : ''}`;
}

/** The session id in a Cookie header, if there is one that could be a session id. */
export function sessionIdFromCookies(header: string | undefined, settings: CookieSettings): string | undefined {
  const name = sessionCookieName(settings);
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    const value = part.slice(at + 1).trim();
    if (isWellFormedSessionId(value)) return value;
  }
  return undefined;
}
