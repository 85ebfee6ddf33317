/**
 * Installed bot tokens at rest: AES-256-GCM (authenticated encryption, node:crypto) under
 * TOKEN_ENCRYPTION_KEY, 32 random bytes in base64. Each sealed value carries its own random 96-bit IV
 * and the GCM tag, and is bound to the row it belongs to (additional authenticated data), so a value
 * copied onto another installation's row does not open either.
 *
 * A wrong key never yields garbage: the tag check fails and `open` throws TokenKeyError, whose message
 * is the one line to print.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Format marker, so a later format can be told apart. */
const VERSION = 'v1';

/** The key can't open what the store holds: the message is one line naming TOKEN_ENCRYPTION_KEY. */
export class TokenKeyError extends Error {
  readonly variable = 'TOKEN_ENCRYPTION_KEY';
  constructor(message: string) {
    super(message);
    this.name = 'TokenKeyError';
  }
}

export const WRONG_KEY_MESSAGE =
  'tokenfix: TOKEN_ENCRYPTION_KEY is not the key the stored installations were encrypted with: set the key used before (or reinstall the app in every workspace after clearing the installations table)';

/** Decodes and checks a TOKEN_ENCRYPTION_KEY value: 32 bytes, base64. */
export function parseKey(base64: string): Buffer {
  const trimmed = base64.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  if (key.length !== 32)
    throw new TokenKeyError('tokenfix: TOKEN_ENCRYPTION_KEY must be 32 random bytes, base64-encoded');
  return key;
}

export class TokenCipher {
  private readonly key: Buffer;

  constructor(keyBase64: string) {
    this.key = parseKey(keyBase64);
  }

  /** `v1.<iv>.<tag>.<ciphertext>` (base64url parts). `context` must be given again to open it. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, body]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The plaintext; TokenKeyError when the key (or the context) is not the one it was sealed with. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new TokenKeyError('tokenfix: a stored installation is not in a format this version can read');
    }
    const [, ivPart, tagPart, bodyPart] = parts as [string, string, string, string];
    const iv = Buffer.from(ivPart, 'base64url');
    const tag = Buffer.from(tagPart, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new TokenKeyError('tokenfix: a stored installation is not in a format this version can read');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(Buffer.from(bodyPart, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new TokenKeyError(WRONG_KEY_MESSAGE);
    }
  }
}
