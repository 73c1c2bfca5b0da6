import type { UnsafePatternReason } from './validation-pattern.ts';

// Patterns admins really use for validation; each must be accepted.
export const legitimatePatterns: readonly string[] = [
  '^\\d{3}-?\\d{4}$', // 郵便番号
  '^T\\d{13}$', // 適格請求書発行事業者の登録番号
  '^\\d{13}$', // 法人番号
  '^[A-Z]{2,3}-\\d{4,6}$', // product code
  '^PRD-[0-9]{5}(-[A-Z])?$',
  '^(ABC|DEF|GHI)-\\d{3}$',
  '^[\\p{sc=Katakana}ー]+$', // katakana only
  '^[\\p{Script=Katakana}ー・\\s]+$',
  '^[ァ-ヶー　]+$',
  '^[\\p{sc=Hiragana}ー]+$',
  '^\\p{Script=Han}+$',
  '^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$', // e-mail-ish
  '^[\\w.+-]+@[\\w-]+(\\.[\\w-]+)+$',
  '^0\\d{1,4}-\\d{1,4}-\\d{4}$', // phone
  '^\\+?[0-9-]{10,15}$',
  '^\\d+(\\.\\d{1,2})?$', // amount
  '^-?\\d{1,9}$',
  '^[A-Za-z0-9]{8,20}$',
  '^[a-z][a-z0-9_]{2,29}$',
  '^https?://\\S+$',
  '^\\d{4}-\\d{2}-\\d{2}$',
  '^([01]\\d|2[0-3]):[0-5]\\d$',
  '^[^<>]*$',
  '^(?=.*\\d)(?=.*[a-z]).{8,}$',
  '株式会社',
  'ABC',
  '^$',
];

// Patterns with catastrophic (exponential or polynomial) backtracking, or constructs the
// analysis cannot vouch for; each must be refused.
export const evilPatterns: readonly [string, UnsafePatternReason][] = [
  ['^(a+)+$', 'backtracking'],
  ['(a|a)*', 'backtracking'],
  ['^(a|a)*$', 'backtracking'],
  ['^(ab|a)*c$', 'backtracking'],
  ['(a|ab)*c', 'backtracking'],
  ['(\\w+\\s?)*$', 'backtracking'],
  ['^(a|aa)+$', 'backtracking'],
  ['^(a*)*$', 'backtracking'],
  ['^(\\d+)*$', 'backtracking'],
  ['(x+x+)+y', 'backtracking'],
  ['^(.*a){12}$', 'backtracking'],
  ['^(a?){25}a{25}$', 'backtracking'],
  ['(a{1,100}){1,100}$', 'backtracking'],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', 'backtracking'], // OWASP example
  ['^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$', 'backtracking'], // OWASP e-mail
  ['^\\s*(\\S+\\s*)*$', 'backtracking'],
  ['^(\\s*,\\s*)*$', 'backtracking'],
  ['^\\d+\\d+$', 'backtracking'], // polynomial
  ['^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$', 'backtracking'], // quadratic on a@.........
  ['\\d+x', 'backtracking'], // quadratic: tried at every position
  ['\\s+$', 'backtracking'],
  ['(\\w)\\1', 'backReference'],
  ['^(?<first>\\w+)-\\k<first>$', 'backReference'],
  ['(?<=\\d+)円', 'lookbehind'],
  ['(?<!a)b', 'lookbehind'],
  ['(?=.*x)', 'lookahead'],
  ['^a*(?=.*x)', 'lookahead'],
  ['^(?:(?=.*x)a)*$', 'lookahead'],
  ['^(?=.*x)a|b', 'lookahead'],
  ['^(?=(?=a)a)', 'lookahead'],
  ['^(?i:a)$', 'unsupported'],
  ['^a?a?a?a?a?a?a?a?a?aaaaaaaaa$', 'backtracking'],
  ['^(?:a|b|ab)+$', 'backtracking'],
  ['^(\\d|\\d\\d)+$', 'backtracking'],
  ['^.*.*=.*$', 'backtracking'],
  ['^(a*b?)*$', 'backtracking'],
  ['\\d+', 'backtracking'],
];
