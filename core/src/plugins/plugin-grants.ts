import type { HostCallMethod, PluginPermission } from '@daicho/sdk';

/**
 * The permission a host call needs, given its arguments: `records.read:<object>` for reads,
 * `records.write:<object>` for writes, `http.fetch:<pattern>` (any pattern that matches the URL),
 * `mail.send`, `kv`. `settings.get` needs nothing: a plugin always reads its own settings.
 */
export function permissionFor(method: HostCallMethod, args: readonly unknown[]): PluginPermission | undefined {
  switch (method) {
    case 'records.get':
    case 'records.list':
      return `records.read:${String(args[0])}`;
    case 'records.create':
    case 'records.update':
    case 'records.delete':
      return `records.write:${String(args[0])}`;
    case 'http.fetch':
      return `http.fetch:${String(args[0])}`;
    case 'mail.send':
      return 'mail.send';
    case 'kv.get':
    case 'kv.set':
    case 'kv.delete':
      return 'kv';
    case 'settings.get':
      return undefined;
    default:
      return `unknown:${String(method)}`;
  }
}

/**
 * Whether `pattern` (`https://host/path*`) covers `url`. `*` matches within the path only; a host
 * may start with `*.` for its subdomains (never the bare domain's look-alikes: `*.example.com`
 * covers `a.example.com`, not `evilexample.com`). Scheme, host and port compare exactly.
 */
export function urlPatternCovers(pattern: string, url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  const match = /^(https?):\/\/([^/]+)(\/.*)?$/.exec(pattern);
  if (!match) return false;
  const [, scheme, hostPattern, pathPattern = '/*'] = match as unknown as [string, string, string, string | undefined];
  if (`${scheme}:` !== target.protocol) return false;
  if (target.username || target.password) return false;
  const host = target.port ? `${target.hostname}:${target.port}` : target.hostname;
  const wanted = hostPattern.toLowerCase();
  if (wanted.startsWith('*.')) {
    if (!host.endsWith(wanted.slice(1)) || host.length <= wanted.length - 1) return false;
  } else if (host !== wanted) {
    return false;
  }
  const path = `${target.pathname}${target.search}`;
  const regex = new RegExp(`^${pathPattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return regex.test(path);
}

/** Whether the granted permissions cover the one a call needs. */
export function grantsCover(granted: readonly PluginPermission[], needed: PluginPermission): boolean {
  if (needed.startsWith('http.fetch:')) {
    const url = needed.slice('http.fetch:'.length);
    return granted.some((permission) => permission.startsWith('http.fetch:') && urlPatternCovers(permission.slice('http.fetch:'.length), url));
  }
  return granted.includes(needed);
}

/** The permissions a manifest asks for that are not granted (exact comparison: a grant is consent to a line of the manifest). */
export function missingPermissions(requested: readonly PluginPermission[], granted: readonly PluginPermission[]): PluginPermission[] {
  const have = new Set(granted);
  return requested.filter((permission) => !have.has(permission));
}

/** What an admin's `grant` names: `all` (everything the manifest asks), or a list. */
export function resolveGrant(requested: readonly PluginPermission[], grant: 'all' | readonly string[] | undefined): PluginPermission[] {
  if (grant === 'all') return [...requested];
  const named = new Set(grant ?? []);
  return requested.filter((permission) => named.has(permission));
}
