// The limits of test-plan rows 1–4, 6, 7 and 14, each against real runner processes, each
// followed by a call to another plugin that must still succeed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxPool, type SandboxPool } from './index.ts';
import { nullHost, pluginBundle, runnerPids, testLimits } from './plugin-fixtures.ts';

let pool: SandboxPool;
const bystander = 'w9:acme.bystander@1.0.0';

beforeAll(async () => {
  pool = createSandboxPool({ runners: 2 });
  await pool.load({ key: bystander, code: pluginBundle(`{ actions: { 'acme.ping': () => 'pong' } }`), limits: testLimits }, { eager: true });
}, 20_000);

afterAll(async () => {
  await pool.close();
});

async function expectBystanderServed(): Promise<void> {
  expect((await pool.invoke(bystander, 'actions/acme.ping', null, nullHost)).value).toBe('pong');
}

async function timed<T>(run: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await run();
    return { error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

const hostile = pluginBundle(`{
  actions: {
    'x.loop': () => { for (;;) {} },
    'x.microtask': () => Promise.resolve().then(() => { for (;;) {} }),
    'x.afterHostCall': async (input, ctx) => { await ctx.kv.get('a'); for (;;) {} },
    'x.hostLoop': async (input, ctx) => { for (;;) await ctx.kv.get('a'); },
    'x.swallow': async (input, ctx) => {
      const codes = [];
      for (let i = 0; i < 1000; i++) {
        try { await ctx.kv.get('a'); } catch (error) { codes.push(error.code); }
      }
      return codes;
    },
    'x.budget': async (input, ctx) => {
      for (let i = 0; i < 3; i++) await ctx.kv.get('a');
      try { await ctx.kv.get('a'); } catch (error) { return { code: error.code, message: error.message }; }
    },
    'x.memory': () => { const keep = []; for (;;) keep.push(new Array(100000).fill({ a: 1 })); },
    'x.ok': () => 'ok',
    'x.bigString': () => 'x'.repeat(40 * 1024 * 1024),
    'x.bigArray': () => new Array(1000000).fill(0),
    'x.deep': () => { let value = []; for (let i = 0; i < 100000; i++) value = [value]; return value; },
    'x.deepObject': () => { let value = {}; for (let i = 0; i < 40; i++) value = { value }; return value; },
    'x.floodJa': (input, ctx) => { ctx.log.info('短'); ctx.log.info('顧客'.repeat(100000)); return 'ok'; },
    'x.flood': (input, ctx) => {
      const line = 'x'.repeat(1024 * 1024);
      for (let i = 0; i < 100; i++) ctx.log.info(line);
      ctx.log.warn('after the cap');
      return 'flooded';
    },
  },
}`);

const limited = (key: string, limits: Partial<typeof testLimits> = {}) =>
  pool.load({ key, code: hostile, limits: { ...testLimits, ...limits } });

describe('sandbox limits', () => {
  it('stops a synchronous infinite loop at the CPU timeout (row 1)', async () => {
    await limited('w1:x.loop@1.0.0');
    const { error, ms } = await timed(() => pool.invoke('w1:x.loop@1.0.0', 'actions/x.loop', null, nullHost));
    expect(error).toMatchObject({ code: 'PLUGIN_TIMEOUT', status: 503, details: { plugin: 'x.loop@1.0.0' } });
    expect(ms).toBeLessThan(2 * testLimits.cpuTimeoutMs);
    await expectBystanderServed();
    // The isolate was reset; the next call gets a fresh one.
    expect((await pool.invoke('w1:x.loop@1.0.0', 'actions/x.ok', null, nullHost)).value).toBe('ok');
  });

  it('stops an infinite loop queued as a promise continuation (row 2)', async () => {
    await limited('w1:x.micro@1.0.0');
    const { error, ms } = await timed(() => pool.invoke('w1:x.micro@1.0.0', 'actions/x.microtask', null, nullHost));
    expect(error).toMatchObject({ code: 'PLUGIN_TIMEOUT' });
    expect(ms).toBeLessThan(2 * testLimits.cpuTimeoutMs);
    await expectBystanderServed();
  });

  it('stops a loop that starts after an awaited host call at the CPU timeout too', async () => {
    await limited('w1:x.after@1.0.0');
    const { error, ms } = await timed(() => pool.invoke('w1:x.after@1.0.0', 'actions/x.afterHostCall', null, nullHost));
    expect(error).toMatchObject({ code: 'PLUGIN_TIMEOUT' });
    expect(ms).toBeLessThan(2 * testLimits.cpuTimeoutMs + 100);
    await expectBystanderServed();
  });

  it('ends an endless loop of awaited host calls at the wall-clock deadline (row 3)', async () => {
    await limited('w1:x.hostLoop@1.0.0', { deadlineMs: 200, maxHostCalls: 100_000 });
    let hostCalls = 0;
    const { error, ms } = await timed(() =>
      pool.invoke('w1:x.hostLoop@1.0.0', 'actions/x.hostLoop', null, async () => {
        hostCalls++;
        return null;
      }),
    );
    expect(error).toMatchObject({ code: 'PLUGIN_DEADLINE', details: { plugin: 'x.hostLoop@1.0.0', deadlineMs: 200 } });
    expect(ms).toBeLessThan(500);
    expect(hostCalls).toBeGreaterThan(0);
    expect(hostCalls).toBeLessThanOrEqual(100_000);
    // The isolate is gone: no more host calls arrive after the deadline.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = hostCalls;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hostCalls).toBe(after);
    await expectBystanderServed();
  });

  it('refuses host calls over the per-invocation budget (row 3)', async () => {
    await limited('w1:x.budget@1.0.0', { maxHostCalls: 3 });
    const result = await pool.invoke('w1:x.budget@1.0.0', 'actions/x.budget', null, nullHost);
    expect(result.value).toEqual({ code: 'PLUGIN_RATE_LIMITED', message: 'The plugin made more than 3 host calls in one invocation' });
    expect(result.hostCalls).toBe(3);

    let hostCalls = 0;
    const { error } = await timed(() =>
      pool.invoke('w1:x.budget@1.0.0', 'actions/x.swallow', null, async () => {
        hostCalls++;
        return null;
      }),
    );
    expect(error).toMatchObject({ code: 'PLUGIN_RATE_LIMITED', status: 429 });
    expect(hostCalls).toBe(3);
    await expectBystanderServed();
  });

  it('disposes an isolate over its memory limit and recreates it on the next call (row 4)', async () => {
    await limited('w1:x.memory@1.0.0', { memoryMb: 16, cpuTimeoutMs: 5000, deadlineMs: 8000 });
    const runnersBefore = runnerPids().sort();
    const { error } = await timed(() => pool.invoke('w1:x.memory@1.0.0', 'actions/x.memory', null, nullHost));
    expect(error).toMatchObject({ code: 'PLUGIN_MEMORY_LIMIT', status: 503 });
    expect((await pool.invoke('w1:x.memory@1.0.0', 'actions/x.ok', null, nullHost)).value).toBe('ok');
    await expectBystanderServed();
    // The runner process survived; only the isolate went.
    expect(runnerPids().sort()).toEqual(runnersBefore);
  });

  it('refuses a 40 MB string and a million-element array before copying them (row 6)', async () => {
    await limited('w1:x.big@1.0.0', { memoryMb: 160, cpuTimeoutMs: 2000 });
    const before = process.memoryUsage().rss;
    for (const handler of ['actions/x.bigString', 'actions/x.bigArray']) {
      const { error } = await timed(() => pool.invoke('w1:x.big@1.0.0', handler, null, nullHost));
      expect(error).toMatchObject({ code: 'PLUGIN_OUTPUT_TOO_LARGE', details: { message: `The result is larger than ${testLimits.maxOutputBytes} bytes` } });
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(10 * 1024 * 1024);
    await expectBystanderServed();
  });

  it('refuses a result nested 100,000 deep, and one deeper than the cap (row 7)', async () => {
    await limited('w1:x.deep@1.0.0');
    await expect(pool.invoke('w1:x.deep@1.0.0', 'actions/x.deep', null, nullHost)).rejects.toMatchObject({ code: 'PLUGIN_OUTPUT_TOO_LARGE' });
    await expect(pool.invoke('w1:x.deep@1.0.0', 'actions/x.deepObject', null, nullHost)).rejects.toMatchObject({
      code: 'PLUGIN_OUTPUT_TOO_LARGE',
      details: { message: 'The result is nested deeper than 32 levels' },
    });
    await expectBystanderServed();
  });

  it('truncates 100 MB of logging at the per-invocation cap while another plugin runs unaffected (row 14)', async () => {
    await limited('w1:x.flood@1.0.0');
    const [flood, other] = await Promise.all([
      pool.invoke('w1:x.flood@1.0.0', 'actions/x.flood', null, nullHost),
      pool.invoke(bystander, 'actions/acme.ping', null, nullHost),
    ]);
    expect(flood.value).toBe('flooded');
    expect(flood.logsTruncated).toBe(true);
    const bytes = flood.logs.reduce((sum, line) => sum + Buffer.byteLength(line.message), 0);
    expect(bytes).toBeLessThanOrEqual(testLimits.maxLogBytes);
    expect(bytes).toBeGreaterThan(testLimits.maxLogBytes / 2);
    expect(other).toMatchObject({ value: 'pong', logs: [], logsTruncated: false });

    // The cap counts UTF-8 bytes, not characters.
    const japanese = await pool.invoke('w1:x.flood@1.0.0', 'actions/x.floodJa', null, nullHost);
    expect(japanese.logsTruncated).toBe(true);
    expect(japanese.logs[0]!.message).toBe('短');
    const japaneseBytes = japanese.logs.reduce((sum, line) => sum + Buffer.byteLength(line.message), 0);
    expect(japaneseBytes).toBeLessThanOrEqual(testLimits.maxLogBytes);
    expect(japaneseBytes).toBeGreaterThan(testLimits.maxLogBytes / 2);
  });
});
