import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { PluginSignature } from '../contract.ts';

/**
 * The package digest: lower-case hex sha256 of the archive bytes.
 *
 * @example
 * sha256Digest(new Uint8Array()); // 'e3b0c442…b855'
 */
export function sha256Digest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Signs a digest (hex) with an ed25519 private key (PKCS#8 PEM); returns the base64 signature over
 * the digest's 32 raw bytes.
 *
 * @example
 * const signature = signDigest(sha256Digest(bytes), readFileSync('daicho-signing.key', 'utf8'));
 */
export function signDigest(digest: string, privateKeyPem: string): string {
  return sign(null, digestBytes(digest), createPrivateKey(privateKeyPem)).toString('base64');
}

/**
 * An ed25519 key pair for signing packages. `publicKey` is what registries and install trust.
 *
 * @example
 * const pair: SigningKeyPair = generateSigningKeyPair(); trustedKeys.push(pair.publicKey);
 */
export interface SigningKeyPair {
  /** PKCS#8 PEM; keep it secret (the CLI writes it with mode 0600). */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  /** Base64 of the raw 32-byte public key, as in {@link PluginSignature.publicKey}. */
  publicKey: string;
}

/**
 * Generates an ed25519 signing key pair.
 *
 * @example
 * const { privateKeyPem, publicKey } = generateSigningKeyPair();
 */
export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey: rawPublicKey(publicKey),
  };
}

/**
 * Signs package bytes: the detached signature written next to the package as `<tgz>.sig.json`.
 *
 * @example
 * writeFileSync(`${tgz}.sig.json`, JSON.stringify(createPluginSignature(bytes, privateKeyPem), null, 2));
 */
export function createPluginSignature(bytes: Uint8Array, privateKeyPem: string): PluginSignature {
  const digest = sha256Digest(bytes);
  const privateKey = createPrivateKey(privateKeyPem);
  return { digest, signature: sign(null, digestBytes(digest), privateKey).toString('base64'), publicKey: rawPublicKey(createPublicKey(privateKey)) };
}

/**
 * Why a signature was refused.
 *
 * @example
 * if (!result.ok && result.reason === 'UNTRUSTED_KEY') askTheAdminToTrust(signature.publicKey);
 */
export type SignatureRefusalReason = 'MALFORMED_SIGNATURE' | 'DIGEST_MISMATCH' | 'UNTRUSTED_KEY' | 'BAD_SIGNATURE';

/**
 * `{ ok: true }`, or why the signature was refused.
 *
 * @example
 * const result: VerifyPluginSignatureResult = verifyPluginSignature(bytes, signature, trusted); if (!result.ok) console.error(result.reason);
 */
export type VerifyPluginSignatureResult = { ok: true } | { ok: false; reason: SignatureRefusalReason; message: string };

/**
 * Verifies a package against its detached signature, in this order: the signature is well formed;
 * the archive's sha256 equals `signature.digest` (an archive changed after signing); the signer's
 * key is one of `trustedPublicKeys` (base64 raw ed25519 keys); the ed25519 signature over the
 * digest's raw bytes verifies. The host maps a refusal to `PLUGIN_SIGNATURE_INVALID`.
 *
 * @example
 * const result = verifyPluginSignature(bytes, signature, workspace.trustedKeys);
 * if (!result.ok) throw new PluginSignatureError(result.reason, result.message);
 */
export function verifyPluginSignature(bytes: Uint8Array, signature: PluginSignature, trustedPublicKeys: readonly string[]): VerifyPluginSignatureResult {
  const refuse = (reason: SignatureRefusalReason, message: string): VerifyPluginSignatureResult => ({ ok: false, reason, message });
  if (
    typeof signature !== 'object' || signature === null ||
    typeof signature.digest !== 'string' || !/^[0-9a-f]{64}$/u.test(signature.digest) ||
    typeof signature.signature !== 'string' || typeof signature.publicKey !== 'string'
  ) {
    return refuse('MALFORMED_SIGNATURE', 'The signature is not { digest: hex sha256, signature: base64, publicKey: base64 }');
  }
  if (sha256Digest(bytes) !== signature.digest) return refuse('DIGEST_MISMATCH', 'The package does not match the signed digest: it changed after signing');
  if (!trustedPublicKeys.includes(signature.publicKey)) return refuse('UNTRUSTED_KEY', 'The package is signed by a key that is not trusted');
  let publicKey: KeyObject;
  const raw = Buffer.from(signature.publicKey, 'base64');
  const signatureBytes = Buffer.from(signature.signature, 'base64');
  if (raw.length !== 32 || signatureBytes.length !== 64) return refuse('MALFORMED_SIGNATURE', 'The public key or the signature has the wrong length');
  try {
    publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  } catch {
    return refuse('MALFORMED_SIGNATURE', 'The public key is not an ed25519 key');
  }
  return verify(null, digestBytes(signature.digest), publicKey, signatureBytes) ? { ok: true } : refuse('BAD_SIGNATURE', 'The signature does not verify');
}

function digestBytes(digest: string): Buffer {
  if (!/^[0-9a-f]{64}$/u.test(digest)) throw new Error('A digest is 64 lower-case hex characters');
  return Buffer.from(digest, 'hex');
}

function rawPublicKey(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url').toString('base64');
}
