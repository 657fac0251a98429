import { createHash } from 'node:crypto';

/**
 * Each person the platform knows has one event stream of their own, `person-<issuer>-<subject>`:
 * the cases they linked (and, later, the grants they give to helpers). The issuer is hashed
 * (URLs do not belong in ids); the subject is kept when it is a plain token, as providers'
 * subjects are (UUIDs), and hashed otherwise.
 */
export const PERSON_STREAM_PREFIX = 'person-';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Who a person is at their identity provider: the ID token's `iss` and `sub`. */
export interface PersonKey {
  issuer: string;
  subject: string;
}

export function personStreamId({ issuer, subject }: PersonKey): string {
  const plain = /^[A-Za-z0-9._:@-]{1,128}$/.test(subject) ? subject : `sha256.${sha256(subject)}`;
  return `${PERSON_STREAM_PREFIX}${sha256(issuer).slice(0, 16)}-${plain}`;
}

/** The person proved, with the case's online access code, that the case is theirs. */
export const CASE_LINKED = 'CaseLinked';

export interface CaseLinkedData {
  agency: string;
  receiptNumber: string;
}

/** The person took the case off their account; linking it again needs its access code again. */
export const CASE_UNLINKED = 'CaseUnlinked';

const uuidOf = (hex: string) => `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;

/**
 * One id per person, case and time it is linked (`unlinks`: how often the person unlinked it
 * before), so linking a linked case again stores one event, and a case unlinked can be linked
 * anew. The first link's id is what it always was.
 */
export function caseLinkedEventId(personStream: string, agency: string, receiptNumber: string, unlinks = 0): string {
  return uuidOf(sha256(`${personStream}\n${agency}\n${receiptNumber}${unlinks === 0 ? '' : `\n${unlinks}`}`));
}

/** One id per unlinking of a link: unlinking twice stores one event. */
export function caseUnlinkedEventId(personStream: string, agency: string, receiptNumber: string, unlinks: number): string {
  return uuidOf(sha256(`unlinked\n${personStream}\n${agency}\n${receiptNumber}\n${unlinks}`));
}

/** Where the person's stream leaves one case: linked now or not, and how often it was unlinked. */
export function linkStateOf(events: readonly { type: string; data: unknown }[], agency: string, receiptNumber: string): { linked: boolean; unlinks: number } {
  let linked = false;
  let unlinks = 0;
  for (const event of events) {
    if (event.type !== CASE_LINKED && event.type !== CASE_UNLINKED) continue;
    const data = parseCaseLinked(event.data);
    if (data?.agency !== agency || data.receiptNumber !== receiptNumber) continue;
    linked = event.type === CASE_LINKED;
    if (!linked) unlinks++;
  }
  return { linked, unlinks };
}

export function parseCaseLinked(data: unknown): CaseLinkedData | null {
  if (typeof data !== 'object' || data === null) return null;
  const { agency, receiptNumber } = data as Record<string, unknown>;
  return typeof agency === 'string' && typeof receiptNumber === 'string' ? { agency, receiptNumber } : null;
}
