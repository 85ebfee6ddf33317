/**
 * Installed bot tokens at rest: AES-256-GCM (authenticated encryption, node:crypto) under
 * TOKEN_ENCRYPTION_KEY, 32 random bytes in base64. Each sealed value carries its own random 96-bit IV
 * and the GCM tag, and is bound to the row it belongs to (additional authenticated data), so a value
 * copied onto another installation's row does not open either.
 *
 * Rotation: TOKEN_ENCRYPTION_KEY may hold several keys, comma-separated. The first seals everything
 * new; all of them open. Each sealed value names its key by a short key id (a hash of the key, not the
 * key), so opening needs no trial and a value sealed with a key no longer listed is told apart from a
 * corrupted one. Values sealed before key ids existed (`v1`) are opened by trying each key.
 *
 * A wrong key never yields garbage: the tag check fails and `open` throws TokenKeyError, whose message
 * is the one line to print.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Format markers: `v1.<iv>.<tag>.<body>` (no key id, before rotation) and `v2.<key id>.<iv>.<tag>.<body>`. */
const LEGACY = 'v1';
const VERSION = 'v2';
/** 48 bits of SHA-256: tells a handful of keys apart, says nothing usable about any of them. */
const KEY_ID_BYTES = 6;

/** The key can't open what the store holds: the message is one line naming TOKEN_ENCRYPTION_KEY. */
export class TokenKeyError extends Error {
  readonly variable = 'TOKEN_ENCRYPTION_KEY';
  constructor(
    message: string,
    /** The key id the value names when none of the keys has it (a key rotated out too soon). */
    readonly missingKeyId: string | null = null,
  ) {
    super(message);
    this.name = 'TokenKeyError';
  }
}

export const WRONG_KEY_MESSAGE =
  'tokenfix: TOKEN_ENCRYPTION_KEY is not the key the stored installations were encrypted with: set the key used before, or to rotate put the new key first and the old one after it, comma-separated (or reinstall the app in every workspace after clearing the installations table)';

const MALFORMED_MESSAGE = 'tokenfix: a stored installation is not in a format this version can read';

/** The short id a sealed value names its key by (base64url, 8 characters). */
export function keyId(key: Buffer): string {
  return createHash('sha256')
    .update('tokenfix token key id\0')
    .update(key)
    .digest()
    .subarray(0, KEY_ID_BYTES)
    .toString('base64url');
}

/** Decodes and checks one key: 32 bytes, base64. */
export function parseKey(base64: string): Buffer {
  const trimmed = base64.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== 32)
    throw new TokenKeyError('tokenfix: TOKEN_ENCRYPTION_KEY must be 32 random bytes, base64-encoded');
  return key;
}

/**
 * Decodes and checks a whole TOKEN_ENCRYPTION_KEY value: one key, or several comma-separated (the
 * first seals, all open). A bad one is named by its place, never printed.
 */
export function parseKeys(value: string): Buffer[] {
  const parts = value.split(',');
  const keys = parts.map((part, i) => {
    try {
      return parseKey(part);
    } catch (error) {
      if (parts.length === 1) throw error;
      throw new TokenKeyError(
        `tokenfix: TOKEN_ENCRYPTION_KEY key ${i + 1} of ${parts.length} is not 32 random bytes, base64-encoded (several keys: comma-separated, the new one first)`,
      );
    }
  });
  if (new Set(keys.map(keyId)).size !== keys.length)
    throw new TokenKeyError('tokenfix: TOKEN_ENCRYPTION_KEY lists the same key twice');
  return keys;
}

interface Key {
  id: string;
  key: Buffer;
}

export class TokenCipher {
  private readonly keys: Key[];

  constructor(keysValue: string) {
    this.keys = parseKeys(keysValue).map((key) => ({ id: keyId(key), key }));
  }

  /** The id of the key new values are sealed with (the first listed). */
  get currentKeyId(): string {
    return (this.keys[0] as Key).id;
  }

  /** `v2.<key id>.<iv>.<tag>.<ciphertext>` (base64url parts), under the first key. `context` must be given again to open it. */
  seal(plaintext: string, context: string): string {
    const { id, key } = this.keys[0] as Key;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      id,
      iv.toString('base64url'),
      tag.toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  /** The plaintext; TokenKeyError when no listed key (or not this context) is the one it was sealed with. */
  open(sealed: string, context: string): string {
    return this.read(sealed, context).plaintext;
  }

  /** The plaintext, and whether it is sealed under the current key (false: seal it again to rotate). */
  read(sealed: string, context: string): { plaintext: string; current: boolean } {
    const parts = sealed.split('.');
    let candidates: Key[];
    let rest: string[];
    if (parts.length === 5 && parts[0] === VERSION) {
      const id = parts[1] as string;
      candidates = this.keys.filter((k) => k.id === id);
      if (candidates.length === 0) throw new TokenKeyError(WRONG_KEY_MESSAGE, id);
      rest = parts.slice(2);
    } else if (parts.length === 4 && parts[0] === LEGACY) {
      candidates = this.keys;
      rest = parts.slice(1);
    } else {
      throw new TokenKeyError(MALFORMED_MESSAGE);
    }
    const [ivPart, tagPart, bodyPart] = rest as [string, string, string];
    const iv = Buffer.from(ivPart, 'base64url');
    const tag = Buffer.from(tagPart, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new TokenKeyError(MALFORMED_MESSAGE);
    const body = Buffer.from(bodyPart, 'base64url');
    for (const k of candidates) {
      try {
        const decipher = createDecipheriv(ALGORITHM, k.key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(tag);
        const plaintext = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
        return { plaintext, current: parts[0] === VERSION && k === this.keys[0] };
      } catch {
        // The tag did not match under this key: the next one, if any.
      }
    }
    throw new TokenKeyError(WRONG_KEY_MESSAGE);
  }
}
