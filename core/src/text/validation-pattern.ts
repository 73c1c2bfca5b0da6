import { isSafePattern, type RedosDetectorResult } from 'redos-detector';
import { DaichoError } from '../errors/index.ts';
import { findUnanalysableConstruct } from './pattern-constructs.ts';

/** The longest validation pattern an admin may save, in UTF-16 code units. */
export const maxValidationPatternLength = 500;

/** Why a validation pattern was refused: `details.reason` of the `UNSAFE_PATTERN` error. */
export type UnsafePatternReason = 'tooLong' | 'invalid' | 'backReference' | 'lookbehind' | 'lookahead' | 'backtracking' | 'tooComplex';

// The analysis explores the ways a pattern can match; these bounds keep one check under a few
// hundred milliseconds on a loaded server. A pattern that needs more is refused as too complex.
const analysis = { unicode: true, maxScore: 200, maxSteps: 2000, timeout: 2000 } as const;

/**
 * Checks a validation pattern an admin wants to save and returns it compiled, or throws
 * `DaichoError('UNSAFE_PATTERN')` whose message says what to change and whose
 * `details.reason` is an {@link UnsafePatternReason}. A pattern is accepted when it:
 * - has at most 500 characters;
 * - compiles in Unicode mode (the `u` flag: `\p{…}` classes, strict escapes), which is how
 *   records are validated; the engine's own message is reported otherwise;
 * - uses no back-reference and no look-behind, and look-ahead only at the start of a pattern
 *   anchored with `^`, outside any repetition (elsewhere each costs a scan per position);
 * - cannot backtrack catastrophically: the redos-detector analysis must find at most 200 ways to
 *   match any input, both for the pattern as written (searched anywhere in the value) and for it
 *   anchored at both ends (so that a failing end cannot force exponential retries). Nested
 *   quantifiers such as `(a+)+`, overlapping alternatives under a repetition such as `(a|ab)*`,
 *   and adjacent overlapping repetitions such as `\d+\d+` fail here. When the analysis cannot
 *   finish within its bounds, the pattern is refused as too complex: admins can simplify.
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
  const construct = findUnanalysableConstruct(pattern);
  if (construct) throw unsafe(construct.reason, construct.message);
  for (const analysed of [pattern, `^(?:${pattern})$`]) {
    let result: RedosDetectorResult;
    try {
      result = isSafePattern(analysed, analysis);
    } catch (error) {
      throw unsafe('tooComplex', `The pattern uses syntax the safety check cannot analyse (${(error as Error).message}); simplify it`);
    }
    if (!result.safe) throw backtrackingError(result);
  }
  return compiled;
}

function backtrackingError(result: RedosDetectorResult): DaichoError {
  const unfinished = result.error === 'hitMaxSteps' || result.error === 'timedOut';
  if (unfinished && result.trails.length === 0) {
    return unsafe('tooComplex', 'The pattern is too complex to prove safe against slow matching; simplify it (fewer alternatives and optional parts)');
  }
  // The analysis of an unanchored pattern adds an implicit [^]*? in front: the search start.
  const implicitStart = '[^]*?';
  const repetitions = new Set<string>();
  for (const entry of result.trails[0]?.trail ?? []) {
    for (const side of [entry.a, entry.b]) for (const iteration of side.quantifierIterations) repetitions.add(iteration.node.source);
  }
  const searched = repetitions.delete(implicitStart) ? ' (it has no leading ^, so it is tried at every position)' : '';
  const named = [...repetitions].slice(0, 3).map((source) => `\`${source}\``).join(', ');
  return unsafe(
    'backtracking',
    `The pattern can take exponential or polynomial time on some inputs (ReDoS)${named ? `: ${named} can match the same text in more than one way` : ''}${searched}; ` +
      'avoid nested or adjacent repetitions that can match the same characters',
  );
}

function unsafe(reason: UnsafePatternReason, message: string): DaichoError {
  return new DaichoError('UNSAFE_PATTERN', message, { details: { reason } });
}
