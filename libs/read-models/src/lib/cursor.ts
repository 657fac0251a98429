import { InvalidQueryArgumentError } from './query-errors';

/**
 * Cursors are opaque to clients: base64url of the sort key of the last row returned, the
 * receipt time in microseconds since the epoch (PostgreSQL's own precision, so ties sort
 * exactly as the database does) and the receipt number.
 */
export interface CaseCursor {
  receivedAtMicros: bigint;
  receiptNumber: string;
}

export function encodeCursor(cursor: CaseCursor): string {
  return Buffer.from(JSON.stringify(['c1', cursor.receivedAtMicros.toString(), cursor.receiptNumber]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): CaseCursor {
  const invalid = () => new InvalidQueryArgumentError('after', `"${text}" is not a cursor this API returned; pass endCursor from a previous page`);
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(text)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'c1') throw invalid();
  const [, micros, receiptNumber] = parsed as unknown[];
  if (typeof micros !== 'string' || !/^-?\d{1,19}$/.test(micros) || typeof receiptNumber !== 'string' || receiptNumber.length === 0) throw invalid();
  return { receivedAtMicros: BigInt(micros), receiptNumber };
}
