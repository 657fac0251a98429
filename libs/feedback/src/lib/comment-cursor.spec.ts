import { createHash } from 'node:crypto';
import { CommentCursors, type CommentPosition } from './comment-cursor';

const position: CommentPosition = { contentKey: createHash('sha256').update('a comment').digest('hex'), copy: 2 };
const QUERY = '["USCIS","FY2027-Q2",null]';

describe('CommentCursors', () => {
  const cursors = new CommentCursors('deployment-one-secret-of-32-bytes!!');

  it('opens what it sealed for the same query', () => {
    expect(cursors.open(cursors.seal(position, QUERY), QUERY)).toEqual(position);
  });

  it('never shows the position: the same position seals differently each time, and no cursor contains its key', () => {
    const first = cursors.seal(position, QUERY);
    const second = cursors.seal(position, QUERY);
    expect(first).not.toBe(second);
    for (const cursor of [first, second]) {
      expect(Buffer.from(cursor, 'base64url').toString('hex')).not.toContain(position.contentKey.slice(0, 16));
      expect(cursor).not.toContain(Buffer.from(position.contentKey, 'hex').toString('base64url').slice(0, 16));
    }
  });

  it("refuses another deployment's cursor, an edited one, another query's and ones it never issued", () => {
    const cursor = cursors.seal(position, QUERY);
    const other = new CommentCursors('deployment-two-secret-of-32-bytes!!');
    expect(other.open(cursor, QUERY)).toBeNull();
    const bytes = Buffer.from(cursor, 'base64url');
    for (const index of [0, 12, 30, bytes.length - 1]) {
      const edited = Buffer.from(bytes);
      edited[index] ^= 1;
      expect(cursors.open(edited.toString('base64url'), QUERY)).toBeNull();
    }
    expect(cursors.open(cursor, '["USCIS","FY2027-Q3",null]')).toBeNull();
    expect(cursors.open(`${cursor}A`, QUERY)).toBeNull();
    expect(cursors.open('bogus', QUERY)).toBeNull();
    expect(cursors.open('', QUERY)).toBeNull();
  });
});
