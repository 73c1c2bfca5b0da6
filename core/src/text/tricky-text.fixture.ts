import fc from 'fast-check';

// Characters where Japanese and English business text gets interesting: full- and half-width
// forms, kana with voiced marks, every kind of space, dash and line break, compatibility
// characters, case-mapping oddities, controls and an unpaired surrogate.
const tricky = [
  'Ａ', 'ｚ', '０', '９', '！', '＠', '．', '（', '）', 'ｱ', 'ｶ', 'ﾞ', 'ﾟ', 'ﾊ', 'ｰ', 'ｯ', '･',
  'あ', 'が', 'ゔ', 'ゝ', 'ゞ', 'わ', 'ア', 'ガ', 'ヴ', 'ヷ', 'ヽ', 'ー', '・', '\u3099', '\u309a',
  '①', '㈱', '㍿', '㌔', '™', '½', '²', 'ﬁ', 'ℌ', 'İ', 'ß', 'ǅ', 'Σ', 'é', 'e\u0301', '\u0301',
  ' ', '  ', '\u3000', '\u00a0', '\t', '\n', '\r\n', '\r', '\u2028', '\u0085', '\v', '\f', '\u200b', '\ufeff',
  '-', '－', '―', '‐', '−', '–', '〜', '～', '~', '\u0000', '\u0007', '\u001b', '\u007f', '\u0090', '\ud800',
  '山', '田', '髙', '﨑', '株', 'a', 'B', '3', '@', ',', '"', '=', '+',
];

/** Strings mixing tricky characters with arbitrary code points. */
export const trickyText = fc.string({
  unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...tricky) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }),
  maxLength: 40,
});
