import { writeSync } from 'node:fs';
import fc from 'fast-check';
import { checkValidationPattern } from './validation-pattern.ts';
const atoms = ['a','b','1','-',' ','ー','\\.','.','[a-z]','[ab]','\\d','\\w','\\s','[^a]','\\p{L}','[ア-ン]','[\\p{sc=Katakana}ー]'];
const quantifiers = ['', '', '', '', '', '{2}', '{3}', '*', '+', '?', '{1,3}', '{2,}', '*?', '+?', '{0,20}'];
const { alternation } = fc.letrec<{ atom: string; group: string; piece: string; sequence: string; alternation: string }>((tie) => ({
  atom: fc.oneof({ depthSize: 'small' }, fc.constantFrom(...atoms), tie('group')),
  group: fc.tuple(fc.constantFrom('(', '(?:'), tie('alternation')).map(([open, body]) => `${open}${body})`),
  piece: fc.tuple(tie('atom'), fc.constantFrom(...quantifiers)).map(([atom, quantifier]) => atom + quantifier),
  sequence: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join('')),
  alternation: fc.oneof(tie('sequence'), fc.array(tie('sequence'), { minLength: 2, maxLength: 3 }).map((sequences) => sequences.join('|'))),
}));
const anchor = fc.constantFrom(true, true, true, false);
const gen = fc.tuple(anchor, alternation, anchor).map(([s, b, e]) => `${s ? '^' : ''}${b}${e ? '$' : ''}`);
const samples = fc.sample(gen, { numRuns: 200, seed: 1 });
let i = 0;
for (const p of samples) {
  i++;
  (globalThis as any).gc();
  const before = process.memoryUsage().heapUsed / 1e6;
  const t = performance.now();
  try { checkValidationPattern(p); } catch {}
  (globalThis as any).gc();
  writeSync(1, `${i} ${(performance.now()-t).toFixed(0)}ms heap ${before.toFixed(0)} -> ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} len ${p.length}\n`);
}
