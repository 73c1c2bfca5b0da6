import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DaichoError } from '../errors/index.ts';
import { checkValidationPattern } from './validation-pattern.ts';
import { legitimatePatterns } from './validation-patterns.fixture.ts';

// Test-plan row 31: whatever pattern is accepted, validating a 10,000-character value with it
// stays under 50 ms. Patterns come from a small grammar that readily nests quantifiers and
// overlapping alternatives; inputs are long runs of the characters the pattern itself matches,
// with a suffix that makes the match fail (the classic way to force backtracking).
const budgetMs = 50;
const inputLength = 10_000;

// Each atom with the characters it matches, from which the attack strings are built.
const atoms: Record<string, readonly string[]> = {
  'a': ['a'], 'b': ['b'], '1': ['1'], '-': ['-'], ' ': [' '], 'ー': ['ー'], '\\.': ['.'], '.': ['a', '.'],
  '[a-z]': ['a', 'z'], '[ab]': ['a', 'b'], '\\d': ['1'], '\\w': ['a', '_', '1'], '\\s': [' '],
  '[^a]': ['b', '-'], '\\p{L}': ['a', 'ア'], '[ア-ン]': ['ア'], '[\\p{sc=Katakana}ー]': ['ア', 'ー'],
};
// Weighted towards what admins write (mostly plain or fixed counts), but every kind occurs.
const quantifiers = ['', '', '', '', '', '{2}', '{3}', '*', '+', '?', '{1,3}', '{2,}', '*?', '+?', '{0,20}'];
const suffixes = ['!', '\n', 'a', '1'];

const { alternation } = fc.letrec<{ atom: string; group: string; piece: string; sequence: string; alternation: string }>((tie) => ({
  atom: fc.oneof({ depthSize: 'small' }, fc.constantFrom(...Object.keys(atoms)), tie('group')),
  group: fc.tuple(fc.constantFrom('(', '(?:'), tie('alternation')).map(([open, body]) => `${open}${body})`),
  piece: fc.tuple(tie('atom'), fc.constantFrom(...quantifiers)).map(([atom, quantifier]) => atom + quantifier),
  sequence: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((pieces) => pieces.join('')),
  alternation: fc.oneof(tie('sequence'), fc.array(tie('sequence'), { minLength: 2, maxLength: 3 }).map((sequences) => sequences.join('|'))),
}));
const anchor = fc.constantFrom(true, true, true, false);
const generatedPattern = fc.tuple(anchor, alternation, anchor).map(([start, body, end]) => `${start ? '^' : ''}${body}${end ? '$' : ''}`);

/** Runs of single characters and of pairs the pattern matches, each followed by a failing character. */
function attackStrings(pattern: string): string[] {
  const own = new Set(['a']);
  for (const [atom, matched] of Object.entries(atoms)) if (pattern.includes(atom)) for (const character of matched) own.add(character);
  const units = [...own, ...[...own].flatMap((first) => [...own].map((second) => first + second))];
  return units.flatMap((unit) => suffixes.map((suffix) => unit.repeat(Math.ceil((inputLength - 1) / unit.length)).slice(0, inputLength - 1) + suffix));
}

function slowestMatchMs(expression: RegExp, inputs: readonly string[]): number {
  let slowest = 0;
  for (const input of inputs) {
    const started = performance.now();
    expression.test(input);
    slowest = Math.max(slowest, performance.now() - started);
  }
  return slowest;
}

describe('accepted validation patterns stay fast (test-plan row 31)', () => {
  it(`either refuses a generated pattern or matches ${inputLength}-character attack strings in under ${budgetMs} ms`, () => {
    let accepted = 0;
    let acceptedWithNesting = 0;
    fc.assert(
      fc.property(generatedPattern, (pattern) => {
        let expression: RegExp;
        try {
          expression = checkValidationPattern(pattern);
        } catch (error) {
          expect(error).toBeInstanceOf(DaichoError);
          return;
        }
        accepted += 1;
        if (/[*+}][^(]*\)[*+{]/u.test(pattern)) acceptedWithNesting += 1;
        const slowestMs = slowestMatchMs(expression, attackStrings(pattern));
        expect({ pattern, fast: slowestMs < budgetMs }).toEqual({ pattern, fast: true });
      }),
      { numRuns: 1000 },
    );
    // The property means something only if many generated patterns, nested ones among them, pass the check.
    console.info(`timing guard: ${accepted} of 1000 generated patterns accepted, ${acceptedWithNesting} of them with a repeated group containing a repetition`);
    expect(accepted).toBeGreaterThan(100);
    expect(acceptedWithNesting).toBeGreaterThan(0);
  }, 120_000);

  it(`matches attack strings in under ${budgetMs} ms with every legitimate pattern`, () => {
    for (const pattern of legitimatePatterns) {
      expect({ pattern, fast: slowestMatchMs(checkValidationPattern(pattern), attackStrings(pattern)) < budgetMs }).toEqual({ pattern, fast: true });
    }
  });
});
