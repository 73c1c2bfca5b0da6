import type { NormalizeResult } from './normalize-result.ts';
import { normalizeText } from './normalize-text.ts';
import { nationalSignificantNumber, phoneCountryByCallingCode, phoneCountryOf, type PhoneCountry } from './phone-countries.ts';

/** Why a value is not a phone number we accept. */
export type PhoneProblem = 'empty' | 'invalidCharacters' | 'tooShort' | 'tooLong';

interface ParsedPhone {
  /** `+` and digits when we could tell the country, otherwise the digits as written. */
  number: string;
  /** The country the number was understood in, when it is in E.164 form and we know that country. */
  country?: PhoneCountry;
  nationalNumber?: string;
  extension?: string;
}

const maxInputLength = 64;
// E.164 allows at most 15 digits, calling code included; no national number is longer.
const maxDigits = 15;
const minDigits = 3;
// The shortest numbers in use internationally (some small island nations) have 7 digits.
const minInternationalDigits = 7;
// 内線 / 内 / ext / ext. / extension / x (or our own ;ext=), then the extension digits, at the
// very end, optionally in brackets. The text is already NFKC-normalised: （内線１２）is (内線12).
const extensionSuffix = / ?\(? ?(?:内線|内|extension|ext\.?|x|;ext=) ?[:.]? ?(\d{1,10}) ?\)?$/iu;
// What may appear between the digits: spaces, brackets, dots, slashes and every dash, including
// the katakana prolonged sound mark that Japanese IMEs often type instead of a hyphen.
const separators = /[\s()./\-\u2010-\u2015\u2212\u30FC\uFE58\uFE63]/gu;

/**
 * Normalises a phone number to one canonical string, so that the same number written different
 * ways compares equal. A number we can interpret becomes E.164 (`+81312345678`): one written with
 * `+` or an international prefix (`010` from Japan, `00`, `011`), or one written the national way
 * for `defaultCountry` when that country is one we know (JP, US, CA, GB, AU, KR, TW, SG, HK).
 * Anything else keeps its digits only (`110`, `12345678`). An extension written as `内線 123`,
 * `ext. 123` or `x123` at the end becomes `;ext=123` (RFC 3966). Letters anywhere else are a problem.
 *
 * @example
 * normalizePhone('０３－１２３４－５６７８'); // { ok: true, value: '+81312345678' }
 * normalizePhone('+81 (0)3-1234-5678 内線 12'); // { ok: true, value: '+81312345678;ext=12' }
 * normalizePhone('(415) 555-0100', 'US'); // { ok: true, value: '+14155550100' }
 * normalizePhone('03-1234-ABCD'); // { ok: false, value: '03-1234-ABCD', problem: 'invalidCharacters' }
 */
export function normalizePhone(value: string, defaultCountry = 'JP'): NormalizeResult<PhoneProblem> {
  const text = normalizeText(value);
  const parsed = parsePhone(text, defaultCountry);
  if (typeof parsed === 'string') return { ok: false, value: text, problem: parsed };
  return { ok: true, value: parsed.extension === undefined ? parsed.number : `${parsed.number};ext=${parsed.extension}` };
}

/**
 * The digits a phone number is searched by: for a number of `defaultCountry`, the national form
 * people type (`0312345678` for `+81312345678`), otherwise every digit of the number. Extensions
 * are left out. Unreadable input gives its digits, or an empty string.
 *
 * @example
 * phoneSearchKey('+81312345678'); // '0312345678'
 * phoneSearchKey('03-1234-5678 内線 12'); // '0312345678'
 * phoneSearchKey('+1 415 555 0100'); // '14155550100'
 */
export function phoneSearchKey(value: string, defaultCountry = 'JP'): string {
  const text = normalizeText(value);
  const parsed = parsePhone(text, defaultCountry);
  if (typeof parsed === 'string') return text.replace(/\D/gu, '');
  const home = phoneCountryOf(defaultCountry);
  if (home && parsed.country === home && parsed.nationalNumber !== undefined) {
    return (home.trunkPrefixOptional ? '' : home.trunkPrefix) + parsed.nationalNumber;
  }
  return parsed.number.replace(/\D/gu, '');
}

function parsePhone(text: string, defaultCountry: string): ParsedPhone | PhoneProblem {
  if (text === '') return 'empty';
  if (text.length > maxInputLength) return 'tooLong';
  const extension = extensionSuffix.exec(text);
  let main = extension ? text.slice(0, extension.index) : text;
  const written = main.startsWith('+');
  // "+81 (0)3-…": the bracketed trunk prefix is for callers at home and is not dialled from abroad.
  if (written) main = main.slice(1).replace(/\(0\)/gu, '');
  if (/[^\d]/u.test(main.replace(separators, ''))) return 'invalidCharacters';
  let digits = main.replace(/\D/gu, '');
  if (digits.length < minDigits) return 'tooShort';
  if (digits.length > maxDigits) return 'tooLong';
  const home = phoneCountryOf(defaultCountry);
  let international = written;
  if (!written && home && digits.startsWith(home.internationalPrefix)) {
    digits = digits.slice(home.internationalPrefix.length);
    international = true;
  }
  const withExtension = (parsed: ParsedPhone): ParsedPhone => (extension ? { ...parsed, extension: extension[1]! } : parsed);
  if (international) {
    const number = internationalNumber(digits, home);
    return number.number.length - 1 < minInternationalDigits ? 'tooShort' : withExtension(number);
  }
  const national = home ? nationalSignificantNumber(digits, home) : undefined;
  if (home && national !== undefined) return withExtension({ number: `+${home.callingCode}${national}`, country: home, nationalNumber: national });
  return withExtension({ number: digits });
}

function internationalNumber(digits: string, home: PhoneCountry | undefined): ParsedPhone {
  const country = phoneCountryByCallingCode(digits, home);
  if (!country) return { number: `+${digits}` };
  let national = digits.slice(country.callingCode.length);
  // "+81 03-…" (the trunk zero kept by mistake) means the same as "+81 3-…".
  if (country.trunkPrefix === '0') national = national.replace(/^0+/u, '');
  return { number: `+${country.callingCode}${national}`, country, nationalNumber: national };
}
