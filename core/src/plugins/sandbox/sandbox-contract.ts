// The seam between the plugin host (core/src/plugins) and the sandbox that runs plugin code.
// The host knows nothing of isolated-vm or runner processes; the sandbox knows nothing of
// records, permissions or the database. Only JSON crosses, in both directions.
import type { HandlerPath, HostCallMethod, JsonValue } from '@daicho/sdk';

/** Limits for one plugin; the host takes them from config, per plugin where an admin raised them. */
export interface SandboxLimits {
  /** The isolate's heap limit (isolated-vm `memoryLimit`), MB. */
  memoryMb: number;
  /** CPU time of one synchronous stretch (isolated-vm `timeout`), ms → PLUGIN_TIMEOUT. */
  cpuTimeoutMs: number;
  /** Wall-clock deadline of one invocation, kept by the host, including awaited host calls → PLUGIN_DEADLINE. */
  deadlineMs: number;
  /** Host calls one invocation may make → PLUGIN_RATE_LIMITED once exceeded. */
  maxHostCalls: number;
  /** Bytes of JSON a result (or a host call's arguments) may have → PLUGIN_OUTPUT_TOO_LARGE. */
  maxOutputBytes: number;
  /** Nesting depth of that JSON → PLUGIN_OUTPUT_TOO_LARGE. */
  maxOutputDepth: number;
  /** Log bytes kept per invocation; the rest is dropped and `truncated` set. */
  maxLogBytes: number;
}

/** A plugin version's code, as the sandbox loads it. */
export interface SandboxPlugin {
  /** `<workspace id>:<plugin id>@<version>`: one isolate per key. */
  key: string;
  /** The bundle (an esbuild IIFE assigning the `definePlugin` result to `globalThis.__daicho_plugin__`). */
  code: string;
  limits: SandboxLimits;
}

/** Answers the guest's host calls; a thrown SandboxHostError reaches the guest as `{ code, message }`. */
export type HostCallHandler = (method: HostCallMethod, args: JsonValue[]) => Promise<JsonValue>;

export interface SandboxLogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  at: string;
}

export interface SandboxResult {
  value: JsonValue;
  logs: SandboxLogLine[];
  logsTruncated: boolean;
  hostCalls: number;
  elapsedMs: number;
}

/**
 * A supervised pool of plugin-runner child processes, each holding isolates. `invoke` rejects with
 * an `ApiError` carrying one of PLUGIN_TIMEOUT, PLUGIN_DEADLINE, PLUGIN_MEMORY_LIMIT,
 * PLUGIN_OUTPUT_TOO_LARGE, PLUGIN_RATE_LIMITED, PLUGIN_UNAVAILABLE or PLUGIN_ERROR (the guest threw:
 * `details.message` is the sanitised message), or with the host handler's own error.
 */
export interface SandboxPool {
  /** Loads (or replaces) a plugin's code; the isolate is created lazily or now when `eager`. */
  load(plugin: SandboxPlugin, options?: { eager?: boolean }): Promise<void>;
  invoke(key: string, handler: HandlerPath, input: JsonValue, hostCalls: HostCallHandler): Promise<SandboxResult>;
  /** Disposes the plugin's isolate and forgets its code. */
  unload(key: string): Promise<void>;
  /** The handler paths the loaded definition exports (for install-time checks against the manifest). */
  handlers(key: string): Promise<HandlerPath[]>;
  /** Stops every runner process. */
  close(): Promise<void>;
}
