import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a derived key is for; each purpose gets its own key from the one secret key. */
export type KeyPurpose = 'totp-secret' | 'totp-recovery' | 'login-challenge' | 'csrf' | 'workflow-secret' | 'plugin-secret';

/** Derives a 32-byte key for one purpose (HKDF-SHA-256), so that no two uses share a key. */
export function deriveKey(secretKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `daicho ${purpose}`, 32));
}

/**
 * Encrypts with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url. `context` (such as the
 * user id) is bound as associated data, so a ciphertext copied to another row does not open.
 */
export function sealSecret(key: Buffer, plaintext: Buffer, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** Opens what {@link sealSecret} made; undefined when the key, the context or the text is wrong. */
export function openSecret(key: Buffer, sealed: string, context: string): Buffer | undefined {
  const [version, iv, tag, ciphertext] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || ciphertext === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** HMAC-SHA-256 of a message, base64url. */
export function macOf(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}

/** Compares two strings in time that does not depend on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A signed, expiring JSON payload: `<payload>.<mac>`, both base64url. Not encrypted: put no secret in it. */
export function signPayload(key: Buffer, payload: object): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${macOf(key, body)}`;
}

/** The payload of a {@link signPayload} token whose signature holds, or undefined. */
export function readSignedPayload(key: Buffer, token: string): unknown {
  const [body, mac] = token.split('.');
  if (body === undefined || mac === undefined || !constantTimeEqual(macOf(key, body), mac)) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
