// Limits from configuration: the defaults every plugin gets unless the host raises them for one.
import type { Config } from '../../config/index.ts';
import type { SandboxLimits } from './sandbox-contract.ts';

/** The sandbox settings of {@link Config}, as one plugin's limits. */
export function sandboxLimitsFromConfig(
  config: Pick<Config, 'pluginMemoryMb' | 'pluginCpuTimeoutMs' | 'pluginDeadlineMs' | 'pluginMaxHostCalls' | 'pluginMaxOutputBytes' | 'pluginMaxOutputDepth' | 'pluginMaxLogBytes'>,
): SandboxLimits {
  return {
    memoryMb: config.pluginMemoryMb,
    cpuTimeoutMs: config.pluginCpuTimeoutMs,
    deadlineMs: config.pluginDeadlineMs,
    maxHostCalls: config.pluginMaxHostCalls,
    maxOutputBytes: config.pluginMaxOutputBytes,
    maxOutputDepth: config.pluginMaxOutputDepth,
    maxLogBytes: config.pluginMaxLogBytes,
  };
}
