import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { manifestFileName, readPluginPackage, referencedFiles, sha256Digest, writePluginPackage } from '../plugins/tools.ts';
import { buildPlugin } from './build-plugin.ts';
import { CliError } from './cli-error.ts';
import { packageFileName } from './plugin-project.ts';

/**
 * The package `pack` wrote.
 *
 * @example
 * const { file, digest, bytes } = await packPlugin(dir);
 */
export interface PackResult {
  /** Absolute path of the written .tgz. */
  file: string;
  digest: string;
  bytes: Uint8Array;
}

/**
 * `daicho-plugin pack`: builds, then writes `<id>-<version>.tgz` holding the manifest, the bundle,
 * every file the manifest names (definitions, translations, migrations) and README.md, and reads
 * it back with the same checks install makes.
 *
 * @example
 * const { file, digest } = await packPlugin('examples/hello-plugin', 'out');
 */
export async function packPlugin(dir: string, outDir = dir): Promise<PackResult> {
  const { project } = await buildPlugin(dir);
  const files = new Map<string, Uint8Array>();
  for (const file of [manifestFileName, ...referencedFiles(project.manifest), 'README.md']) {
    const full = path.join(dir, file);
    if (!existsSync(full)) {
      if (file === 'README.md') continue;
      throw new CliError(`The manifest names ${file}, which does not exist`);
    }
    files.set(file, readFileSync(full));
  }
  const bytes = writePluginPackage(files);
  await readPluginPackage(bytes); // the same checks as install, before anyone else sees the file
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, packageFileName(project.manifest));
  writeFileSync(file, bytes);
  return { file, digest: sha256Digest(bytes), bytes };
}
