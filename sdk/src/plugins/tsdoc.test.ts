import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// style.md §5: public functions and types carry TSDoc with an @example. This holds the plugin
// SDK (plugins/, testing/, cli/) to it; index files only re-export, contract.ts is the shared seam.
const sdkSrc = path.resolve(import.meta.dirname, '..');
const skipped = /(\.test\.ts|\/index\.ts|\/contract\.ts|\/tools\.ts|\/main\.ts|test-archives\.ts|cli-test-support\.ts)$/u;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !skipped.test(full) ? [full] : [];
  });
}

const declarations = ['plugins', 'testing', 'cli'].flatMap((folder) => sourceFiles(path.join(sdkSrc, folder))).flatMap((file) => {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/^export (?:async )?(?:function|interface|type|class|const) (\w+)/gmu)].map((match) => {
    const before = source.slice(0, match.index).trimEnd();
    const doc = before.endsWith('*/') ? before.slice(before.lastIndexOf('/**')) : '';
    return { name: `${path.relative(sdkSrc, file)} ${match[1]}`, doc };
  });
});

describe('the plugin SDK surface', () => {
  it.each(declarations)('$name has TSDoc with an @example', ({ doc }) => {
    expect(doc).toContain('@example');
  });
});
