// How text compares, in memory exactly as in PostgreSQL: order by code point (collation "C",
// byte order of UTF-8), and case folding of the ASCII letters A-Z only (what lower() and ILIKE
// do under collation "C" on every server, whatever its locale).

/** Negative, zero or positive as `a` sorts before, with or after `b` by code point. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.codePointAt(index)!;
    const right = b.codePointAt(index)!;
    if (left !== right) return left - right;
    if (left > 0xffff) index++;
  }
  return a.length - b.length;
}

export function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

export function asciiUpperCase(text: string): string {
  return text.replace(/[a-z]/g, (letter) => letter.toUpperCase());
}

/** Characters TRIM and VALUE remove at both ends: space, tab, line breaks, ideographic space. */
export const trimmedCharacters = ' \t\n\r\u3000';

export function trimText(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && trimmedCharacters.includes(text[start]!)) start++;
  while (end > start && trimmedCharacters.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/**
 * What VALUE() accepts: optional spaces, an optional sign, digits with an optional decimal point
 * (at most 100 digits each side), optional spaces. The same pattern runs in PostgreSQL
 * (`substring(x from pattern)` returns the first group).
 */
export const numberTextPattern = '^[ \t\n\r\u3000]*([+-]?([0-9]{1,100}([.][0-9]{0,100})?|[.][0-9]{1,100}))[ \t\n\r\u3000]*$';

/** The characters of a text by code point (PostgreSQL counts characters, not UTF-16 units). */
export function codePointsOf(text: string): string[] {
  return Array.from(text);
}

/** Escapes `\`, `%` and `_` for a LIKE pattern (backslash is PostgreSQL's default escape). */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (special) => `\\${special}`);
}
