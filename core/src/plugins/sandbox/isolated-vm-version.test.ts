import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertIsolatedVmVersion, minimumIsolatedVmVersion, readIsolatedVmVersion } from './isolated-vm-version.ts';

describe('the isolated-vm version guard (row 11)', () => {
  it.each(['4.7.2', '5.0.4', '6.0.2', '7.0.0', '7.0.1-beta.1', 'not a version', ''])('refuses %j', (version) => {
    expect(() => assertIsolatedVmVersion(version)).toThrow(/isolated-vm .* is not safe for plugins; 7\.0\.1 or later is required/);
  });

  it.each(['7.0.1', '7.1.0', '8.0.0'])('accepts %s', (version) => {
    expect(() => assertIsolatedVmVersion(version)).not.toThrow();
  });

  it('passes for the installed isolated-vm, read from its package.json', () => {
    expect(minimumIsolatedVmVersion).toBe('7.0.1');
    expect(() => assertIsolatedVmVersion(readIsolatedVmVersion())).not.toThrow();
  });

  it('is loaded only by the runner: no other core module imports isolated-vm', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const importers: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts') && /from 'isolated-vm'|import\('isolated-vm'\)|require\('isolated-vm'\)/.test(fs.readFileSync(file, 'utf8'))) {
          importers.push(path.relative(root, file));
        }
      }
    };
    walk(root);
    expect(importers).toEqual(['plugins/sandbox/plugin-isolate.ts']);
  });

  it('is reached only through the runner: plugin-isolate.ts is imported (not as a type) by plugin-runner.ts alone', () => {
    const importers = fs
      .readdirSync(import.meta.dirname)
      .filter((name) => name.endsWith('.ts') && /(?<!import type [^;]*)['"]\.\/plugin-isolate\.ts['"]/.test(fs.readFileSync(path.join(import.meta.dirname, name), 'utf8')));
    expect(importers).toEqual(['plugin-runner.ts']);
  });

  it('gives isolates source text only: no cached data, snapshot or native module (row 12)', () => {
    const source = fs.readFileSync(path.join(import.meta.dirname, 'plugin-isolate.ts'), 'utf8');
    expect(source).not.toMatch(/cachedData\s*:|produceCachedData|createSnapshot|snapshot\s*:|NativeModule/);
  });
});
