// The plugin CLI: init, build, types, pack, keygen, sign, publish, test. `main.ts` is the process
// entry; everything else is callable from tests and scripts.
export { runCli } from './run-cli.ts';
export type { CliIo } from './run-cli.ts';
export { CliError } from './cli-error.ts';
export { buildPlugin, bundleGlobalName, maxBundleBytes } from './build-plugin.ts';
export { packPlugin } from './pack-plugin.ts';
export { keygen, signPackage } from './sign-plugin.ts';
export { encodeSignatureHeader, publishPackage, publishPath, signatureHeader } from './publish-plugin.ts';
export { noPluginApiExitCode, testPlugin } from './test-plugin.ts';
export { renderObjectTypes, writeObjectTypes } from './generate-types.ts';
