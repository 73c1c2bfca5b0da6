import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/plugin-guide/host-api.md is the overview of this folder's surface: every name it exports is there.
const here = import.meta.dirname;
const guide = readFileSync(path.resolve(here, '../../../../docs/plugin-guide/host-api.md'), 'utf8');
const surface = readFileSync(path.join(here, 'index.ts'), 'utf8');
const exported = [...surface.matchAll(/export (?:type )?\{([^}]+)\}/gu)].flatMap((match) => match[1]!.split(',').map((name) => name.trim()));

describe('docs/plugin-guide/host-api.md', () => {
  it.each(exported)('names %s', (name) => {
    expect(guide).toContain(`\`${name}`);
  });
});
