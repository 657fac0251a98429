import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { derivedFeedbackKey } from './response-id';

/** A comment's place in the caseworkers' order (see the comments table in feedback.migrations.ts). */
export interface CommentPosition {
  /** SHA-256, in hex, of the comment's group, language and text. */
  contentKey: string;
  /** 1 for the first comment with that content, 2 for the next identical one, ... */
  copy: number;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const PLAIN_BYTES = 32 + 4;
const CURSOR_BYTES = IV_BYTES + TAG_BYTES + PLAIN_BYTES;

/**
 * Seals comment positions into cursors with AES-256-GCM under a key derived from the feedback
 * secret. A cursor is opaque (a fresh nonce each time, so the same position never reads the
 * same twice), is bound to the query it came from, and any change to it is detected: another
 * deployment's cursor, an edited one or one from another quarter or service does not open.
 */
export class CommentCursors {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = derivedFeedbackKey(secret, 'comment-cursor/v1');
  }

  seal(position: CommentPosition, query: string): string {
    const plain = Buffer.alloc(PLAIN_BYTES);
    plain.write(position.contentKey, 0, 32, 'hex');
    plain.writeUInt32BE(position.copy, 32);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(query, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
  }

  /** The position, or null for anything this deployment did not seal for this query. */
  open(cursor: string, query: string): CommentPosition | null {
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length !== CURSOR_BYTES || bytes.toString('base64url') !== cursor) return null;
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(query, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      return { contentKey: plain.subarray(0, 32).toString('hex'), copy: plain.readUInt32BE(32) };
    } catch {
      return null;
    }
  }
}
