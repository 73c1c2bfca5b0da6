// The pool, in the calling (API or worker) process: assigns each plugin key to a runner, keeps
// every invocation's wall-clock deadline, answers host calls through the caller's handler, and
// turns what comes back from a runner into results or PLUGIN_* errors. It never loads
// isolated-vm; everything a guest produced arrives as JSON text and goes through parseGuestJson.
import type { HostCallMethod, JsonValue } from '@daicho/sdk';
import { DaichoError } from '../../errors/index.ts';
import type { Logger } from '../../log/index.ts';
import { GuestJsonError, parseGuestJson } from './guest-json.ts';
import { RunnerProcess } from './runner-process.ts';
import type { RunnerFailureCode, RunnerMessage } from './runner-protocol.ts';
import type { HostCallHandler, SandboxLimits, SandboxLogLine, SandboxPlugin, SandboxPool, SandboxResult } from './sandbox-contract.ts';
import { sandboxErrors } from './sandbox-errors.ts';

export interface SandboxPoolOptions {
  /** Runner processes (DAICHO_PLUGIN_RUNNERS); 2 when absent. */
  runners?: number;
  /** Runner crashes and restarts are logged here. */
  logger?: Pick<Logger, 'warn'>;
  /** How long a runner may take to dispose an isolate after a deadline before it is killed, ms; 0 kills it at once. */
  resetGraceMs?: number;
  /** First restart delay of a runner that keeps crashing, ms. */
  restartDelayMs?: number;
}

const hostCallMethods: ReadonlySet<string> = new Set<HostCallMethod>([
  'records.get', 'records.list', 'records.create', 'records.update', 'records.delete',
  'http.fetch', 'mail.send', 'settings.get', 'kv.get', 'kv.set', 'kv.delete',
]);
const logLevels: ReadonlySet<string> = new Set(['debug', 'info', 'warn', 'error']);
const handlerPathPattern = /^(hooks\/[^/]+\/[^/]+|(actions|schedules|migrations)\/[^/]+)$/;

interface Invocation {
  id: number;
  key: string;
  limits: SandboxLimits;
  runner: number;
  hostCalls: HostCallHandler;
  /** The host's own errors, by call id: an uncaught one is rethrown as it was. */
  hostErrors: Map<number, unknown>;
  startedAt: number;
  timer: NodeJS.Timeout;
  resolve: (result: SandboxResult) => void;
  reject: (error: unknown) => void;
}

