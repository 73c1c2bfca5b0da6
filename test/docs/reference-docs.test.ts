import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { referencePages } from '../../scripts/reference-docs.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('generated reference pages', () => {
  it.each(Object.entries(referencePages))('%s is current (run `pnpm docs:reference`)', (file, render) => {
    expect(readFileSync(path.join(root, file), 'utf8')).toBe(render());
  });
});
