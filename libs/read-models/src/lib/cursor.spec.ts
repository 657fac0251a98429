import { decodeCursor, encodeCursor } from './cursor';
import { InvalidQueryArgumentError } from './query-errors';

describe('list cursors', () => {
  it('round-trip the sort key exactly', () => {
    const cursor = { receivedAtMicros: 1767603600123456n, receiptNumber: 'VBA-2026-0001234' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it.each(['', 'not a cursor!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["c1","12x","IOE1"]').toString('base64url')])(
    'refuse %j, naming the argument',
    (text) => {
      expect(() => decodeCursor(text)).toThrow(InvalidQueryArgumentError);
      expect(() => decodeCursor(text)).toThrow(/^after: /);
    },
  );
});
