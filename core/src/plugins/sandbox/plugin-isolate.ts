// One plugin's isolate, inside a runner process: created from the bundle, called only through
// the bootstrap's `api` function, always with the CPU timeout. Only the runner imports this file
// (and so isolated-vm); the API process never does.
import ivm from 'isolated-vm';
import { guestBootstrapSource } from './guest-bootstrap.ts';
import { guestGlobals } from './guest-globals.ts';
import type { RunnerFailureCode, RunnerLimits } from './runner-protocol.ts';

/** The bridge the guest calls (see guest-bootstrap.ts); returns a refusal code or nothing. */
export type GuestBridge = (op: string, ...args: Array<string | number | boolean>) => string | undefined;

/** Why an isolate stopped: the codes its in-flight invocations fail with. */
export class IsolateFailure extends Error {
  readonly code: RunnerFailureCode;

  constructor(code: RunnerFailureCode, message: string) {
    super(message);
    this.name = 'IsolateFailure';
    this.code = code;
  }
}

export interface PluginIsolate {
  invoke(invocationId: number, path: string, inputJson: string): Promise<void>;
  settle(invocationId: number, callId: number, ok: boolean, a: string, b?: string): Promise<void>;
  handlers(): Promise<string>;
  readonly disposed: boolean;
  dispose(): void;
}

/**
 * Creates the isolate (one context), runs the bootstrap, then loads the bundle. Rejects with an
 * IsolateFailure: PLUGIN_ERROR when the bundle does not load, or a limit's code.
 */
export async function createPluginIsolate(code: string, limits: RunnerLimits, bridge: GuestBridge): Promise<PluginIsolate> {
  // Never `cachedData`, a snapshot or a native module: only the bundle's source text goes in.
  const isolate = new ivm.Isolate({ memoryLimit: limits.memoryMb });
  const call = async (run: () => Promise<unknown>): Promise<unknown> => {
    try {
      return await run();
    } catch (error) {
      throw classify(isolate, error);
    }
  };
  try {
    const context = await isolate.createContext();
    const api = (await call(() =>
      context.evalClosure(
        guestBootstrapSource,
        [new ivm.Callback(bridge), JSON.stringify(guestGlobals), JSON.stringify(limits)],
        { result: { reference: true }, timeout: limits.cpuTimeoutMs },
      ),
    )) as ivm.Reference<(...args: unknown[]) => unknown>;
    const apply = (args: Array<string | number | boolean>) => call(() => api.apply(undefined, args, { timeout: limits.cpuTimeoutMs }));
    const loadError = await apply(['load', code]);
    if (typeof loadError === 'string') throw new IsolateFailure('PLUGIN_ERROR', loadError);
    return {
      invoke: async (invocationId, path, inputJson) => {
        await apply(['invoke', invocationId, path, inputJson]);
      },
      settle: async (invocationId, callId, ok, a, b) => {
        await apply(['settle', invocationId, callId, ok, a, b ?? '']);
      },
      handlers: async () => String(await apply(['handlers'])),
      get disposed() {
        return isolate.isDisposed;
      },
      dispose: () => {
        if (!isolate.isDisposed) isolate.dispose();
      },
    };
  } catch (error) {
    if (!isolate.isDisposed) isolate.dispose();
    throw error instanceof IsolateFailure ? error : classify(isolate, error);
  }
}

/** isolated-vm reports limits only through its messages; anything else is an internal fault. */
function classify(isolate: ivm.Isolate, error: unknown): IsolateFailure {
  if (error instanceof IsolateFailure) return error;
  const message = error instanceof Error ? error.message : '';
  if (/memory limit/i.test(message)) return new IsolateFailure('PLUGIN_MEMORY_LIMIT', 'The plugin exceeded its memory limit');
  if (/timed out/i.test(message)) return new IsolateFailure('PLUGIN_TIMEOUT', 'The plugin ran past its CPU timeout');
  if (isolate.isDisposed) return new IsolateFailure('PLUGIN_UNAVAILABLE', 'The plugin isolate was disposed');
  return new IsolateFailure('PLUGIN_ERROR', 'The plugin isolate failed');
}
