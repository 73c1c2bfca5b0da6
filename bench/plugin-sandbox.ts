// The plugin sandbox's own cost, measured from the calling process through real runner
// processes: a warm call of a trivial handler, a cold start (load + first call, which creates the
// isolate), and a handler that makes one host call. Run: `pnpm bench plugin-sandbox`
// (BENCH_CALLS warm calls per case, default 2000; BENCH_COLD cold starts, default 20).
import { createSandboxPool, type HostCallHandler, type SandboxLimits } from '../core/src/plugins/sandbox/index.ts';
import { describeMachine, median } from './machine.ts';

const calls = Number(process.env.BENCH_CALLS ?? 2000);
const coldStarts = Number(process.env.BENCH_COLD ?? 20);
const limits: SandboxLimits = {
  memoryMb: 64,
  cpuTimeoutMs: 1000,
  deadlineMs: 10_000,
  maxHostCalls: 1000,
  maxOutputBytes: 1024 * 1024,
  maxOutputDepth: 64,
  maxLogBytes: 64 * 1024,
};
const bundle = `"use strict";
var __daicho_plugin__ = (() => ({ default: {
  hooks: { 'bench.deal': { beforeCreate: (input) => ({ set: { total: input.record.amount * 2 } }) } },
  actions: { 'bench.kv': async (input, ctx) => ({ value: await ctx.kv.get('k') }) },
} }))();`;
const hookInput = { object: 'bench.deal', event: 'beforeCreate', record: { name: 'Deal', amount: 21 }, previous: null, userId: 'u1' };
const kvHost: HostCallHandler = async () => 42;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function timeEach(count: number, run: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times;
}

export async function benchPluginSandbox(): Promise<void> {
  const startedAt = performance.now();
  const pool = createSandboxPool({ runners: 1 });
  try {
    await pool.load({ key: 'bench:warmup@1.0.0', code: bundle, limits }, { eager: true });
    const runnerReadyMs = performance.now() - startedAt;

    const cold = await timeEach(coldStarts, async () => {
      const key = `bench:cold-${Math.random()}@1.0.0`;
      await pool.load({ key, code: bundle, limits });
      await pool.invoke(key, 'hooks/bench.deal/beforeCreate', hookInput, kvHost);
      await pool.unload(key);
    });

    const key = 'bench:warm@1.0.0';
    await pool.load({ key, code: bundle, limits }, { eager: true });
    await timeEach(200, () => pool.invoke(key, 'hooks/bench.deal/beforeCreate', hookInput, kvHost));
    const warm = await timeEach(calls, () => pool.invoke(key, 'hooks/bench.deal/beforeCreate', hookInput, kvHost));
    await timeEach(200, () => pool.invoke(key, 'actions/bench.kv', null, kvHost));
    const hostCall = await timeEach(calls, () => pool.invoke(key, 'actions/bench.kv', null, kvHost));

    console.log(describeMachine());
    console.log(`first runner process ready, with one isolate: ${runnerReadyMs.toFixed(0)} ms`);
    const row = (label: string, times: number[]) =>
      console.log(`${label.padEnd(44)} median ${median(times).toFixed(3).padStart(7)} ms   p99 ${percentile(times, 0.99).toFixed(3).padStart(7)} ms   (${times.length} calls)`);
    row('warm invoke, trivial hook', warm);
    row('cold start (load + first call + unload)', cold);
    row('invoke with one host call (kv.get)', hostCall);
    console.log(`host-call round trip (difference of medians): ${(median(hostCall) - median(warm)).toFixed(3)} ms`);
  } finally {
    await pool.close();
  }
}

if (import.meta.main) await benchPluginSandbox();
