import type { NormalizeOptions } from '@daicho/sdk';

/** How a text value is normalised: a field's `normalize` options, plus whether the field holds several lines. */
export interface NormalizeTextOptions extends NormalizeOptions {
  /**
   * Multi-line text (longText): line breaks are kept (as `\n`) and trailing spaces are removed from
   * every line. `collapseSpaces` then defaults to false, so indentation survives.
   */
  multiline?: boolean;
}

// C0 and C1 control characters other than the line and space ones (tab, LF, VT, FF, CR, NEL), plus
// U+FEFF (a byte-order mark pasted into the middle of text). PostgreSQL cannot store U+0000 at all.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const controlCharacters = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFEFF]/gu;
// Every line break Unicode knows, CRLF counted once.
const lineBreaks = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/gu;
const spaceRuns = /\s+/gu;
const horizontalSpaceRuns = /[^\S\n]+/gu;
const trailingHorizontalSpace = /[^\S\n]+$/gmu;

/**
 * Normalises text input as a field's options say, in this order: unpaired surrogates become U+FFFD
 * and control characters are removed; Unicode NFKC (full-width letters, digits and punctuation
 * become ASCII, half-width katakana becomes full-width, ① becomes 1, ㈱ becomes (株), the
 * ideographic space U+3000 becomes a space); upper or lower case; line breaks (kept as `\n` in
 * multi-line text, turned into spaces otherwise); runs of whitespace collapsed to one space; and
 * whitespace trimmed from both ends (and from the end of every line). The result is stable:
 * normalising it again changes nothing.
 *
 * @example
 * normalizeText('\u3000ＡＢＣ\u3000ｶﾌﾞｼｷｶﾞｲｼｬ  ㈱ '); // 'ABC カブシキガイシャ (株)'
 * normalizeText('Line one   \r\nLine two', { multiline: true }); // 'Line one\nLine two'
 * normalizeText('Tokyo', { case: 'upper' }); // 'TOKYO'
 */
export function normalizeText(value: string, options: NormalizeTextOptions = {}): string {
  const { nfkc = true, trim = true, multiline = false, case: letterCase = 'none' } = options;
  const collapseSpaces = options.collapseSpaces ?? !multiline;
  let text = value.toWellFormed().replace(controlCharacters, '');
  if (nfkc) text = text.normalize('NFKC');
  if (letterCase !== 'none') {
    text = letterCase === 'lower' ? text.toLowerCase() : text.toUpperCase();
    // Case mapping can produce compatibility characters again (rarely); one more NFKC settles them.
    if (nfkc) text = text.normalize('NFKC');
  }
  if (!multiline) {
    text = text.replace(lineBreaks, ' ');
    if (collapseSpaces) text = text.replace(spaceRuns, ' ');
    return trim ? text.trim() : text;
  }
  text = text.replace(lineBreaks, '\n');
  if (collapseSpaces) text = text.replace(horizontalSpaceRuns, ' ');
  return trim ? text.replace(trailingHorizontalSpace, '').trim() : text;
}
