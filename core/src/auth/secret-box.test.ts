import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveKey, openSecret, readSignedPayload, sealSecret, signPayload } from './secret-box.ts';

describe('secret box', () => {
  const master = randomBytes(32);
  const key = deriveKey(master, 'totp-secret');

  it('derives a different key for each purpose and each master key', () => {
    expect(key.equals(deriveKey(master, 'csrf'))).toBe(false);
    expect(key.equals(deriveKey(randomBytes(32), 'totp-secret'))).toBe(false);
    expect(key.equals(deriveKey(master, 'totp-secret'))).toBe(true);
  });

  it('encrypts with AES-256-GCM: a fresh IV each time, opened only with the same key and context', () => {
    const secret = Buffer.from('12345678901234567890');
    const sealed = sealSecret(key, secret, 'totp:user-1');
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain(secret.toString('base64url'));
    expect(sealSecret(key, secret, 'totp:user-1')).not.toBe(sealed);
    expect(openSecret(key, sealed, 'totp:user-1')).toEqual(secret);
    expect(openSecret(key, sealed, 'totp:user-2')).toBeUndefined();
    expect(openSecret(deriveKey(randomBytes(32), 'totp-secret'), sealed, 'totp:user-1')).toBeUndefined();
    const [version, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(openSecret(key, [version, iv, tag, flipped.toString('base64url')].join('.'), 'totp:user-1')).toBeUndefined();
    expect(openSecret(key, 'garbage', 'totp:user-1')).toBeUndefined();
  });

  it('signs payloads that cannot be altered or signed with another key', () => {
    const token = signPayload(key, { userId: 'u1', expiresAt: 1 });
    expect(readSignedPayload(key, token)).toEqual({ userId: 'u1', expiresAt: 1 });
    const [body, mac] = token.split('.');
    const altered = Buffer.from(JSON.stringify({ userId: 'u2', expiresAt: 1 })).toString('base64url');
    expect(readSignedPayload(key, `${altered}.${mac}`)).toBeUndefined();
    expect(readSignedPayload(deriveKey(master, 'csrf'), token)).toBeUndefined();
    expect(readSignedPayload(key, body!)).toBeUndefined();
  });
});
