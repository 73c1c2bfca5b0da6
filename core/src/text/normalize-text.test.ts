import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText, type NormalizeTextOptions } from './normalize-text.ts';
import { trickyText } from './tricky-text.fixture.ts';

describe('normalizeText', () => {
  // What NFKC does to Japanese business text: the wanted width folding, and the side effects
  // that docs/reference/normalisation-and-search.md tells admins about.
  it.each([
    ['ＡＢＣ０１２！＠', 'ABC012!@', 'full-width letters, digits and punctuation become ASCII'],
    ['ｱｲｳｶﾞｷﾞﾊﾟｯｰ', 'アイウガギパッー', 'half-width katakana becomes full-width, voiced marks compose'],
    ['①②⑩', '1210', 'circled numbers become digits'],
    ['㈱山田', '(株)山田', 'parenthesised ideographs are spelled out'],
    ['㍿ ㌔ ㍻', '株式会社 キロ 平成', 'squared words are spelled out'],
    ['™ ½ m² ﬁ Ⅳ', 'TM 1⁄2 m2 fi IV', 'symbols, fractions, superscripts, ligatures and roman numerals'],
    ['a\u3000b\u00a0c', 'a b c', 'the ideographic and the no-break space become a space'],
    ['～', '~', 'the full-width tilde becomes ~'],
    ['〜―‐ー', '〜―‐ー', 'the wave dash, dashes and the long vowel mark are kept'],
    ['￥＼', '¥\\', 'the full-width yen sign becomes ¥ (not a backslash)'],
    ['髙﨑', '髙﨑', 'variant kanji are kept'],
  ])('NFKC: %s → %s (%s)', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('trims Unicode spaces and collapses whitespace runs in single-line text', () => {
    expect(normalizeText('\u3000 山田\t\t太郎 \n 様\u00a0')).toBe('山田 太郎 様');
    expect(normalizeText('  a  b  ', { collapseSpaces: false })).toBe('a  b');
    expect(normalizeText('  a  b  ', { trim: false })).toBe(' a b ');
    expect(normalizeText('a\r\nb', { collapseSpaces: false })).toBe('a b');
  });

  it('keeps lines in multi-line text, removing trailing spaces of each line', () => {
    expect(normalizeText('\n  一行目   \r\n\r\n  二行目\u3000\r三行目\n\n', { multiline: true })).toBe('一行目\n\n  二行目\n三行目');
    expect(normalizeText('a    b\t c  \nd', { multiline: true, collapseSpaces: true })).toBe('a b c\nd');
  });

  it('maps case after NFKC, so compatibility capitals are lowered too', () => {
    expect(normalizeText('ＡＢＣ Tokyo ℌ', { case: 'lower' })).toBe('abc tokyo h');
    expect(normalizeText('straße', { case: 'upper' })).toBe('STRASSE');
    expect(normalizeText('ＡＢＣ', { nfkc: false, case: 'lower' })).toBe('ａｂｃ');
  });

  it('removes control characters and byte-order marks, and repairs unpaired surrogates', () => {
    expect(normalizeText('a\u0000b\u0007c\u001b[0m\u007f\u0090d\ufeff')).toBe('abc[0md');
    expect(normalizeText('x\ud800y')).toBe('x\ufffdy');
  });

  it('can leave the text alone apart from controls', () => {
    const untouched: NormalizeTextOptions = { nfkc: false, trim: false, collapseSpaces: false };
    expect(normalizeText(' ＡＢＣ　ｱ ', untouched)).toBe(' ＡＢＣ　ｱ ');
  });

  const optionSets = fc.record(
    {
      nfkc: fc.boolean(),
      trim: fc.boolean(),
      collapseSpaces: fc.boolean(),
      multiline: fc.boolean(),
      case: fc.constantFrom('lower' as const, 'upper' as const, 'none' as const),
    },
    { requiredKeys: [] },
  );

  it('is idempotent under every combination of options', () => {
    fc.assert(
      fc.property(trickyText, optionSets, (text, options) => {
        const once = normalizeText(text, options);
        expect(normalizeText(once, options)).toBe(once);
      }),
      { numRuns: 3000 },
    );
  });

  it('never leaves control characters, and no line breaks in single-line text', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        const single = normalizeText(text);
        // eslint-disable-next-line no-control-regex -- asserting control characters are gone
        expect(single).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u);
        expect(single).toBe(single.trim());
        // eslint-disable-next-line no-control-regex -- asserting control characters are gone
        expect(normalizeText(text, { multiline: true })).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u);
      }),
      { numRuns: 2000 },
    );
  });
});
