// Plugins, platform-neutral part (safe to bundle into a plugin or the admin UI): the contract
// shared with core's sandbox and host, permissions, and definePlugin with the guest-side types.
// Node-only tooling (manifest validation, package format, signatures) is `@daicho/sdk/plugin-tools`.
export type * from './contract.ts';
export * from './permissions/index.ts';
export * from './guest/index.ts';
