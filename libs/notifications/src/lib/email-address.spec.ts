import { NotificationError } from './errors';
import fc from 'fast-check';
import { ADDRESS_RUN, normalizeEmailAddress, redactEmailAddresses } from './email-address';

describe('normalizeEmailAddress', () => {
  it.each([
    ['maria@example.org', 'maria@example.org'],
    ['  Maria.Lopez+case@Example.ORG ', 'Maria.Lopez+case@example.org'],
    ["o'brien@mail.example.gov", "o'brien@mail.example.gov"],
    ['a@xn--bcher-kva.example', 'a@xn--bcher-kva.example'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normalizeEmailAddress(input)).toBe(expected);
  });

  it.each([
    ['', 'is empty'],
    ['maria.example.org', 'has no "@"'],
    ['@example.org', 'nothing before the "@"'],
    ['maria@', 'no domain'],
    ['maria@localhost', 'needs a dot'],
    ['maria@@example.org', 'part before the "@" is not valid'],
    ['.maria@example.org', 'part before the "@" is not valid'],
    ['ma..ria@example.org', 'part before the "@" is not valid'],
    ['maria lopez@example.org', 'spaces or characters'],
    ['maria@example.org\r\nBcc: x@evil.example', 'spaces or characters'],
    ['<maria@example.org>', 'spaces or characters'],
    ['maria@-example.org', 'not a valid host name'],
    ['maria@example.123', 'top-level domain'],
    [`${'a'.repeat(65)}@example.org`, 'longer than 64'],
    [`a@${'b'.repeat(250)}.org`, 'longer than 254'],
  ])('refuses %j: %s', (input, reason) => {
    expect(() => normalizeEmailAddress(input)).toThrow(reason);
  });

  it('refuses non-strings with the INVALID_EMAIL code and never echoes the address', () => {
    expect(() => normalizeEmailAddress(42)).toThrow(NotificationError);
    try {
      normalizeEmailAddress('secret person@example.org');
      throw new Error('accepted');
    } catch (error) {
      expect((error as NotificationError).code).toBe('INVALID_EMAIL');
      expect((error as Error).message).not.toContain('secret');
    }
  });
});

describe('redactEmailAddresses', () => {
  it('removes addresses from SMTP errors but keeps the rest', () => {
    expect(redactEmailAddresses('550 5.1.1 <maria@example.org>: Recipient address rejected')).toBe('550 5.1.1 <[address]>: Recipient address rejected');
    expect(redactEmailAddresses('connect ECONNREFUSED 127.0.0.1:25')).toBe('connect ECONNREFUSED 127.0.0.1:25');
  });

  it('replaces what the earlier backtracking pattern replaced, and nothing else', () => {
    const backtracking = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
    const text = fc.string({ unit: fc.constantFrom('a', '@', '.', ' ', '<', '"', ':', 'é'), maxLength: 40 });
    fc.assert(fc.property(text, (input) => redactEmailAddresses(input) === input.replace(backtracking, '[address]')));
  });

  it('scans with a pattern that cannot backtrack: one repeated character class and nothing after it', () => {
    // A lone `[...]+` match always ends at the end of its run, so each character is read once.
    expect(ADDRESS_RUN.source).toMatch(/^\[\^[^\]]*\]\+$/);
    expect(ADDRESS_RUN.flags).toBe('g');
  });

  it('handles a megabyte-long run without an "@" (quadratic before) and one with an address in it', () => {
    const run = 'a'.repeat(1_000_000);
    expect(redactEmailAddresses(`Cannot query field "${run}"`)).toBe(`Cannot query field "${run}"`);
    expect(redactEmailAddresses(`got "${run}@example.org" here`)).toBe('got "[address]" here');
  });
});