/** Creates the pool and starts its runner processes. */
export function createSandboxPool(options: SandboxPoolOptions = {}): SandboxPool {
  const runnerCount = Math.max(1, Math.floor(options.runners ?? 2));
  const resetGraceMs = options.resetGraceMs ?? 1000;
  const plugins = new Map<string, SandboxPlugin>();
  const invocations = new Map<number, Invocation>();
  /** Per runner: the keys loaded into its current process, as the pending or finished load. */
  const loaded: Array<Map<string, Promise<void>>> = [];
  let nextInvocationId = 1;
  let closed = false;

  const runners = Array.from({ length: runnerCount }, (_, index) => {
    loaded.push(new Map());
    return new RunnerProcess({
      restartDelayMs: options.restartDelayMs ?? 100,
      onMessage: (message) => onRunnerMessage(message),
      onExit: ({ code, signal }) => {
        loaded[index]!.clear();
        if (!closed) options.logger?.warn({ runner: index, code, signal }, 'plugin runner exited; restarting it');
        for (const invocation of [...invocations.values()]) {
          if (invocation.runner === index) settle(invocation, sandboxErrors.unavailable(invocation.key, 'its runner process exited during the call'));
        }
      },
    });
  });

  /** Stable: a key stays on one runner, so its isolate stays warm. */
  function runnerOf(key: string): number {
    let hash = 2166136261;
    for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 16777619);
    return (hash >>> 0) % runnerCount;
  }

  function settle(invocation: Invocation, outcome: SandboxResult | Error | unknown, ok = false): void {
    if (!invocations.delete(invocation.id)) return;
    clearTimeout(invocation.timer);
    if (ok) invocation.resolve(outcome as SandboxResult);
    else invocation.reject(outcome);
  }

  function failureError(key: string, code: RunnerFailureCode | string, message: string): DaichoError {
    switch (code) {
      case 'PLUGIN_TIMEOUT':
        return sandboxErrors.timeout(key);
      case 'PLUGIN_MEMORY_LIMIT':
        return sandboxErrors.memoryLimit(key);
      case 'PLUGIN_OUTPUT_TOO_LARGE':
        return sandboxErrors.outputTooLarge(key, message);
      case 'PLUGIN_RATE_LIMITED':
        return sandboxErrors.rateLimited(key, message);
      case 'PLUGIN_UNAVAILABLE':
        return sandboxErrors.unavailable(key, message);
      default:
        return sandboxErrors.pluginError(key, message.slice(0, 2000));
    }
  }

  function guestJsonError(key: string, what: string, error: unknown): DaichoError {
    if (error instanceof GuestJsonError && (error.problem === 'size' || error.problem === 'depth')) {
      return sandboxErrors.outputTooLarge(key, `${what} is ${error.message}`);
    }
    return sandboxErrors.pluginError(key, `${what} ${error instanceof GuestJsonError ? error.message : 'could not be read'}`);
  }

  function readLogs(invocation: Invocation, logsJson: string): SandboxLogLine[] {
    // The isolate already capped the logs; the margin covers the JSON around each line.
    const parsed = parseGuestJson(logsJson, { maxBytes: invocation.limits.maxLogBytes * 6 + 1024, maxDepth: 2 });
    if (!Array.isArray(parsed)) return [];
    const lines: SandboxLogLine[] = [];
    for (const entry of parsed) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
      const { level, message, at } = entry;
      if (typeof level === 'string' && logLevels.has(level) && typeof message === 'string' && typeof at === 'string') {
        lines.push({ level: level as SandboxLogLine['level'], message, at });
      }
    }
    return lines;
  }

  async function answerHostCall(invocation: Invocation, callId: number, method: string, argsJson: string): Promise<void> {
    const reply = (message: Parameters<RunnerProcess['send']>[0]) => void runners[invocation.runner]!.send(message);
    let args: JsonValue;
    try {
      args = parseGuestJson(argsJson, { maxBytes: invocation.limits.maxOutputBytes, maxDepth: invocation.limits.maxOutputDepth + 1 });
    } catch (error) {
      const refused = guestJsonError(invocation.key, `the arguments of ${method}`, error);
      reply({ type: 'hostResult', invocationId: invocation.id, callId, ok: false, code: refused.code, message: refused.message });
      return;
    }
    if (!hostCallMethods.has(method) || !Array.isArray(args)) {
      reply({ type: 'hostResult', invocationId: invocation.id, callId, ok: false, code: 'PLUGIN_ERROR', message: 'Unknown host call' });
      return;
    }
    try {
      const value = await invocation.hostCalls(method as HostCallMethod, args);
      if (!invocations.has(invocation.id)) return;
      reply({ type: 'hostResult', invocationId: invocation.id, callId, ok: true, json: JSON.stringify(value ?? null) });
    } catch (error) {
      if (!invocations.has(invocation.id)) return;
      invocation.hostErrors.set(callId, error);
      // Only our own errors' codes and messages reach plugin code; anything else is a host fault.
      const known = error instanceof DaichoError;
      reply({
        type: 'hostResult',
        invocationId: invocation.id,
        callId,
        ok: false,
        code: known ? error.code : 'INTERNAL_ERROR',
        message: known ? error.message : 'The host call failed',
      });
    }
  }

  function onRunnerMessage(message: RunnerMessage): void {
    if (message.type !== 'hostCall' && message.type !== 'done' && message.type !== 'failed') return;
    const invocation = invocations.get(message.invocationId);
    if (!invocation) return;
    if (message.type === 'hostCall') {
      void answerHostCall(invocation, message.callId, message.method, message.argsJson);
      return;
    }
    if (message.type === 'failed') {
      const hostError = message.code === 'HOST_ERROR' ? invocation.hostErrors.get(message.callId) : undefined;
      settle(invocation, hostError ?? failureError(invocation.key, message.code, message.message));
      return;
    }
    let value: JsonValue;
    let logs: SandboxLogLine[];
    try {
      value = parseGuestJson(message.valueJson, { maxBytes: invocation.limits.maxOutputBytes, maxDepth: invocation.limits.maxOutputDepth });
      logs = readLogs(invocation, message.logsJson);
    } catch (error) {
      settle(invocation, guestJsonError(invocation.key, 'the result', error));
      return;
    }
    const result: SandboxResult = {
      value,
      logs,
      logsTruncated: message.logsTruncated,
      hostCalls: message.hostCalls,
      elapsedMs: performance.now() - invocation.startedAt,
    };
    settle(invocation, result, true);
  }

  /** The runner holding `key`, with the key loaded in its current process. */
  async function ensureLoaded(plugin: SandboxPlugin, load: { replace: boolean; eager: boolean } = { replace: false, eager: false }): Promise<number> {
    const runner = runnerOf(plugin.key);
    const keys = loaded[runner]!;
    let loading = keys.get(plugin.key);
    const { eager } = load;
    if (!loading || load.replace) {
      const { deadlineMs: _deadline, ...limits } = plugin.limits;
      loading = runners[runner]!.request({ type: 'load', key: plugin.key, code: plugin.code, limits, eager }).then((reply) => {
        if (!reply.ok) throw failureError(plugin.key, reply.code, reply.message);
      });
      keys.set(plugin.key, loading);
      loading.catch(() => {
        if (keys.get(plugin.key) === loading) keys.delete(plugin.key);
      });
    }
    await loading;
    return runner;
  }

  function onDeadline(invocation: Invocation): void {
    settle(invocation, sandboxErrors.deadline(invocation.key, invocation.limits.deadlineMs));
    const runner = runners[invocation.runner]!;
    // The runner disposes the isolate (which stops plugin code at once); a runner that does not
    // answer in time is stuck, and is replaced.
    if (resetGraceMs <= 0) {
      runner.kill();
      return;
    }
    const grace = setTimeout(() => runner.kill(), resetGraceMs);
    void runner.request({ type: 'reset', key: invocation.key, reason: 'deadline' }).finally(() => clearTimeout(grace));
  }

  function requirePlugin(key: string): SandboxPlugin {
    const plugin = plugins.get(key);
    if (!plugin || closed) throw sandboxErrors.unavailable(key, closed ? 'the sandbox is closed' : 'it is not loaded');
    return plugin;
  }

  return {
    async load(plugin, loadOptions = {}) {
      if (closed) throw sandboxErrors.unavailable(plugin.key, 'the sandbox is closed');
      plugins.set(plugin.key, plugin);
      try {
        await ensureLoaded(plugin, { replace: true, eager: loadOptions.eager === true });
      } catch (error) {
        if (error instanceof DaichoError && error.code === 'PLUGIN_ERROR' && plugins.get(plugin.key) === plugin) plugins.delete(plugin.key);
        throw error;
      }
    },

    invoke(key, handler, input, hostCalls) {
      let plugin: SandboxPlugin;
      let inputJson: string;
      try {
        plugin = requirePlugin(key);
        inputJson = JSON.stringify(input ?? null);
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<SandboxResult>((resolve, reject) => {
        const invocation: Invocation = {
          id: nextInvocationId++,
          key,
          limits: plugin.limits,
          runner: runnerOf(key),
          hostCalls,
          hostErrors: new Map(),
          startedAt: performance.now(),
          timer: setTimeout(() => onDeadline(invocation), plugin.limits.deadlineMs),
          resolve,
          reject,
        };
        invocations.set(invocation.id, invocation);
        ensureLoaded(plugin)
          .then((runner) => runners[runner]!.send({ type: 'invoke', invocationId: invocation.id, key, path: handler, inputJson }))
          .then((sent) => {
            if (!sent) settle(invocation, sandboxErrors.unavailable(key, closed ? 'the sandbox is closed' : 'its runner process is not running'));
          })
          .catch((error: unknown) => settle(invocation, error));
      });
    },

    async unload(key) {
      plugins.delete(key);
      const runner = runnerOf(key);
      loaded[runner]!.delete(key);
      if (!closed) await runners[runner]!.request({ type: 'unload', key });
    },

    async handlers(key) {
      const plugin = requirePlugin(key);
      const runner = await ensureLoaded(plugin);
      const reply = await runners[runner]!.request({ type: 'handlers', key });
      if (!reply.ok) throw failureError(key, reply.code, reply.message);
      let paths: JsonValue;
      try {
        paths = parseGuestJson(reply.json ?? '[]', { maxBytes: plugin.limits.maxOutputBytes, maxDepth: 2 });
      } catch (error) {
        throw guestJsonError(key, 'the handler list', error);
      }
      return Array.isArray(paths) ? paths.filter((path): path is string => typeof path === 'string' && handlerPathPattern.test(path)) : [];
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const invocation of [...invocations.values()]) settle(invocation, sandboxErrors.unavailable(invocation.key, 'the sandbox is closing'));
      await Promise.all(runners.map((runner) => runner.close()));
    },
  };
}
