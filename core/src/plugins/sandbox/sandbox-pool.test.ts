import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaichoError } from '../../errors/index.ts';
import { createSandboxPool, type HostCallHandler, type SandboxPool } from './index.ts';
import { nullHost, pluginBundle, runnerPids, testLimits } from './plugin-fixtures.ts';

let pool: SandboxPool;
/** Starting a runner process takes 0.3–0.5 s, several times that on a loaded machine. */
const slowStart = 20_000;

beforeAll(() => {
  pool = createSandboxPool({ runners: 2 });
});

afterAll(async () => {
  await pool.close();
});

const deals = pluginBundle(`{
  hooks: {
    'acme.deal': {
      async beforeCreate(input, ctx) {
        ctx.log.info('pricing', input.record.name, { amount: input.record.amount });
        const settings = await ctx.settings.get();
        return { set: { total: input.record.amount * settings.rate, by: input.userId } };
      },
      afterCreate() { return null; },
    },
  },
  actions: {
    'acme.echo': (input) => input,
    'acme.kv': async (input, ctx) => {
      try {
        await ctx.kv.get(input.key);
        return 'no error';
      } catch (error) {
        return { name: error.name, code: error.code, message: error.message, isError: error instanceof Error };
      }
    },
    'acme.uncaught': async (input, ctx) => { await ctx.records.get('acme.deal', 'r1'); return 'unreachable'; },
    'acme.interleaved': async (input, ctx) => {
      ctx.log.info('start', input.n);
      const first = await ctx.kv.get('a' + input.n);
      ctx.log.info('middle', input.n);
      const second = await ctx.kv.get('b' + input.n);
      return [first, second];
    },
    'acme.slow': async (input, ctx) => { await ctx.kv.get('slow'); return 'done'; },
    'acme.wide': async (input, ctx) => {
      try { await ctx.kv.set('k', 'x'.repeat(100000)); } catch (error) { return error.code; }
    },
    'acme.every': async (input, ctx) => {
      await ctx.records.list('acme.deal', { limit: 5 });
      await ctx.records.create('acme.deal', { name: 'a' });
      await ctx.records.update('acme.deal', 'r1', { name: 'b' }, 3);
      await ctx.records.delete('acme.deal', 'r1');
      await ctx.http.fetch('https://example.com/');
      await ctx.mail.send({ to: 'a@example.com', subject: 's' });
      await ctx.kv.set('k', { v: 1 });
      await ctx.kv.delete('k');
      return 'ok';
    },
  },
  schedules: { nightly: () => null },
  migrations: { '1.1.0': () => null },
  constructor: { polluting: () => 'no' },
}`);

