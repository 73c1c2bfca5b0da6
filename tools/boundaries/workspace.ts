// Reads what the pure rules need from the repository itself: each workspace package's name and
// the keys of its package.json `exports`, so an entry added there is allowed without touching rules.ts.
import fs from 'node:fs';
import path from 'node:path';
import type { PackageExports } from './rules.ts';

const packageDirs = ['sdk', 'core', 'admin-ui'];
const packageGroups = ['plugins', 'examples'];

/** Package name → `exports` keys, for every workspace package under `root` that declares them. */
export function readPackageExports(root: string): PackageExports {
  const dirs = [...packageDirs];
  for (const group of packageGroups) {
    const groupDir = path.join(root, group);
    if (!fs.existsSync(groupDir)) continue;
    for (const entry of fs.readdirSync(groupDir, { withFileTypes: true })) {
      if (entry.isDirectory()) dirs.push(`${group}/${entry.name}`);
    }
  }
  const result: Record<string, readonly string[]> = {};
  for (const dir of dirs) {
    const manifest = readManifest(path.join(root, dir, 'package.json'));
    if (manifest?.name === undefined || manifest.exports === undefined) continue;
    result[manifest.name] = exportKeys(manifest.exports);
  }
  return result;
}

interface Manifest {
  name?: string;
  exports?: unknown;
}

function readManifest(file: string): Manifest | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

function exportKeys(exports: unknown): readonly string[] {
  if (typeof exports === 'string' || Array.isArray(exports)) return ['.'];
  if (exports === null || typeof exports !== 'object') return [];
  const keys = Object.keys(exports);
  // Conditions only ({ "import": …, "default": … }) describe the root entry point.
  return keys.some((key) => key.startsWith('.')) ? keys.filter((key) => key.startsWith('.')) : ['.'];
}
