// The plugin-runner process: forked by the pool (runner-process.ts), holds one isolate per plugin
// key, and speaks runner-protocol.ts over IPC. It keeps the per-invocation host-call budget; the
// parent keeps the wall-clock deadline and parses everything the guest produced.
import { assertIsolatedVmVersion, readIsolatedVmVersion } from './isolated-vm-version.ts';
import type { GuestBridge, PluginIsolate } from './plugin-isolate.ts';
import type { ParentMessage, RunnerFailureCode, RunnerLimits, RunnerMessage } from './runner-protocol.ts';

interface PluginState {
  key: string;
  code: string;
  limits: RunnerLimits;
  isolate: PluginIsolate | null;
  creating: Promise<PluginIsolate> | null;
  inflight: Set<number>;
}

interface Invocation {
  id: number;
  state: PluginState;
  hostCalls: number;
  refusedCalls: number;
}

const isolatedVmVersion = readIsolatedVmVersion();
assertIsolatedVmVersion(isolatedVmVersion);
// Loaded only once the guard passed: a refused version never runs native code.
const { createPluginIsolate, IsolateFailure } = await import('./plugin-isolate.ts');

const plugins = new Map<string, PluginState>();
const invocations = new Map<number, Invocation>();

function send(message: RunnerMessage): void {
  // With a callback, a channel that closed meanwhile (the parent exited) reports here instead of
  // as an unhandled 'error' event: the parent is gone, and so is our reason to run.
  if (process.connected) process.send!(message, undefined, {}, (error) => {
    if (error) process.exit(0);
  });
}

function failureOf(error: unknown): { code: RunnerFailureCode; message: string } {
  return error instanceof IsolateFailure ? { code: error.code, message: error.message } : { code: 'PLUGIN_ERROR', message: 'The plugin isolate failed' };
}

function finish(invocation: Invocation, message: RunnerMessage): void {
  if (!invocations.delete(invocation.id)) return;
  invocation.state.inflight.delete(invocation.id);
  send(message);
}

function fail(invocation: Invocation, code: RunnerFailureCode, message: string): void {
  finish(invocation, { type: 'failed', invocationId: invocation.id, code, message, callId: 0, logsJson: '[]', logsTruncated: false, hostCalls: invocation.hostCalls });
}

/** Disposes the isolate and fails everything in flight on it; the next call recreates it. */
function reset(state: PluginState, code: RunnerFailureCode, message: string): void {
  state.isolate?.dispose();
  state.isolate = null;
  state.creating = null;
  for (const id of [...state.inflight]) {
    const invocation = invocations.get(id);
    if (invocation) fail(invocation, code, message);
  }
}

function onIsolateError(state: PluginState, isolate: PluginIsolate, error: unknown): void {
  if (state.isolate !== isolate) return;
  const failure = failureOf(error);
  reset(state, failure.code, failure.message);
}

function createBridge(state: PluginState): GuestBridge {
  return (op, ...args) => {
    const invocation = invocations.get(Number(args[0]));
    if (!invocation || invocation.state !== state) return 'PLUGIN_UNAVAILABLE';
    if (op === 'call') {
      if (invocation.hostCalls >= state.limits.maxHostCalls) {
        // The first refusal is the guest's to handle; calling on after it ends the invocation.
        if (++invocation.refusedCalls >= 2) {
          fail(invocation, 'PLUGIN_RATE_LIMITED', `The plugin kept calling the host after its budget of ${state.limits.maxHostCalls} calls`);
          setImmediate(() => {
            if (state.isolate) reset(state, 'PLUGIN_UNAVAILABLE', 'The plugin isolate was reset after another call exceeded its host-call budget');
          });
        }
        return 'PLUGIN_RATE_LIMITED';
      }
      invocation.hostCalls++;
      send({ type: 'hostCall', invocationId: invocation.id, callId: Number(args[1]), method: String(args[2]), argsJson: String(args[3]) });
      return undefined;
    }
    if (op === 'done') {
      finish(invocation, { type: 'done', invocationId: invocation.id, valueJson: String(args[1]), logsJson: String(args[2]), logsTruncated: args[3] === true, hostCalls: invocation.hostCalls });
    } else if (op === 'fail') {
      finish(invocation, {
        type: 'failed',
        invocationId: invocation.id,
        code: String(args[1]) as RunnerFailureCode,
        message: String(args[2]),
        logsJson: String(args[3]),
        logsTruncated: args[4] === true,
        callId: Number(args[5]),
        hostCalls: invocation.hostCalls,
      });
    }
    return undefined;
  };
}

