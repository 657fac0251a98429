import fc from 'fast-check';
import { ADDRESS_RUN, redactEmailAddresses } from './redact';

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
