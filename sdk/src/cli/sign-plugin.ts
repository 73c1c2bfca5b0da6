import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PluginSignature } from '../plugins/contract.ts';
import { createPluginSignature, generateSigningKeyPair } from '../plugins/tools.ts';
import { CliError } from './cli-error.ts';

/**
 * The key files `keygen` wrote.
 *
 * @example
 * const { privateKeyFile, publicKey } = keygen('keys');
 */
export interface KeygenResult {
  privateKeyFile: string;
  publicKeyFile: string;
  /** Base64 raw public key: what a workspace or registry trusts. */
  publicKey: string;
}

/**
 * `daicho-plugin keygen`: writes `<name>.key` (PKCS#8 PEM, mode 0600) and `<name>.pub` (SPKI PEM)
 * into `outDir`, never overwriting a key.
 *
 * @example
 * const { publicKey } = keygen(path.join(os.homedir(), '.daicho'));
 */
export function keygen(outDir: string, name = 'daicho-signing'): KeygenResult {
  const privateKeyFile = path.join(outDir, `${name}.key`);
  const publicKeyFile = path.join(outDir, `${name}.pub`);
  for (const file of [privateKeyFile, publicKeyFile]) {
    if (existsSync(file)) throw new CliError(`${file} exists; refusing to overwrite a key`);
  }
  const pair = generateSigningKeyPair();
  mkdirSync(outDir, { recursive: true });
  // `wx` fails if the file appeared meanwhile; the mode applies at creation, so the key is never world-readable.
  writeFileSync(privateKeyFile, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
  writeFileSync(publicKeyFile, pair.publicKeyPem, { flag: 'wx' });
  return { privateKeyFile, publicKeyFile, publicKey: pair.publicKey };
}

/**
 * `daicho-plugin sign <tgz> --key <file>`: writes `<tgz>.sig.json` and returns the signature.
 *
 * @example
 * signPackage('acme.hello-0.1.0.tgz', 'daicho-signing.key'); // writes acme.hello-0.1.0.tgz.sig.json
 */
export function signPackage(packageFile: string, keyFile: string): { file: string; signature: PluginSignature } {
  if (!existsSync(packageFile)) throw new CliError(`${packageFile} does not exist`);
  if (!existsSync(keyFile)) throw new CliError(`${keyFile} does not exist`);
  let signature: PluginSignature;
  try {
    signature = createPluginSignature(readFileSync(packageFile), readFileSync(keyFile, 'utf8'));
  } catch (error) {
    throw new CliError(`Cannot sign with ${keyFile}: ${(error as Error).message}`);
  }
  const file = `${packageFile}.sig.json`;
  writeFileSync(file, `${JSON.stringify(signature, null, 2)}\n`);
  return { file, signature };
}
