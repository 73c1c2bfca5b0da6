// The plugin host: installations and consent, the lifecycle (install, upgrade, enable, disable,
// uninstall, purge), the permission-checked host API plugins call from the sandbox, and the
// runtime that fills the domains' registries (record hooks, workflow action types) for plugins.
export { createHostCallHandler, narrowAccess } from './host-api.ts';
export type { HostApiDeps, HostCallScope } from './host-api.ts';
export type { Installation, InstallationState } from './installations.repository.ts';
export { grantsCover, missingPermissions, permissionFor, resolveGrant } from './plugin-grants.ts';
export { isPublicAddress, pluginFetch } from './plugin-http-fetch.ts';
export type { PluginFetchOptions, ResolveHost } from './plugin-http-fetch.ts';
export { readSettingsForAdmin, secretKeysOf, writeSettings } from './plugin-settings.ts';
export { createPluginRuntime, sandboxKeyOf } from './plugin-runtime.ts';
export type { InvocationScope, PackageReader, PluginRuntime, PluginRuntimeOptions } from './plugin-runtime.ts';
export {
  consentPlugin, describeInstallation, describedPermissions, getPlugin, installPlugin, listPlugins, migrationsBetween, purgeExpiredPlugins, purgePlugin, readUploadedPackage,
  setPluginEnabled, uninstallPlugin, upgradePlugin,
} from './plugins.service.ts';
export type { PackageUpload, PluginsActor, PluginsDeps } from './plugins.service.ts';
export { createTokenBuckets } from './rate-limiter.ts';
export type { TokenBuckets } from './rate-limiter.ts';
export { createSandboxPool, sandboxLimitsFromConfig } from './sandbox/index.ts';
export type { SandboxLimits, SandboxPool } from './sandbox/index.ts';
