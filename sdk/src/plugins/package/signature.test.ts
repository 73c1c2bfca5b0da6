import { describe, expect, it } from 'vitest';
import { createPluginSignature, generateSigningKeyPair, sha256Digest, signDigest, verifyPluginSignature } from './signature.ts';
import { testManifest } from './test-archives.ts';
import { writePluginPackage } from './write-package.ts';

describe('package signatures', () => {
  const publisher = generateSigningKeyPair();
  const stranger = generateSigningKeyPair();
  const bytes = writePluginPackage({ 'daicho-plugin.json': JSON.stringify(testManifest), 'dist/plugin.js': 'x' });
  const signature = createPluginSignature(bytes, publisher.privateKeyPem);

  it('verifies a package signed by a trusted key', () => {
    expect(signature).toEqual({ digest: sha256Digest(bytes), signature: signDigest(sha256Digest(bytes), publisher.privateKeyPem), publicKey: publisher.publicKey });
    expect(Buffer.from(signature.publicKey, 'base64')).toHaveLength(32);
    expect(verifyPluginSignature(bytes, signature, [stranger.publicKey, publisher.publicKey])).toEqual({ ok: true });
  });

  // Row 16.
  it('refuses a signature with one byte flipped', () => {
    const flipped = Buffer.from(signature.signature, 'base64');
    flipped[10] = flipped[10]! ^ 0x01;
    expect(verifyPluginSignature(bytes, { ...signature, signature: flipped.toString('base64') }, [publisher.publicKey])).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  // Row 17.
  it('refuses an archive changed after signing', () => {
    const appended = new Uint8Array([...bytes, 0]);
    expect(verifyPluginSignature(appended, signature, [publisher.publicKey])).toMatchObject({ ok: false, reason: 'DIGEST_MISMATCH' });
  });

  // Row 18.
  it('refuses a key that is not trusted, even when the signature verifies', () => {
    expect(verifyPluginSignature(bytes, signature, [stranger.publicKey])).toMatchObject({ ok: false, reason: 'UNTRUSTED_KEY' });
    const resigned = createPluginSignature(bytes, stranger.privateKeyPem);
    expect(verifyPluginSignature(bytes, { ...resigned, publicKey: publisher.publicKey }, [publisher.publicKey])).toMatchObject({ ok: false, reason: 'BAD_SIGNATURE' });
  });

  it('refuses malformed signatures', () => {
    for (const bad of [null, {}, { ...signature, digest: 'ABC' }, { ...signature, signature: 'AAAA' }, { ...signature, publicKey: 'AAAA' }]) {
      const trusted = [publisher.publicKey, 'AAAA'];
      expect(verifyPluginSignature(bytes, bad as never, trusted)).toMatchObject({ ok: false, reason: 'MALFORMED_SIGNATURE' });
    }
  });
});
