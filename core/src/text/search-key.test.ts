import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text.ts';
import { searchKey, searchTerms } from './search-key.ts';
import { trickyText } from './tricky-text.fixture.ts';

/** What a user types finds what is stored when the stored key contains every query term. */
const finds = (stored: string, query: string) => searchTerms(query).every((term) => searchKey(stored).includes(term));

describe('searchKey', () => {
  it.each([
    ['アイウ', 'ｱｲｳ', 'half-width katakana'],
    ['アイウ', 'あいう', 'hiragana'],
    ['ガッコウ', 'がっこう', 'hiragana with voiced marks and small kana'],
    ['ヴァイオリン', 'ゔぁいおりん', 'ゔ'],
    ['03-1234-5678', '０３－１２３４', 'full-width digits and hyphen'],
    ['03-1234-5678', '0312345678', 'digits without hyphens'],
    ['0312345678', '03-1234-5678', 'digits with hyphens'],
    ['03−1234−5678', '03-1234', 'the minus sign as a hyphen'],
    ['Daichō CRM', 'daichō crm', 'case'],
    ['DAICHO', 'daicho', 'ASCII case'],
    ['ＡＢＣ株式会社', 'abc', 'full-width letters'],
    ['㈱山田商事', '(株)山田', 'parenthesised ideographs'],
    ['山田 太郎', '山田太郎', 'spaces in the stored text'],
    ['山田太郎', '山田　太郎', 'full-width space in the query (two terms)'],
    ['コーヒー', 'コ－ヒ－', 'full-width hyphen as a long vowel mark'],
    ['コーヒー', 'コ-ヒ-', 'ASCII hyphen as a long vowel mark'],
    ['コーヒー', 'こーひー', 'long vowel mark after hiragana'],
    ['コーヒー', 'ｺｰﾋｰ', 'half-width long vowel mark'],
    ['コ―ヒ―', 'コーヒー', 'the horizontal bar as a long vowel mark'],
    ['ジョン・スミス', 'ジョンスミス', 'the middle dot'],
    ['ジョンスミス', 'ジョン・スミス', 'the middle dot in the query'],
    ['10〜20名', '10~20', 'the wave dash and the tilde'],
    ['10～20名', '10〜20', 'the full-width tilde and the wave dash'],
    ['ABC-123', 'abc123', 'codes without their hyphen'],
    ['e-mail', 'email', 'hyphenated words'],
    ['わ゙', 'ヷ', 'ヷ and わ with a voiced mark'],
  ])('%j is found by %j (%s)', (stored, query) => {
    expect(finds(stored, query)).toBe(true);
  });

  it.each([
    ['ビール', 'ビル', 'the long vowel mark is not dropped after kana'],
    ['ガッコウ', 'カッコウ', 'voiced and unvoiced kana differ'],
    ['アイウ', 'ァィゥ', 'small and large kana differ'],
    ['髙橋', '高橋', 'variant kanji are not folded'],
    ['café', 'cafe', 'accents are kept'],
  ])('%j is not found by %j (%s)', (stored, query) => {
    expect(finds(stored, query)).toBe(false);
  });

  it('gives the keys documented in the reference page', () => {
    expect(searchKey('ｶﾌﾞｼｷｶﾞｲｼｬ ＡＢＣ')).toBe('カブシキガイシャabc');
    expect(searchKey('こーひー')).toBe('コーヒー');
    expect(searchKey('０３－１２３４－５６７８')).toBe('0312345678');
    expect(searchKey('ーアー  -ア')).toBe('アーア');
  });

  it('is idempotent and never contains whitespace', () => {
    fc.assert(
      fc.property(trickyText, (text) => {
        const key = searchKey(text);
        expect(searchKey(key)).toBe(key);
        expect(key).not.toMatch(/\s/u);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps substrings: the key of any part of a normalised text is inside the key of the whole', () => {
    const textAndPart = trickyText
      .map((text) => normalizeText(text, { case: 'lower' }))
      .chain((text) => {
        const points = [...text];
        return fc.tuple(fc.constant(text), fc.nat(points.length), fc.nat(points.length)).map(([whole, a, b]) => [whole, points.slice(Math.min(a, b), Math.max(a, b)).join('')] as const);
      });
    fc.assert(
      fc.property(textAndPart, ([whole, part]) => {
        expect(searchKey(whole)).toContain(searchKey(part));
      }),
      { numRuns: 3000 },
    );
  });

  it('folds hiragana and katakana spellings of the same word together', () => {
    const hiragana = fc.string({ unit: fc.integer({ min: 0x3041, max: 0x3094 }).map((code) => String.fromCodePoint(code)), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(hiragana, (word) => {
        const katakana = [...word].map((character) => String.fromCodePoint(character.codePointAt(0)! + 0x60)).join('');
        expect(searchKey(word)).toBe(searchKey(katakana));
        expect(finds(`お客様: ${katakana}`, word)).toBe(true);
      }),
    );
  });
});

describe('searchTerms', () => {
  it('splits at any whitespace and ・, folds each term, and drops empty and repeated terms', () => {
    expect(searchTerms('山田　ﾀﾛｳ  03-1234')).toEqual(['山田', 'タロウ', '031234']);
    expect(searchTerms(' ジョン・スミス  ジョン ')).toEqual(['ジョン', 'スミス']);
    expect(searchTerms(' - ー ')).toEqual([]);
    expect(searchTerms('')).toEqual([]);
  });

  it('gives terms that are their own keys, so that any of them can be matched with LIKE', () => {
    fc.assert(
      fc.property(trickyText, (query) => {
        for (const term of searchTerms(query)) {
          expect(term).not.toBe('');
          expect(searchKey(term)).toBe(term);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a text by any of its words', () => {
    fc.assert(
      fc.property(fc.array(trickyText, { minLength: 1, maxLength: 5 }), (words) => {
        const stored = words.join(' ');
        for (const word of words) expect(finds(stored, normalizeText(word, { case: 'lower' }))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