describe('a sandbox pool', () => {
  it('runs a hook that returns values to set, with its logs (happy path)', { timeout: slowStart }, async () => {
    await pool.load({ key: 'w1:acme.deals@1.0.0', code: deals, limits: testLimits });
    const calls: unknown[] = [];
    const host: HostCallHandler = async (method, args) => {
      calls.push([method, args]);
      return { rate: 1.1 };
    };
    const input = { object: 'acme.deal', event: 'beforeCreate', record: { name: 'Big', amount: 100 }, previous: null, userId: 'u1' };
    const result = await pool.invoke('w1:acme.deals@1.0.0', 'hooks/acme.deal/beforeCreate', input, host);
    expect(result.value).toEqual({ set: { total: 110.00000000000001, by: 'u1' } });
    expect(Object.getPrototypeOf(result.value)).toBe(null);
    expect(calls).toEqual([['settings.get', []]]);
    expect(result.hostCalls).toBe(1);
    expect(result.logsTruncated).toBe(false);
    expect(result.logs).toEqual([{ level: 'info', message: 'pricing Big {"amount":100}', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(result.elapsedMs).toBeGreaterThan(0);
  });

  it('lists the handler paths the definition exports', async () => {
    expect((await pool.handlers('w1:acme.deals@1.0.0')).sort()).toEqual([
      'actions/acme.echo', 'actions/acme.every', 'actions/acme.interleaved', 'actions/acme.kv', 'actions/acme.slow', 'actions/acme.uncaught', 'actions/acme.wide',
      'hooks/acme.deal/afterCreate', 'hooks/acme.deal/beforeCreate', 'migrations/1.1.0', 'schedules/nightly',
    ]);
  });

  it('resolves handler paths on own properties only', async () => {
    await expect(pool.invoke('w1:acme.deals@1.0.0', 'actions/constructor', null, nullHost)).rejects.toMatchObject({ code: 'PLUGIN_ERROR' });
    await expect(pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.missing', null, nullHost)).rejects.toMatchObject({
      code: 'PLUGIN_ERROR',
      details: { plugin: 'acme.deals@1.0.0', message: 'The plugin has no handler actions/acme.missing' },
    });
  });

  it('passes each host call its arguments in the contract shape', async () => {
    const calls: unknown[] = [];
    await pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.every', null, async (method, args) => {
      calls.push([method, args]);
      return null;
    });
    expect(calls).toEqual([
      ['records.list', ['acme.deal', { limit: 5 }]],
      ['records.create', ['acme.deal', { name: 'a' }]],
      ['records.update', ['acme.deal', 'r1', { name: 'b' }, 3]],
      ['records.delete', ['acme.deal', 'r1']],
      ['http.fetch', ['https://example.com/', {}]],
      ['mail.send', [{ to: 'a@example.com', subject: 's' }]],
      ['kv.set', ['k', { v: 1 }]],
      ['kv.delete', ['k']],
    ]);
  });

  it("gives a failed host call to the guest as an Error with the host's code and message", async () => {
    const denied: HostCallHandler = async () => {
      throw new DaichoError('PERMISSION_DENIED', 'The plugin may not use kv');
    };
    const result = await pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.kv', { key: 'a' }, denied);
    expect(result.value).toEqual({ name: 'Error', code: 'PERMISSION_DENIED', message: 'The plugin may not use kv', isError: true });

    // A host fault that is not one of ours reaches the guest without its words.
    const broken: HostCallHandler = async () => {
      throw new TypeError('secret internals at /srv/daicho/core');
    };
    const hidden = await pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.kv', { key: 'a' }, broken);
    expect(hidden.value).toEqual({ name: 'Error', code: 'INTERNAL_ERROR', message: 'The host call failed', isError: true });
  });

  it("rethrows the host's own error when the guest does not catch it", async () => {
    const notFound = new DaichoError('NOT_FOUND', 'Record "r1" was not found');
    await expect(pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.uncaught', null, async () => {
      throw notFound;
    })).rejects.toBe(notFound);
  });

  it('refuses host-call arguments over the output cap inside the guest', async () => {
    let called = 0;
    const result = await pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.wide', null, async () => {
      called++;
      return null;
    });
    expect(result.value).toBe('PLUGIN_OUTPUT_TOO_LARGE');
    expect(called).toBe(0);
  });

  it('keeps concurrent calls of one plugin apart: host calls, results and logs', async () => {
    const host: HostCallHandler = async (_method, args) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
      return args[0]!;
    };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, n) => pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.interleaved', { n }, host)),
    );
    results.forEach((result, n) => {
      expect(result.value).toEqual([`a${n}`, `b${n}`]);
      expect(result.logs.map((line) => line.message)).toEqual([`start ${n}`, `middle ${n}`]);
      expect(result.hostCalls).toBe(2);
    });
  });

  it('fails in-flight calls with PLUGIN_UNAVAILABLE when a runner is killed, then serves again (row 5)', { timeout: slowStart }, async () => {
    let hostCalled!: () => void;
    const reached = new Promise<void>((resolve) => (hostCalled = resolve));
    const call = pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.slow', null, () => {
      hostCalled();
      return new Promise(() => {});
    });
    await reached;
    const pids = runnerPids();
    // Runners start with their first call: at least the one serving this plugin runs.
    expect(pids.length).toBeGreaterThanOrEqual(1);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await expect(call).rejects.toMatchObject({ code: 'PLUGIN_UNAVAILABLE', status: 503 });
    // The runner is back (handlers has no deadline, so a slow machine cannot fail this), and the
    // plugin is reloaded into it lazily.
    const started = performance.now();
    expect(await pool.handlers('w1:acme.deals@1.0.0')).toContain('actions/acme.echo');
    expect(performance.now() - started).toBeLessThan(5000);
    const again = await pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.echo', { n: 1 }, nullHost);
    expect(again.value).toEqual({ n: 1 });
    expect(runnerPids().filter((pid) => pids.includes(pid))).toEqual([]);
  });

  it('kills and replaces a runner after a deadline when it may not take time to dispose the isolate (resetGraceMs 0)', { timeout: slowStart }, async () => {
    const before = new Set(runnerPids());
    const own = createSandboxPool({ runners: 1, resetGraceMs: 0 });
    try {
      const key = 'w3:acme.stuck@1.0.0';
      await own.load({ key, code: deals, limits: { ...testLimits, deadlineMs: 100 } }, { eager: true });
      const [first] = runnerPids().filter((pid) => !before.has(pid));
      const started = performance.now();
      await expect(own.invoke(key, 'actions/acme.slow', null, () => new Promise(() => {}))).rejects.toMatchObject({ code: 'PLUGIN_DEADLINE' });
      expect(performance.now() - started).toBeLessThan(500);
      // The replacement runner loads the plugin afresh.
      await own.load({ key, code: deals, limits: testLimits }, { eager: true });
      expect((await own.invoke(key, 'actions/acme.echo', 'again', nullHost)).value).toBe('again');
      const now = runnerPids().filter((pid) => !before.has(pid));
      expect(now).toHaveLength(1);
      expect(now).not.toContain(first);
    } finally {
      await own.close();
    }
  });

  it('stops its runner processes on close', { timeout: slowStart }, async () => {
    const before = new Set(runnerPids());
    const own = createSandboxPool({ runners: 1 });
    await own.load({ key: 'w3:acme.echo@1.0.0', code: pluginBundle(`{ actions: { 'acme.echo': (input) => input } }`), limits: testLimits }, { eager: true });
    const started = runnerPids().filter((pid) => !before.has(pid));
    expect(started).toHaveLength(1);
    await own.close();
    expect(runnerPids()).not.toContain(started[0]);
    await expect(own.invoke('w3:acme.echo@1.0.0', 'actions/acme.echo', 1, nullHost)).rejects.toMatchObject({ code: 'PLUGIN_UNAVAILABLE' });
  });

  it('unloads a plugin: later calls fail with PLUGIN_UNAVAILABLE until it is loaded again', async () => {
    const key = 'w2:acme.echo@1.0.0';
    await pool.load({ key, code: pluginBundle(`{ actions: { 'acme.echo': (input) => input } }`), limits: testLimits });
    expect((await pool.invoke(key, 'actions/acme.echo', 1, nullHost)).value).toBe(1);
    await pool.unload(key);
    await expect(pool.invoke(key, 'actions/acme.echo', 1, nullHost)).rejects.toMatchObject({ code: 'PLUGIN_UNAVAILABLE' });
    await expect(pool.handlers(key)).rejects.toMatchObject({ code: 'PLUGIN_UNAVAILABLE' });
    await pool.load({ key, code: pluginBundle(`{ actions: { 'acme.echo': (input) => [input] } }`), limits: testLimits });
    expect((await pool.invoke(key, 'actions/acme.echo', 1, nullHost)).value).toEqual([1]);
  });

  it('refuses a bundle that does not load, with PLUGIN_ERROR', async () => {
    await expect(pool.load({ key: 'w2:acme.broken@1.0.0', code: 'var __daicho_plugin__ = {', limits: testLimits }, { eager: true })).rejects.toMatchObject({
      code: 'PLUGIN_ERROR',
      details: { plugin: 'acme.broken@1.0.0', message: expect.stringMatching(/^The bundle failed to load/) },
    });
    // Loaded lazily, the same bundle fails its first call instead.
    await pool.load({ key: 'w2:acme.empty@1.0.0', code: '1 + 1', limits: testLimits });
    await expect(pool.invoke('w2:acme.empty@1.0.0', 'actions/acme.echo', null, nullHost)).rejects.toMatchObject({
      code: 'PLUGIN_ERROR',
      details: { message: 'The bundle does not assign a plugin definition to __daicho_plugin__' },
    });
  });

  it.runIf(fs.existsSync('/proc/self/maps'))('never loads isolated-vm into the calling process', async () => {
    expect((await pool.invoke('w1:acme.deals@1.0.0', 'actions/acme.echo', 1, nullHost)).value).toBe(1);
    expect(fs.readFileSync('/proc/self/maps', 'utf8')).not.toMatch(/isolated[-_]vm/);
  });

  it('accepts a bundle whose namespace is the definition itself', async () => {
    const key = 'w2:acme.plain@1.0.0';
    await pool.load({ key, code: `var __daicho_plugin__ = { actions: { 'acme.one': () => 1 } };`, limits: testLimits });
    expect((await pool.invoke(key, 'actions/acme.one', null, nullHost)).value).toBe(1);
  });
});