function ensureIsolate(state: PluginState): Promise<PluginIsolate> {
  if (state.isolate && !state.isolate.disposed) return Promise.resolve(state.isolate);
  if (state.creating) return state.creating;
  const creating = createPluginIsolate(state.code, state.limits, createBridge(state)).then(
    (isolate) => {
      if (state.creating !== creating) {
        isolate.dispose();
        throw new IsolateFailure('PLUGIN_UNAVAILABLE', 'The plugin was reloaded or unloaded');
      }
      state.isolate = isolate;
      state.creating = null;
      return isolate;
    },
    (error: unknown) => {
      if (state.creating === creating) state.creating = null;
      throw error;
    },
  );
  state.creating = creating;
  return creating;
}

async function invoke(message: Extract<ParentMessage, { type: 'invoke' }>): Promise<void> {
  const state = plugins.get(message.key);
  if (!state) {
    send({ type: 'failed', invocationId: message.invocationId, code: 'PLUGIN_UNAVAILABLE', message: 'The plugin is not loaded', callId: 0, logsJson: '[]', logsTruncated: false, hostCalls: 0 });
    return;
  }
  const invocation: Invocation = { id: message.invocationId, state, hostCalls: 0, refusedCalls: 0 };
  invocations.set(invocation.id, invocation);
  state.inflight.add(invocation.id);
  let isolate: PluginIsolate;
  try {
    isolate = await ensureIsolate(state);
  } catch (error) {
    const failure = failureOf(error);
    fail(invocation, failure.code, failure.message);
    return;
  }
  try {
    await isolate.invoke(invocation.id, message.path, message.inputJson);
  } catch (error) {
    onIsolateError(state, isolate, error);
  }
}

function settle(message: Extract<ParentMessage, { type: 'hostResult' }>): void {
  const invocation = invocations.get(message.invocationId);
  const isolate = invocation?.state.isolate;
  if (!invocation || !isolate) return;
  const settled = message.ok
    ? isolate.settle(message.invocationId, message.callId, true, message.json)
    : isolate.settle(message.invocationId, message.callId, false, message.code, message.message);
  settled.catch((error: unknown) => onIsolateError(invocation.state, isolate, error));
}

async function answer(requestId: number, work: () => Promise<string | undefined>): Promise<void> {
  try {
    const json = await work();
    send({ type: 'reply', requestId, ok: true, ...(json === undefined ? {} : { json }) });
  } catch (error) {
    send({ type: 'reply', requestId, ok: false, ...failureOf(error) });
  }
}

function forget(key: string, message: string): void {
  const state = plugins.get(key);
  if (!state) return;
  plugins.delete(key);
  reset(state, 'PLUGIN_UNAVAILABLE', message);
}

process.on('message', (raw: ParentMessage) => {
  switch (raw.type) {
    case 'invoke':
      void invoke(raw);
      break;
    case 'hostResult':
      settle(raw);
      break;
    case 'load':
      void answer(raw.requestId, async () => {
        forget(raw.key, 'The plugin was reloaded');
        const state: PluginState = { key: raw.key, code: raw.code, limits: raw.limits, isolate: null, creating: null, inflight: new Set() };
        plugins.set(raw.key, state);
        if (raw.eager) await ensureIsolate(state);
        return undefined;
      });
      break;
    case 'unload':
      void answer(raw.requestId, async () => {
        forget(raw.key, 'The plugin was unloaded');
        return undefined;
      });
      break;
    case 'handlers':
      void answer(raw.requestId, async () => {
        const state = plugins.get(raw.key);
        if (!state) throw new IsolateFailure('PLUGIN_UNAVAILABLE', 'The plugin is not loaded');
        return (await ensureIsolate(state)).handlers();
      });
      break;
    case 'reset':
      void answer(raw.requestId, async () => {
        const state = plugins.get(raw.key);
        if (state) reset(state, 'PLUGIN_UNAVAILABLE', 'The plugin isolate was reset after another call ran past its deadline');
        return undefined;
      });
      break;
  }
});

// The parent owns this process: when it goes, so do we. Ctrl-C reaches the whole process group,
// and the parent decides when runners stop.
process.on('disconnect', () => process.exit(0));
process.on('SIGINT', () => {});
send({ type: 'ready', isolatedVmVersion });
