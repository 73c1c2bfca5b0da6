import { describe, expect, it } from 'vitest';
import { asciiLowerCase, compareCodePoints, escapeLikePattern, trimText } from './text-rules.ts';

describe('text rules', () => {
  it('orders by code point, as UTF-8 bytes (collation "C") do, not by UTF-16 unit', () => {
    const sorted = ['😀', '\uffff', 'a', 'B', '', 'ab', 'é'].sort(compareCodePoints);
    expect(sorted).toEqual(['', 'B', 'a', 'ab', 'é', '\uffff', '😀']);
    expect('😀' < '\uffff').toBe(true); // what plain JavaScript comparison would say
  });

  it('folds only A-Z', () => {
    expect(asciiLowerCase('ÄBC Straße İ')).toBe('Äbc straße İ');
  });

  it('escapes LIKE specials with backslashes', () => {
    expect(escapeLikePattern('50%_off\\')).toBe('50\\%\\_off\\\\');
  });

  it('trims spaces, tabs, line breaks and ideographic spaces', () => {
    expect(trimText('\u3000\t x y \r\n')).toBe('x y');
  });
});
