import { createHmac, timingSafeEqual } from 'node:crypto';
import { derivedFeedbackKey } from './response-id';

/** How long a survey link works after the decision it came with. */
export const SURVEY_LINK_VALIDITY_DAYS = 90;

const PURPOSE = 'survey-link/v1';
const TOKEN = /^([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface SurveyLinkOptions {
  /** `FEEDBACK_SECRET`: the links' key is derived from it (HKDF, its own purpose), never the secret itself. */
  secret: string;
  clock?: () => Date;
  validityDays?: number;
}

/**
 * The proof, sent with a decision, that its holder may answer that case's survey: the expiry
 * and a MAC of the receipt number and the expiry under a key derived from the feedback
 * secret (`<expiry seconds>.<base64url HMAC-SHA256>`). It cannot be made from the receipt
 * number alone, names no other case, and stops working at its expiry. It is single use
 * because a case stores one response (response-id.ts): after that the same answers are a
 * replay and different ones are refused.
 */
export class SurveyLinks {
  private readonly key: Buffer;
  private readonly clock: () => Date;
  private readonly validityMs: number;

  constructor(options: SurveyLinkOptions) {
    this.key = derivedFeedbackKey(options.secret, PURPOSE);
    this.clock = options.clock ?? (() => new Date());
    this.validityMs = (options.validityDays ?? SURVEY_LINK_VALIDITY_DAYS) * 24 * 3600 * 1000;
  }

  /** A link token for the case, valid from now for the validity period. */
  issue(receiptNumber: string): { token: string; expiresAt: Date } {
    const expires = Math.floor((this.clock().getTime() + this.validityMs) / 1000);
    return { token: `${expires}.${this.mac(receiptNumber, expires).toString('base64url')}`, expiresAt: new Date(expires * 1000) };
  }

  /** Whether the token was issued for this receipt number, under this secret, and has not expired. */
  accepts(receiptNumber: string, token: string): boolean {
    const parsed = TOKEN.exec(token);
    if (!parsed) return false;
    const expires = Number(parsed[1]);
    // Compared as text, so no other spelling of the same bytes passes (base64's spare bits).
    const expected = Buffer.from(this.mac(receiptNumber, expires).toString('base64url'));
    return timingSafeEqual(Buffer.from(parsed[2]), expected) && expires * 1000 > this.clock().getTime();
  }

  private mac(receiptNumber: string, expires: number): Buffer {
    return createHmac('sha256', this.key).update(`${receiptNumber}\n${expires}`).digest();
  }
}
