import { normalizeText } from './normalize-text.ts';

// Hiragana that have a katakana twin 0x60 code points further on: ぁ–ゖ and the iteration marks ゝゞ.
const isFoldableHiragana = (code: number) => (code >= 0x3041 && code <= 0x3096) || code === 0x309d || code === 0x309e;
// Kana (and the long vowel mark itself) after which a dash is read as a long vowel mark.
const isKana = (code: number) => (code >= 0x3041 && code <= 0x30ff) || (code >= 0x31f0 && code <= 0x31ff);
// Hyphens, dashes, the minus sign and the katakana prolonged sound mark (after NFKC, which already
// turned － into - and ｰ into ー). Which of them a writer picked is noise for search.
const dashes = new Set(['-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2043', '\u2212', '\u2e3a', '\u2e3b', '\ufe58', '\u30fc']);
// Wave dash and its look-alikes (〜 and ～ are the classic Shift_JIS / Windows mix-up).
const waves = new Set(['~', '\u301c', '\u3030', '\u223c']);
// Word separators: whitespace and the katakana middle dot of ジョン・スミス.
const separator = /[\s\u30fb\u00b7]/u;
// Characters that combine with the one before them (combining marks such as the kana voiced
// marks, Hangul vowel and final jamo). Kept only after a kept character: when what they followed
// is dropped, they would otherwise compose with something else and the key would not be stable.
const combining = /^[\p{M}\u1160-\u11ff\ud7b0-\ud7ff]$/u;

/**
 * Folds text into the key that global search stores and matches, so that spelling variants meet:
 * NFKC (full-width and half-width forms, ① → 1, ㈱ → (株)), lower case, hiragana as katakana
 * (あいう and アイウ match), whitespace and ・ removed (山田 太郎 matches 山田太郎), every dash and
 * the long vowel mark read as ー after kana (コーヒー, コ－ヒ－ and コ-ヒ- match) and dropped
 * elsewhere (03-1234-5678 matches 0312345678, ABC-123 matches ABC123), and 〜 ～ ~ as `~`.
 * The folding is pure and deterministic, and folding a key again changes nothing. A key never
 * contains a line break, so keys of several fields joined with `\n` do not run into each other.
 *
 * @example
 * searchKey('ｶﾌﾞｼｷｶﾞｲｼｬ ＡＢＣ'); // 'カブシキガイシャabc'
 * searchKey('こーひー'); // 'コーヒー'
 * searchKey('０３－１２３４－５６７８'); // '0312345678'
 */
export function searchKey(text: string): string {
  const normalized = normalizeText(text, { case: 'lower' });
  let key = '';
  // Whether the text so far ends in kana (or in dashes that follow kana): then a dash is ー.
  let afterKana = false;
  let previousKept = false;
  for (const character of normalized) {
    const code = character.codePointAt(0)!;
    let kept = true;
    if (separator.test(character)) {
      afterKana = false;
      kept = false;
    } else if (dashes.has(character)) {
      if (afterKana) key += 'ー';
      else kept = false;
    } else if (combining.test(character) && !previousKept) {
      kept = false;
    } else {
      key += waves.has(character) ? '~' : foldKana(code, character);
      afterKana = isKana(code);
    }
    previousKept = kept;
  }
  return key;
}

function foldKana(code: number, character: string): string {
  if (isFoldableHiragana(code)) return String.fromCodePoint(code + 0x60);
  // ヷヸヹヺ have no precomposed hiragana twin (わ゙ stays two characters under NFKC): keep them
  // decomposed so that both spellings give the same key, and folding a key again changes nothing.
  if (code >= 0x30f7 && code <= 0x30fa) return String.fromCodePoint(code - 8, 0x3099);
  return character;
}

/**
 * Splits what a user typed into a search box into folded terms (see {@link searchKey}): at
 * whitespace (full-width too) and ・, empty and repeated terms dropped. A record matches when its
 * key contains every term.
 *
 * @example
 * searchTerms('山田\u3000ﾀﾛｳ  03-1234'); // ['山田', 'タロウ', '031234']
 */
export function searchTerms(query: string): string[] {
  const words = normalizeText(query, { case: 'lower' }).split(/[\s\u30fb\u00b7]+/u);
  return [...new Set(words.map(searchKey).filter((term) => term !== ''))];
}
