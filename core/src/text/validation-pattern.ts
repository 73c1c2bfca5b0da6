import { RegExpParser } from '@eslint-community/regexpp';
import { DaichoError } from '../errors/index.ts';
import { findAmbiguity } from './pattern-ambiguity.ts';
import { findUnanalysableConstruct } from './pattern-constructs.ts';

/** The longest validation pattern an admin may save, in UTF-16 code units. */
export const maxValidationPatternLength = 500;

/** Why a validation pattern was refused: `details.reason` of the `UNSAFE_PATTERN` error. */
export type UnsafePatternReason = 'tooLong' | 'invalid' | 'backReference' | 'lookbehind' | 'lookahead' | 'unsupported' | 'backtracking';

const parser = new RegExpParser({ ecmaVersion: 2025 });

/**
 * Checks a validation pattern an admin wants to save and returns it compiled, or throws
 * `DaichoError('UNSAFE_PATTERN')` whose message says what to change and whose `details.reason`
 * is an {@link UnsafePatternReason}. A pattern is accepted when it:
 * - has at most 500 characters;
 * - compiles in Unicode mode (the `u` flag: `\p{…}` classes, strict escapes), which is how
 *   records are validated; the engine's own message is reported otherwise;
 * - uses no back-reference, look-behind or inline modifier, and look-ahead only right after a
 *   leading `^`;
 * - cannot backtrack catastrophically. The check is strict: it proves that matching takes linear
 *   time, allowing only a bounded number of ambiguous places, and refuses what it cannot prove.
 *   Nested repetitions such as `(a+)+`, overlapping alternatives under a repetition such as
 *   `(a|ab)*`, adjacent overlapping repetitions such as `\d+\d+`, and unanchored patterns that
 *   can match unboundedly long text such as `\d+x` are refused. The analysis itself takes time
 *   linear in the pattern's size (plus a one-off table per `\p{…}` property).
 *
 * The returned expression is already warmed up (see the end of the function): validate with it
 * (for Ajv, through its `code.regExp` option) rather than compiling the pattern again.
 *
 * @example
 * checkValidationPattern('^\\d{3}-?\\d{4}$').test('123-4567'); // true
 * checkValidationPattern('^(a+)+$'); // throws UNSAFE_PATTERN (reason 'backtracking')
 */
export function checkValidationPattern(pattern: string): RegExp {
  if (pattern.length > maxValidationPatternLength) {
    throw unsafe('tooLong', `The pattern has ${pattern.length} characters; at most ${maxValidationPatternLength} are allowed`);
  }
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, 'u');
  } catch (error) {
    throw unsafe('invalid', `The pattern is not a valid regular expression in Unicode mode: ${(error as Error).message}`);
  }
  const tree = parser.parsePattern(pattern, 0, pattern.length, { unicode: true });
  const construct = findUnanalysableConstruct(tree);
  if (construct) throw unsafe(construct.reason, construct.message);
  const ambiguity = findAmbiguity(tree);
  if (ambiguity) {
    throw unsafe('backtracking', `The pattern could take exponential or quadratic time on some inputs (ReDoS): ${ambiguity.message}. Simplify it`);
  }
  // V8 first runs an expression in its bytecode interpreter, separately for one-byte and
  // two-byte strings; with \p{…} classes that first run over a long value can take 200 ms. One
  // short run of each kind moves the expression to compiled code before any real value meets it.
  compiled.test('a');
  compiled.test('ア');
  return compiled;
}

function unsafe(reason: UnsafePatternReason, message: string): DaichoError {
  return new DaichoError('UNSAFE_PATTERN', message, { details: { reason } });
}
