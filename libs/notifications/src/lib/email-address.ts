import { NotificationError } from './errors';

const MAX_LENGTH = 254;
const MAX_LOCAL_LENGTH = 64;
// Dot-atom local part (RFC 5322) without quoted strings or comments: what people actually
// type, and nothing a mail header could be smuggled through.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * Checks an address a member of the public typed and returns it trimmed, with the domain in
 * lower case (domains are case-insensitive; local parts formally are not, so they are kept).
 * Throws INVALID_EMAIL naming what is wrong. The message never repeats the address itself,
 * because error messages end up in logs.
 */
export function normalizeEmailAddress(input: unknown): string {
  if (typeof input !== 'string') throw invalid('an email address must be a string');
  const address = input.trim();
  if (address.length === 0) throw invalid('the email address is empty');
  if (address.length > MAX_LENGTH) throw invalid(`the email address is longer than ${MAX_LENGTH} characters`);
  if (/[\s<>()[\]\\,;:"]/.test(address.replace(/@(?=[^@]*$)/, ''))) throw invalid('the email address contains spaces or characters that are not allowed');
  const at = address.lastIndexOf('@');
  if (at < 0) throw invalid('the email address has no "@"');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length === 0) throw invalid('the email address has nothing before the "@"');
  if (local.length > MAX_LOCAL_LENGTH) throw invalid(`the part before the "@" is longer than ${MAX_LOCAL_LENGTH} characters`);
  if (!LOCAL.test(local)) throw invalid('the part before the "@" is not valid (check for "@" twice, leading, trailing or double dots)');
  if (domain.length === 0) throw invalid('the email address has no domain after the "@"');
  const labels = domain.split('.');
  if (labels.length < 2) throw invalid('the domain after the "@" needs a dot, e.g. example.org');
  if (!labels.every((label) => LABEL.test(label))) throw invalid('the domain after the "@" is not a valid host name');
  if (!/^[A-Za-z]{2,63}$/.test(labels[labels.length - 1]) && !/^xn--[A-Za-z0-9-]+$/.test(labels[labels.length - 1])) {
    throw invalid('the domain after the "@" does not end in a top-level domain such as .org or .gov');
  }
  return `${local}@${domain.toLowerCase()}`;
}

function invalid(reason: string): NotificationError {
  return new NotificationError('INVALID_EMAIL', `Invalid email address: ${reason}.`);
}
