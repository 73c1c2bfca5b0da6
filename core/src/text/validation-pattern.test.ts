import { describe, expect, it } from 'vitest';
import { DaichoError } from '../errors/index.ts';
import { checkValidationPattern, maxValidationPatternLength, type UnsafePatternReason } from './validation-pattern.ts';
import { evilPatterns, legitimatePatterns } from './validation-patterns.fixture.ts';

function refusal(pattern: string): { reason: UnsafePatternReason; message: string } {
  try {
    checkValidationPattern(pattern);
  } catch (error) {
    expect(error).toBeInstanceOf(DaichoError);
    const { code, status, message, details } = error as DaichoError;
    expect({ code, status }).toEqual({ code: 'UNSAFE_PATTERN', status: 422 });
    return { reason: (details as { reason: UnsafePatternReason }).reason, message };
  }
  throw new Error(`"${pattern}" was accepted`);
}

describe('checkValidationPattern', () => {
  it.each(legitimatePatterns)('accepts the common pattern %s', (pattern) => {
    expect(checkValidationPattern(pattern)).toEqual(new RegExp(pattern, 'u'));
  });

  it.each(evilPatterns)('refuses %s (%s)', (pattern, reason) => {
    expect(refusal(pattern).reason).toBe(reason);
  });

  it('returns a Unicode-mode expression that validates as written', () => {
    const postalCode = checkValidationPattern('^\\d{3}-?\\d{4}$');
    expect(postalCode.flags).toBe('u');
    expect(postalCode.test('123-4567')).toBe(true);
    expect(postalCode.test('1234-567')).toBe(false);
    expect(checkValidationPattern('^[\\p{sc=Katakana}ー]+$').test('カタカナー')).toBe(true);
    expect(checkValidationPattern('^[\\p{sc=Katakana}ー]+$').test('ひらがな')).toBe(false);
  });

  it('refuses patterns invalid in Unicode mode with the engine message (test-plan row 32)', () => {
    for (const pattern of ['(', '[z-a]', 'a{2,1}', '\\p{NoSuchProperty}', '\\-', '\\c', '{1}', 'a**', '(?<n>a)(?<n>b)']) {
      const { reason, message } = refusal(pattern);
      expect(reason).toBe('invalid');
      expect(message).toMatch(/^The pattern is not a valid regular expression in Unicode mode: Invalid regular expression: /u);
    }
  });

  it('names the part that makes matching slow and says when the pattern is unanchored', () => {
    expect(refusal('^(a+)+$').message).toBe(
      'The pattern could take exponential or quadratic time on some inputs (ReDoS): `a+` can match the same text in more than one way inside a repetition (exponential time). Simplify it',
    );
    expect(refusal('^\\d+\\d+$').message).toContain('`\\d+` can give characters to a later repetition');
    expect(refusal('\\d+x').message).toContain('has no leading ^ and can match text of any length');
    expect(refusal('^a?a?a?a?a?a?a?a?a?aaaaaaaaa$').message).toContain('too many optional or alternative parts');
  });

  it(`refuses patterns longer than ${maxValidationPatternLength} characters`, () => {
    const longest = `^${'[A-Z]\\d'.repeat(71)}X$`;
    expect(longest).toHaveLength(maxValidationPatternLength);
    expect(checkValidationPattern(longest)).toBeInstanceOf(RegExp);
    expect(refusal('a'.repeat(maxValidationPatternLength + 1))).toEqual({
      reason: 'tooLong',
      message: 'The pattern has 501 characters; at most 500 are allowed',
    });
  });

  it('keeps the syntax of \\p{…}, classes and escapes apart from groups when looking for constructs', () => {
    expect(checkValidationPattern('^[(?<=]\\(\\?<=\\p{Script=Han}$')).toBeInstanceOf(RegExp);
    expect(checkValidationPattern('^[\\](|)]+$')).toBeInstanceOf(RegExp);
    expect(checkValidationPattern('^(?=\\u{1F600})\\p{Emoji}x$')).toBeInstanceOf(RegExp);
  });
});
