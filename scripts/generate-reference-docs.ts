// `pnpm docs:reference`: rewrites the generated reference pages.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { referencePages } from './reference-docs.ts';

const root = path.resolve(import.meta.dirname, '..');
for (const [file, render] of Object.entries(referencePages)) {
  writeFileSync(path.join(root, file), render());
  console.log(`wrote ${file}`);
}
