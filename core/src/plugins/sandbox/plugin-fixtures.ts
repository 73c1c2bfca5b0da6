// Test fixtures: guest code in the shape esbuild gives a plugin bundle (an IIFE assigning the
// module namespace to __daicho_plugin__), and limits small enough for tests to run fast.
import { execFileSync } from 'node:child_process';
import type { HostCallHandler, SandboxLimits } from './sandbox-contract.ts';

/** A bundle whose default export is `definitionSource` (a JS expression). */
export function pluginBundle(definitionSource: string): string {
  return [
    '"use strict";',
    'var __daicho_plugin__ = (() => {',
    `  const definition = (${definitionSource});`,
    '  return Object.defineProperty({ __esModule: true }, "default", { enumerable: true, get: () => definition });',
    '})();',
  ].join('\n');
}

export const testLimits: SandboxLimits = {
  memoryMb: 32,
  cpuTimeoutMs: 200,
  deadlineMs: 2000,
  maxHostCalls: 20,
  maxOutputBytes: 64 * 1024,
  maxOutputDepth: 32,
  maxLogBytes: 4096,
};

/** A host that answers every call with null. */
export const nullHost: HostCallHandler = async () => null;

/** The pids of this process's plugin-runner children. */
export function runnerPids(): number[] {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' }).split('\n');
  return lines.filter((line) => line.includes('plugin-runner.ts')).map((line) => Number(line.trim().split(/\s+/)[0]));
}
