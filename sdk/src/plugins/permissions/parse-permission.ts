import type { PluginPermission } from '../contract.ts';

/**
 * A manifest permission, parsed. Produced only from strings that pass the manifest schema's pattern.
 *
 * @example
 * const parsed = parsePermission(p); if (parsed?.kind === 'records.read') console.log(parsed.object);
 */
export type ParsedPermission =
  | { kind: 'records.read'; object: string }
  | { kind: 'records.write'; object: string }
  | { kind: 'http.fetch'; pattern: HttpUrlPattern }
  | { kind: 'mail.send' }
  | { kind: 'kv' }
  | { kind: 'schedule' };

/**
 * The kinds of permission a plugin can ask for.
 *
 * @example
 * const kinds: PermissionKind[] = ['records.read', 'records.write', 'http.fetch', 'mail.send', 'kv', 'schedule'];
 */
export type PermissionKind = ParsedPermission['kind'];

/**
 * An `http.fetch` permission's URL pattern: `https://<host><path>`.
 * `wildcardHost` means the host was written `*.example.com` and covers subdomains (any depth) of
 * `host`, never `host` itself; `*` in `path` matches any characters, `/` included.
 *
 * @example
 * matchHttpUrlPattern({ host: 'example.com', wildcardHost: true, path: '/v1/*' }, 'https://api.example.com/v1/x'); // true
 */
export interface HttpUrlPattern {
  host: string;
  wildcardHost: boolean;
  path: string;
}

// The same grammar as the manifest schema's permission pattern, split so each part can be read back.
const objectName = '[a-z][a-z0-9_]{0,39}(?:\\.[a-z][a-z0-9_]{0,39}){0,3}';
const hostLabel = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const recordsPattern = new RegExp(`^records\\.(read|write):(${objectName})$`, 'u');
const httpPattern = new RegExp(`^http\\.fetch:https://(\\*\\.)?(${hostLabel}(?:\\.${hostLabel})+)(/[A-Za-z0-9._~!$&'()*+,;=:%/-]*)$`, 'u');

/**
 * Parses a manifest permission; returns null for anything the manifest schema would refuse.
 *
 * @example
 * parsePermission('records.read:acme.inventory.product'); // { kind: 'records.read', object: 'acme.inventory.product' }
 * parsePermission('http.fetch:https://*.example.com/api/*');
 * // { kind: 'http.fetch', pattern: { host: 'example.com', wildcardHost: true, path: '/api/*' } }
 * parsePermission('records.read:*'); // null: never a wildcard object
 */
export function parsePermission(permission: PluginPermission): ParsedPermission | null {
  if (typeof permission !== 'string' || permission.length > 300) return null;
  if (permission === 'mail.send' || permission === 'kv' || permission === 'schedule') return { kind: permission };
  const records = recordsPattern.exec(permission);
  if (records) return { kind: records[1] === 'read' ? 'records.read' : 'records.write', object: records[2]! };
  const http = httpPattern.exec(permission);
  if (http) return { kind: 'http.fetch', pattern: { host: http[2]!, wildcardHost: http[1] !== undefined, path: http[3]! } };
  return null;
}
