import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PluginManifest } from '../plugins/contract.ts';
import { checkPluginManifest, manifestFileName, validatePluginManifest } from '../plugins/tools.ts';
import { CliError } from './cli-error.ts';

/**
 * A plugin's source folder, with its manifest validated and its contributed objects read.
 *
 * @example
 * const { manifest, objects } = loadPluginProject('examples/hello-plugin');
 */
export interface PluginProject {
  dir: string;
  manifest: PluginManifest;
  /** Contributed object definitions, by their path in the package (and the project). */
  objects: Map<string, unknown>;
}

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Reads and checks `daicho-plugin.json` in `dir`: the schema, then the semantic checks with the
 * contributed object files read from disk. Throws a CliError listing every problem.
 *
 * @example
 * const project = loadPluginProject(process.cwd());
 */
export function loadPluginProject(dir: string): PluginProject {
  const manifestPath = path.join(dir, manifestFileName);
  if (!existsSync(manifestPath)) throw new CliError(`No ${manifestFileName} in ${dir}; run daicho-plugin init, or pass --dir`);
  const result = validatePluginManifest(readJson(manifestPath, manifestFileName));
  if (!result.ok) throw new CliError(`${manifestFileName} is invalid`, result.problems.map((p) => `${p.path || '/'}: ${p.message}`));
  const manifest = result.manifest;
  const objects = new Map<string, unknown>();
  for (const file of manifest.contributes?.objects ?? []) {
    const full = path.join(dir, file);
    if (existsSync(full)) objects.set(file, readJson(full, file));
  }
  const problems = checkPluginManifest(manifest, objects);
  if (problems.length > 0) throw new CliError(`${manifestFileName} is invalid`, problems.map((p) => `${p.path || '/'}: ${p.message}`));
  return { dir, manifest, objects };
}

/**
 * The package file name `pack` writes: `<id>-<version>.tgz`.
 *
 * @example
 * packageFileName(manifest); // 'acme.hello-0.1.0.tgz'
 */
export function packageFileName(manifest: PluginManifest): string {
  return `${manifest.id}-${manifest.version}.tgz`;
}
