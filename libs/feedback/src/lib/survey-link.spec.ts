import { createHmac } from 'node:crypto';
import { MIN_FEEDBACK_SECRET_BYTES, responseEventId } from './response-id';
import { SURVEY_LINK_VALIDITY_DAYS, SurveyLinks } from './survey-link';

const SECRET = 's'.repeat(MIN_FEEDBACK_SECRET_BYTES);
const CASE_A = 'IOE0912345678';
const CASE_B = 'IOE0912345679';
const DECIDED_AT = new Date('2026-11-02T15:00:00Z');
const DAY = 24 * 3600 * 1000;

const linksAt = (now: Date, secret = SECRET) => new SurveyLinks({ secret, clock: () => now });

describe('SurveyLinks', () => {
  const { token, expiresAt } = linksAt(DECIDED_AT).issue(CASE_A);

  it('accepts the link it issued for the case until it expires, 90 days on', () => {
    expect(expiresAt).toEqual(new Date(DECIDED_AT.getTime() + SURVEY_LINK_VALIDITY_DAYS * DAY));
    expect(linksAt(DECIDED_AT).accepts(CASE_A, token)).toBe(true);
    expect(linksAt(new Date(expiresAt.getTime() - 1000)).accepts(CASE_A, token)).toBe(true);
  });

  it('refuses it once expired', () => {
    expect(linksAt(expiresAt).accepts(CASE_A, token)).toBe(false);
    expect(linksAt(new Date(expiresAt.getTime() + DAY)).accepts(CASE_A, token)).toBe(false);
  });

  it("refuses case A's link for case B", () => {
    expect(linksAt(DECIDED_AT).accepts(CASE_B, token)).toBe(false);
  });

  it('refuses a link made under another secret (another deployment)', () => {
    const foreign = linksAt(DECIDED_AT, 't'.repeat(MIN_FEEDBACK_SECRET_BYTES)).issue(CASE_A).token;
    expect(linksAt(DECIDED_AT).accepts(CASE_A, foreign)).toBe(false);
  });

  it('refuses an edited link: a later expiry, a changed MAC, junk around it', () => {
    const [expires, mac] = token.split('.');
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    // The last character carries 4 bits of the MAC and 2 spare bits: every other spelling is refused too.
    const respelled = `${mac.slice(0, -1)}${String.fromCharCode(mac.charCodeAt(42) ^ 1)}`;
    for (const edited of [respelled, `${Number(expires) + 1}.${mac}`, `${expires}.${flipped}`, `${token}x`, ` ${token}`, `${expires}.`, '', 'null', `${expires}.${mac}.${mac}`]) {
      expect(linksAt(DECIDED_AT).accepts(CASE_A, edited)).toBe(false);
    }
  });

  it('cannot be made from the receipt number alone: it is not the response id, nor an HMAC under the secret itself', () => {
    const [expires, mac] = token.split('.');
    const plain = createHmac('sha256', SECRET).update(`${CASE_A}\n${expires}`).digest('base64url');
    expect(mac).not.toBe(plain);
    expect(token).not.toContain(responseEventId(SECRET, CASE_A).replace(/-/g, ''));
    expect(token).not.toContain('0912345678');
  });
});
