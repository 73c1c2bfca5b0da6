// The version guard: isolated-vm before 7.0.1 lets plugin code reach host objects (GHSA-864f),
// so a runner refuses to start on it. Reading the version needs no native code.
import { createRequire } from 'node:module';
import semver from 'semver';

/** The first isolated-vm release with the GHSA-864f fix. */
export const minimumIsolatedVmVersion = '7.0.1';

/** Throws unless `version` is a valid semver at or above {@link minimumIsolatedVmVersion}. */
export function assertIsolatedVmVersion(version: string): void {
  const valid = semver.valid(version);
  if (valid === null || semver.lt(valid, minimumIsolatedVmVersion)) {
    throw new Error(`isolated-vm ${version} is not safe for plugins; ${minimumIsolatedVmVersion} or later is required`);
  }
}

/** The installed isolated-vm's version, from its package.json. */
export function readIsolatedVmVersion(): string {
  const require = createRequire(import.meta.url);
  const manifest = require('isolated-vm/package.json') as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '';
}
