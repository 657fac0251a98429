import { clearedSessionCookie, csrfTokenMatches, DEFAULT_SESSION_TIMEOUTS, randomToken, sessionCookie, sessionExpiry, sessionIdFromCookies } from './session-policy';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1) + minutes * 60_000);
const timeouts = { idleMs: 15 * 60_000, absoluteMs: 12 * 60 * 60_000, signInMs: 10 * 60_000 };

describe('session expiry', () => {
  it('keeps a signed-in session used within the idle timeout', () => {
    expect(sessionExpiry({ kind: 'signed-in', createdAt: at(0), lastSeenAt: at(100) }, at(114), timeouts)).toBe('active');
  });

  it('ends a signed-in session left alone for the idle timeout', () => {
    expect(sessionExpiry({ kind: 'signed-in', createdAt: at(0), lastSeenAt: at(100) }, at(115), timeouts)).toBe('idle');
  });

  it('ends a busy session at the absolute timeout', () => {
    expect(sessionExpiry({ kind: 'signed-in', createdAt: at(0), lastSeenAt: at(719) }, at(720), timeouts)).toBe('absolute');
  });

  it('gives a sign-in at the provider its own, shorter window', () => {
    expect(sessionExpiry({ kind: 'signing-in', createdAt: at(0), lastSeenAt: at(0) }, at(9), timeouts)).toBe('active');
    expect(sessionExpiry({ kind: 'signing-in', createdAt: at(0), lastSeenAt: at(0) }, at(10), timeouts)).toBe('absolute');
  });

  it('defaults to 15 minutes idle and 12 hours in all', () => {
    expect(DEFAULT_SESSION_TIMEOUTS).toEqual(timeouts);
  });
});

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Secure and host-only (__Host-) by default', () => {
    expect(sessionCookie('abc', { secure: true })).toBe('__Host-case-status-session=abc; Path=/; HttpOnly; SameSite=Lax; Secure');
  });

  it('drops Secure and the __Host- name only when plain-http development says so', () => {
    expect(sessionCookie('abc', { secure: false })).toBe('case-status-session=abc; Path=/; HttpOnly; SameSite=Lax');
  });

  it('is removed with the same attributes', () => {
    expect(clearedSessionCookie({ secure: true })).toBe('__Host-case-status-session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure');
  });

  it('is read only under its own name and only when it could be a session id', () => {
    const id = randomToken();
    expect(sessionIdFromCookies(`other=1; __Host-case-status-session=${id}`, { secure: true })).toBe(id);
    expect(sessionIdFromCookies(`case-status-session=${id}`, { secure: true })).toBeUndefined();
    expect(sessionIdFromCookies(`__Host-case-status-session=${id}'--`, { secure: true })).toBeUndefined();
    expect(sessionIdFromCookies(undefined, { secure: true })).toBeUndefined();
  });
});

describe('the CSRF token', () => {
  const token = randomToken();

  it('matches only itself', () => {
    expect(csrfTokenMatches(token, token)).toBe(true);
    expect(csrfTokenMatches(token, randomToken())).toBe(false);
    expect(csrfTokenMatches(token, token.slice(1))).toBe(false);
  });

  it('never matches when missing, empty or not text', () => {
    expect(csrfTokenMatches(token, undefined)).toBe(false);
    expect(csrfTokenMatches(token, '')).toBe(false);
    expect(csrfTokenMatches(token, [token])).toBe(false);
  });
});
