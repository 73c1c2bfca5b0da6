import type { NormalizeResult } from './normalize-result.ts';
import { normalizeText } from './normalize-text.ts';

/** Why a value is not a web address we accept. */
export type UrlProblem = 'empty' | 'tooLong' | 'invalid' | 'unsupportedScheme' | 'credentials';

const maxUrlLength = 2048;
const schemeAndRest = /^([a-z][a-z0-9+.-]*):(.*)$/isu;
// A bare host name such as www.example.co.jp or 例え.jp/path: gets https:// in front.
// (Each label is delimited by dots the labels cannot contain, so matching it never backtracks.)
const bareHost = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?::\d{1,5})?(?:[/?#]|$)/u;
const authorityAndRest = /^\/\/([^/?#]*)(.*)$/su;

/**
 * Normalises a web address: NFKC (full-width characters become ASCII), trimmed, scheme and host
 * lower-cased; a bare host name (`www.example.co.jp/about`) gets `https://` in front. The path,
 * query and fragment are kept exactly as written. Only http and https are accepted, without a
 * user name or password in the address (a classic disguise: `https://bank.example@evil.example`),
 * and the whole address must parse as a URL.
 *
 * @example
 * normalizeUrl(' HTTPS://WWW.Example.CO.JP/Path?Q=1 '); // { ok: true, value: 'https://www.example.co.jp/Path?Q=1' }
 * normalizeUrl('www.example.jp'); // { ok: true, value: 'https://www.example.jp' }
 * normalizeUrl('javascript:alert(1)'); // { ok: false, value: 'javascript:alert(1)', problem: 'unsupportedScheme' }
 */
export function normalizeUrl(value: string): NormalizeResult<UrlProblem> {
  const text = normalizeText(value);
  if (text === '') return { ok: false, value: text, problem: 'empty' };
  if (text.length > maxUrlLength) return { ok: false, value: text, problem: 'tooLong' };
  const withScheme = bareHost.test(text) ? `https://${text}` : text;
  const parts = schemeAndRest.exec(withScheme);
  if (!parts) return { ok: false, value: text, problem: 'invalid' };
  const scheme = parts[1]!.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return { ok: false, value: text, problem: 'unsupportedScheme' };
  const authority = authorityAndRest.exec(parts[2]!);
  if (!authority) return { ok: false, value: text, problem: 'invalid' };
  if (authority[1]!.includes('@')) return { ok: false, value: text, problem: 'credentials' };
  const url = `${scheme}://${authority[1]!.toLowerCase()}${authority[2]!}`;
  if (/\s/u.test(url) || !URL.canParse(url) || new URL(url).hostname === '') return { ok: false, value: url, problem: 'invalid' };
  return { ok: true, value: url };
}
