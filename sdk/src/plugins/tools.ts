// @daicho/sdk/plugin-tools: Node-only tooling for plugin packages, used by the CLI and core's
// install: the manifest's validation and semantic checks, the package format, its digest and
// signature. Kept off the main entry so that plugin bundles and the browser never pull in
// node:zlib, node:crypto, tar-stream or semver.
export * from './manifest/index.ts';
export * from './package/index.ts';
