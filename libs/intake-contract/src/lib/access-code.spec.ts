import { ACCESS_CODE_HASH_LIMITS, parseAccessCodeHash } from '@case-status/case-domain';
import { accessCodeMatches, hashAccessCode, newAccessCode, normalizeAccessCode, toppingUp } from './access-code';

describe('online access codes', () => {
  it('makes codes of 12 Crockford base32 characters in groups of four', () => {
    const code = newAccessCode();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(newAccessCode()).not.toBe(code);
  });

  it('reads a code the way people type it: any case, spaces or hyphens, O for 0 and I or L for 1', () => {
    expect(normalizeAccessCode(' k7qm 4txr-9hpa ')).toBe('K7QM4TXR9HPA');
    expect(normalizeAccessCode('O1IL-0000-1111')).toBe('011100001111');
    expect(normalizeAccessCode('K7QM-4TXR-9HP')).toBeNull();
    expect(normalizeAccessCode('K7QM-4TXR-9HPU')).toBeNull();
  });

  it('hashes into the format intake accepts, salted: the same code twice gives two hashes', async () => {
    const [a, b] = [await hashAccessCode('K7QM-4TXR-9HPA'), await hashAccessCode('K7QM-4TXR-9HPA')];
    expect(parseAccessCodeHash(a).ok).toBe(true);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
  });

  it('matches the code it hashed, typed loosely, and nothing else', async () => {
    const stored = await hashAccessCode('K7QM-4TXR-9HPA');
    await expect(accessCodeMatches('k7qm4txr9hpa', stored)).resolves.toBe(true);
    await expect(accessCodeMatches('K7QM-4TXR-9HPB', stored)).resolves.toBe(false);
    await expect(accessCodeMatches('not a code', stored)).resolves.toBe(false);
    await expect(accessCodeMatches('K7QM-4TXR-9HPA', null)).resolves.toBe(false);
    await expect(accessCodeMatches('K7QM-4TXR-9HPA', 'scrypt$1048576$8$1$x$y')).resolves.toBe(false);
  });

  it('spends the work of the highest cost whatever cost the agency chose, so timing does not tell a case from none', () => {
    const highest = Math.max(...ACCESS_CODE_HASH_LIMITS.costs);
    for (const cost of ACCESS_CODE_HASH_LIMITS.costs) {
      const pads = toppingUp(cost);
      expect(cost + pads.reduce((sum, pad) => sum + pad, 0)).toBe(highest);
      for (const pad of pads) expect(ACCESS_CODE_HASH_LIMITS.costs).toContain(pad);
    }
    expect(toppingUp(highest)).toEqual([]);
  });

  it('checks a hash made at the highest cost an agency may choose', async () => {
    await expect(accessCodeMatches('K7QM-4TXR-9HPA', await hashAccessCode('K7QM-4TXR-9HPA', 65_536))).resolves.toBe(true);
  });
});
