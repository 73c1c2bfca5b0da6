// The plugin package: a deterministic gzipped tar (write), a streaming reader with caps (read), and
// its digest and ed25519 signature. Used by the CLI (pack, sign) and core's install.
export { PluginPackageError } from './package-error.ts';
export type { PackageRefusalReason } from './package-error.ts';
export { manifestFileName, unsafePathReason } from './package-path.ts';
export { writePluginPackage } from './write-package.ts';
export type { PluginPackageFiles } from './write-package.ts';
export { defaultPluginPackageLimits, readPackageManifest, readPluginPackage, referencedFiles } from './read-package.ts';
export type { PluginPackageLimits } from './read-package.ts';
export { createPluginSignature, generateSigningKeyPair, sha256Digest, signDigest, verifyPluginSignature } from './signature.ts';
export type { SignatureRefusalReason, SigningKeyPair, VerifyPluginSignatureResult } from './signature.ts';
