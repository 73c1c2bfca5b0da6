import { permissionCovers, type HostCallMethod, type PluginPermission } from '@daicho/sdk';

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
 * Whether the granted permissions cover the one a call needs (the SDK's matcher: one reading of
 * URL patterns for the consent screen, the CLI and the host).
 */
export function grantsCover(granted: readonly PluginPermission[], needed: PluginPermission): boolean {
  const [kind, ...rest] = needed.split(':');
  const target = rest.join(':');
  switch (kind) {
    case 'records.read':
    case 'records.write':
      return permissionCovers(granted, { kind, object: target });
    case 'http.fetch':
      return permissionCovers(granted, { kind, url: target });
    case 'mail.send':
    case 'kv':
    case 'schedule':
      return permissionCovers(granted, { kind });
    default:
      return false;
  }
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
