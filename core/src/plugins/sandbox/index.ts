// The plugin sandbox: runs plugin bundles in isolated-vm isolates inside supervised runner
// processes, behind the SandboxPool seam (sandbox-contract.ts). The plugin host is its only user.
export { createSandboxPool } from './sandbox-pool.ts';
export type { SandboxPoolOptions } from './sandbox-pool.ts';
export { sandboxLimitsFromConfig } from './sandbox-limits.ts';
export { minimumIsolatedVmVersion } from './isolated-vm-version.ts';
export type {
  HostCallHandler,
  SandboxLimits,
  SandboxLogLine,
  SandboxPlugin,
  SandboxPool,
  SandboxResult,
} from './sandbox-contract.ts';
