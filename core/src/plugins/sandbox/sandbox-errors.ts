// The sandbox's errors: one named constructor per PLUGIN_* code, each message written once.
// `details.plugin` names the plugin (its id and version, never the workspace).
import { DaichoError } from '../../errors/index.ts';

/** `<workspace id>:<plugin id>@<version>` → `<plugin id>@<version>`. */
export function pluginOfKey(key: string): string {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(colon + 1);
}

export const sandboxErrors = {
  timeout: (key: string) =>
    new DaichoError('PLUGIN_TIMEOUT', `Plugin ${pluginOfKey(key)} ran past its CPU timeout; its isolate was reset`, { details: { plugin: pluginOfKey(key) } }),
  deadline: (key: string, deadlineMs: number) =>
    new DaichoError('PLUGIN_DEADLINE', `Plugin ${pluginOfKey(key)} did not finish within ${deadlineMs} ms; its isolate was disposed`, {
      details: { plugin: pluginOfKey(key), deadlineMs },
    }),
  memoryLimit: (key: string) =>
    new DaichoError('PLUGIN_MEMORY_LIMIT', `Plugin ${pluginOfKey(key)} exceeded its memory limit; its isolate was disposed`, { details: { plugin: pluginOfKey(key) } }),
  outputTooLarge: (key: string, message: string) =>
    new DaichoError('PLUGIN_OUTPUT_TOO_LARGE', `Plugin ${pluginOfKey(key)} produced data over the limit: ${message}`, { details: { plugin: pluginOfKey(key), message } }),
  rateLimited: (key: string, message: string) =>
    new DaichoError('PLUGIN_RATE_LIMITED', `Plugin ${pluginOfKey(key)} made too many host calls`, { details: { plugin: pluginOfKey(key), message } }),
  unavailable: (key: string, message: string) =>
    new DaichoError('PLUGIN_UNAVAILABLE', `Plugin ${pluginOfKey(key)} is unavailable: ${message}`, { details: { plugin: pluginOfKey(key), message } }),
  pluginError: (key: string, message: string) =>
    new DaichoError('PLUGIN_ERROR', `Plugin ${pluginOfKey(key)} failed: ${message}`, { details: { plugin: pluginOfKey(key), message } }),
} as const;
