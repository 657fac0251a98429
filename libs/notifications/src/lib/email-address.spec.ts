import { NotificationError } from './errors';
import { normalizeEmailAddress } from './email-address';

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
