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
const samples = fc.sample(gen, { numRuns: 200, seed: Number(process.argv[2] ?? 1) });
let acc = 0;
for (const p of samples) {
  const vq = (p.match(/[*+?]|\{\d+,\d*\}/g) ?? []).length; writeSync(1, `# ${vq} ${p.length} ${p}\n`);
  const t = performance.now(); const m0 = process.memoryUsage().rss;
  let res = 'ok'; try { checkValidationPattern(p); acc++; } catch (e) { res = (e as any).details?.reason; }
  const dt = performance.now() - t; const dm = (process.memoryUsage().rss - m0) / 1e6;
  if (dt > 300 || dm > 50) console.log('SLOW vq=' + vq, dt.toFixed(0) + 'ms', dm.toFixed(0) + 'MB', res, p.length, p.slice(0, 120));
}
console.log('accepted', acc, 'lengths', samples.map(s => s.length).sort((a,b)=>a-b).slice(-5));
