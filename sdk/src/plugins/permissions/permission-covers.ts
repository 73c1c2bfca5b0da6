import type { PluginPermission } from '../contract.ts';
import { parsePermission } from './parse-permission.ts';
import type { HttpUrlPattern } from './parse-permission.ts';

/**
 * What one host call needs: the host asks `permissionCovers(granted, need)` before every call.
 *
 * @example
 * if (!permissionCovers(granted, { kind: 'records.write', object })) throw permissionDenied(`records.write:${object}`);
 */
export type PermissionNeed =
  | { kind: 'records.read'; object: string }
  | { kind: 'records.write'; object: string }
  | { kind: 'http.fetch'; url: string }
  | { kind: 'mail.send' }
  | { kind: 'kv' }
  | { kind: 'schedule' };

/**
 * True when one of the granted permissions covers the need. Unparseable grants cover nothing.
 * `records.write:X` covers creating, updating and deleting records of X only; reading X needs
 * `records.read:X`.
 *
 * @example
 * permissionCovers(['records.read:acme.hello.greeting'], { kind: 'records.read', object: 'acme.hello.greeting' }); // true
 * permissionCovers(['http.fetch:https://hooks.example.com/*'], { kind: 'http.fetch', url: 'https://hooks.example.com/a?b=1' }); // true
 * permissionCovers(['http.fetch:https://hooks.example.com/*'], { kind: 'http.fetch', url: 'https://hooks.example.com@evil.test/' }); // false
 */
export function permissionCovers(granted: readonly PluginPermission[], need: PermissionNeed): boolean {
  for (const permission of granted) {
    const parsed = parsePermission(permission);
    if (!parsed || parsed.kind !== need.kind) continue;
    if (parsed.kind === 'records.read' || parsed.kind === 'records.write') {
      if ('object' in need && need.object === parsed.object) return true;
    } else if (parsed.kind === 'http.fetch') {
      if ('url' in need && matchHttpUrlPattern(parsed.pattern, need.url)) return true;
    } else {
      return true;
    }
  }
  return false;
}

// Percent-encoded dot, slash and backslash: servers may decode them into `..` or a separator after
// our check, escaping a path prefix; such URLs are refused outright.
const encodedSeparators = /%2e|%2f|%5c/iu;
// Backslashes, whitespace and control characters are "fixed up" by URL parsers in differing ways.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const ambiguousCharacters = /[\\\s\u0000-\u001f\u007f]/u;

/**
 * Matches a URL against an `http.fetch` pattern. The URL must be https, carry no user info and no
 * port other than 443; its host must equal the pattern's host (or be a subdomain of it for `*.`);
 * its path (after the URL parser resolved `.` and `..`) must match the pattern's path, where `*`
 * matches anything. The query string and fragment are not part of the match.
 *
 * @example
 * matchHttpUrlPattern({ host: 'example.com', wildcardHost: true, path: '/v1/*' }, 'https://api.example.com/v1/items'); // true
 * matchHttpUrlPattern({ host: 'example.com', wildcardHost: true, path: '/v1/*' }, 'https://example.com/v1/items'); // false
 */
export function matchHttpUrlPattern(pattern: HttpUrlPattern, url: string): boolean {
  if (typeof url !== 'string' || url.length > 8192 || ambiguousCharacters.test(url)) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  const host = parsed.hostname;
  if (host.endsWith('.') || host.startsWith('[')) return false;
  const hostMatches = pattern.wildcardHost ? host.endsWith(`.${pattern.host}`) : host === pattern.host;
  if (!hostMatches) return false;
  if (encodedSeparators.test(parsed.pathname)) return false;
  return pathPatternToRegExp(pattern.path).test(parsed.pathname);
}

function pathPatternToRegExp(path: string): RegExp {
  const source = path.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'u');
}
