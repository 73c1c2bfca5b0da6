// The IPC messages between the pool (parent) and a plugin-runner process (child). Types only:
// both sides are ours, but whatever a guest produced travels as JSON text the parent parses with
// its own depth-limited parser, never as objects the runner built from guest data.
import type { SandboxLimits } from './sandbox-contract.ts';

/** Limits the runner applies; the wall-clock deadline stays with the parent. */
export type RunnerLimits = Omit<SandboxLimits, 'deadlineMs'>;

export type ParentMessage =
  | { type: 'load'; requestId: number; key: string; code: string; limits: RunnerLimits; eager: boolean }
  | { type: 'unload'; requestId: number; key: string }
  | { type: 'handlers'; requestId: number; key: string }
  /** Disposes the key's isolate now (a deadline passed); in-flight calls on it fail. */
  | { type: 'reset'; requestId: number; key: string; reason: 'deadline' }
  | { type: 'invoke'; invocationId: number; key: string; path: string; inputJson: string }
  | { type: 'hostResult'; invocationId: number; callId: number; ok: true; json: string }
  | { type: 'hostResult'; invocationId: number; callId: number; ok: false; code: string; message: string };

/** The codes a runner may end an invocation with; HOST_ERROR means "rethrow the host's error". */
export type RunnerFailureCode =
  | 'PLUGIN_ERROR'
  | 'PLUGIN_TIMEOUT'
  | 'PLUGIN_MEMORY_LIMIT'
  | 'PLUGIN_OUTPUT_TOO_LARGE'
  | 'PLUGIN_RATE_LIMITED'
  | 'PLUGIN_UNAVAILABLE'
  | 'HOST_ERROR';

export type RunnerMessage =
  | { type: 'ready'; isolatedVmVersion: string }
  | { type: 'reply'; requestId: number; ok: true; json?: string }
  | { type: 'reply'; requestId: number; ok: false; code: RunnerFailureCode; message: string }
  | { type: 'hostCall'; invocationId: number; callId: number; method: string; argsJson: string }
  | { type: 'done'; invocationId: number; valueJson: string; logsJson: string; logsTruncated: boolean; hostCalls: number }
  | { type: 'failed'; invocationId: number; code: RunnerFailureCode; message: string; callId: number; logsJson: string; logsTruncated: boolean; hostCalls: number };
