import { parsed, readConfig, type ConfigOf } from '@case-status/config';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * A fixed key for development and tests only: anyone can read it here, so production refuses
 * it (see notificationKeysFromEnvironment).
 */
const DEVELOPMENT_KEY = Buffer.from('Y2FzZS1zdGF0dXMgZGV2ZWxvcG1lbnQga2V5IC0gMzI=', 'base64');

interface Key {
  id: string;
  encryption: Buffer;
  tokens: Buffer;
}

/**
 * The keys that protect what the notifications tables hold: webhook signing secrets are
 * sealed with AES-256-GCM, and unsubscribe tokens are derived (HMAC) from the subscription id,
 * so the table keeps only their hash. Every sealed value and derived token records the id of
 * its key; older keys stay here to open what they sealed until it is sealed again with the
 * current one (at start, see migrate).
 */
export class NotificationKeys {
  private readonly keys: Map<string, Key>;
  readonly current: Key;

  /** `current` and each of `previous`: 32 bytes (NOTIFICATIONS_ENCRYPTION_KEY is their base64). */
  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.current = deriveKey(current);
    this.keys = new Map([this.current, ...previous.map(deriveKey)].map((key) => [key.id, key]));
  }

  static development(): NotificationKeys {
    return new NotificationKeys(DEVELOPMENT_KEY);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** The ids of the older keys this process still opens with (NOTIFICATIONS_ENCRYPTION_PREVIOUS_KEYS). */
  get previousKeyIds(): string[] {
    return [...this.keys.keys()].filter((id) => id !== this.current.id);
  }

  /**
   * `v1.<key id>.<base64url(iv | ciphertext | tag)>`. `context` (e.g. the row's id) is bound
   * in as associated data, so a sealed value copied onto another row does not open there.
   */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.encryption, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${this.current.id}.${body.toString('base64url')}`;
  }

  open(sealed: string, context: string): string {
    const [version, keyId, encoded] = sealed.split('.');
    if (version !== 'v1' || !keyId || !encoded) throw new Error('not a sealed value');
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`sealed with key ${keyId}, which is not configured (NOTIFICATIONS_ENCRYPTION_PREVIOUS_KEYS)`);
    const body = Buffer.from(encoded, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key.encryption, body.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]).toString('utf8');
  }

  /** The key id inside a sealed value (to find values sealed with an older key). */
  static keyIdOf(sealed: string): string | null {
    return sealed.split('.')[1] ?? null;
  }

  /** The unsubscribe token of a subscription: recomputed for every email, never stored. */
  unsubscribeToken(subscriptionId: string, keyId = this.current.id): string {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`unsubscribe tokens of key ${keyId} cannot be made: that key is not configured`);
    return createHmac('sha256', key.tokens).update(`unsubscribe\n${subscriptionId}`).digest('base64url');
  }

  /**
   * A keyed digest for rate-limit keys: the same input gives the same digest, but a copy of
   * the table cannot be matched against a list of addresses without the key.
   */
  digest(purpose: string, value: string): Buffer {
    return createHmac('sha256', this.current.tokens).update(`${purpose}\n${value}`).digest();
  }
}

function deriveKey(material: Buffer): Key {
  if (material.length !== 32) throw new RangeError(`a notifications key is 32 bytes, not ${material.length}`);
  // One secret, separate keys per use: a key never encrypts and authenticates both.
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), `case-status/notifications/${info}`, 32));
  const id = createHash('sha256').update('case-status/notifications/key-id\n').update(material).digest('base64url').slice(0, 8);
  return { id, encryption: derive('aes-256-gcm'), tokens: derive('hmac-sha256') };
}

/**
 * The fields of NOTIFICATIONS_ENCRYPTION_KEY (base64 of 32 bytes) and, while rotating,
 * NOTIFICATIONS_ENCRYPTION_PREVIOUS_KEYS (comma-separated), for a service's config schema.
 * In production (NODE_ENV=production) a missing key is refused.
 */
export function notificationKeyFields(production: boolean) {
  return {
    NOTIFICATIONS_ENCRYPTION_KEY: parsed((text) => {
      if (text !== undefined) return keyMaterial(text);
      if (production) {
        throw new Error('NOTIFICATIONS_ENCRYPTION_KEY is not set: in production, webhook secrets and unsubscribe tokens need a key of their own (base64 of 32 random bytes, e.g. `openssl rand -base64 32`)');
      }
      return undefined;
    }),
    NOTIFICATIONS_ENCRYPTION_PREVIOUS_KEYS: parsed((text) =>
      (text ?? '')
        .split(',')
        .filter((value) => value.trim().length > 0)
        .map(keyMaterial),
    ),
  };
}

/** The keys read by `notificationKeyFields`: without a key, the development key (never in production). */
export function notificationKeysFrom(values: ConfigOf<ReturnType<typeof notificationKeyFields>>): { keys: NotificationKeys; isDevelopmentDefault: boolean } {
  const key = values.NOTIFICATIONS_ENCRYPTION_KEY;
  if (!key) return { keys: NotificationKeys.development(), isDevelopmentDefault: true };
  return { keys: new NotificationKeys(key, values.NOTIFICATIONS_ENCRYPTION_PREVIOUS_KEYS), isDevelopmentDefault: false };
}

/** The keys from NOTIFICATIONS_ENCRYPTION_KEY and NOTIFICATIONS_ENCRYPTION_PREVIOUS_KEYS (see `notificationKeyFields`). */
export function notificationKeysFromEnvironment(env: NodeJS.ProcessEnv): { keys: NotificationKeys; isDevelopmentDefault: boolean } {
  return notificationKeysFrom(readConfig(notificationKeyFields(env['NODE_ENV'] === 'production'), env));
}

function keyMaterial(value: string): Buffer {
  const bytes = Buffer.from(value.trim(), 'base64');
  if (bytes.length !== 32) throw new Error(`must be base64 of 32 bytes, but it decodes to ${bytes.length} bytes`);
  return bytes;
}

/** Keys for a library user that passed none: the development key, never in production. */
export function defaultNotificationKeys(keys: NotificationKeys | undefined): NotificationKeys {
  if (keys) return keys;
  if (process.env['NODE_ENV'] === 'production') throw new Error('notification keys are required in production (NOTIFICATIONS_ENCRYPTION_KEY)');
  return NotificationKeys.development();
}
