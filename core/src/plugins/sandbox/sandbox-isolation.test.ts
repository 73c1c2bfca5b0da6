// What plugin code can reach and what it can hand back: test-plan rows 8, 11 and 15.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestGlobals } from './guest-globals.ts';
import { createSandboxPool, type HostCallHandler, type SandboxPool } from './index.ts';
import { nullHost, pluginBundle, testLimits } from './plugin-fixtures.ts';

let pool: SandboxPool;
const key = 'w1:x.isolation@1.0.0';
const bystander = 'w9:acme.bystander@1.0.0';

beforeAll(async () => {
  pool = createSandboxPool({ runners: 1 });
  await pool.load({ key, code: isolation, limits: testLimits });
  await pool.load({ key: bystander, code: pluginBundle(`{ actions: { 'acme.ping': () => 'pong' } }`), limits: testLimits });
}, 20_000);

afterAll(async () => {
  await pool.close();
});

// Every trap and getter of the hostile values makes a host call, so the test can tell whether
// anything ever ran them.
const isolation = pluginBundle(`{
  actions: {
    'x.globals': () => Object.getOwnPropertyNames(globalThis).sort(),
    'x.reachable': (input, ctx) => {
      const names = ['ivm', '_ivm', 'Reference', 'ExternalCopy', 'Callback', 'Isolate', 'bridge', '$0', 'api', 'console',
        'WebAssembly', 'SharedArrayBuffer', 'Atomics', 'require', 'process', '__daicho_plugin__'];
      const found = names.filter((name) => Reflect.has(globalThis, name));
      // Nothing in ctx but plain frozen objects and functions.
      const leaves = [];
      const walk = (value, path) => {
        for (const name of Reflect.ownKeys(value)) {
          const child = value[name];
          if (typeof child === 'function') leaves.push(path + String(name) + ':' + Object.getOwnPropertyNames(child).sort().join(','));
          else walk(child, path + String(name) + '.');
        }
      };
      walk(ctx, '');
      return { found, leaves, frozen: Object.isFrozen(ctx) && Object.isFrozen(ctx.records) };
    },
    'x.tamper': async (input, ctx) => {
      JSON.stringify = () => '"tampered"';
      JSON.parse = () => 'tampered';
      Object.defineProperty(Array.prototype, '0', { set() { throw new Error('setter ran'); }, configurable: true });
      Promise.prototype.then = function () { throw new Error('then ran'); };
      return 'tampered';
    },
    'x.afterTamper': async (input, ctx) => { const settings = await ctx.settings.get(); return settings; },
    'x.callSites': () => {
      const original = Error.prepareStackTrace;
      Error.prepareStackTrace = (error, sites) => sites.map((site) => typeof site.getFunction() + '/' + typeof site.getThis());
      const sites = new Error('probe').stack;
      Error.prepareStackTrace = original;
      return sites.slice(1);
    },
    'x.deepToJson': () => ({ toJSON() { let value = []; for (let i = 0; i < 100; i++) value = [value]; return value; } }),
    'x.protoKey': () => JSON.parse('{"ok":1,"__proto__":{"polluted":true}}'),
    'x.constructorKey': () => ({ constructor: { prototype: { polluted: true } } }),
    'x.nested': () => ({ a: { b: [{ c: 1 }] } }),
    'x.throwProxy': (input, ctx) => {
      throw new Proxy({}, { get() { ctx.kv.set('trap', 'get'); return 'trapped'; }, getPrototypeOf() { ctx.kv.set('trap', 'proto'); return Error.prototype; },
        getOwnPropertyDescriptor() { ctx.kv.set('trap', 'descriptor'); return { value: 'trapped', configurable: true }; }, ownKeys() { ctx.kv.set('trap', 'keys'); return []; } });
    },
    'x.throwGetter': (input, ctx) => { throw { get message() { ctx.kv.set('trap', 'message'); return 'from a getter'; }, get stack() { ctx.kv.set('trap', 'stack'); return ''; } }; },
    'x.throwErrorGetter': (input, ctx) => {
      const error = new Error('hidden');
      Object.defineProperty(error, 'message', { get() { ctx.kv.set('trap', 'message'); return 'from a getter'; } });
      throw error;
    },
    'x.throwSymbol': () => { throw Symbol('s'); },
    'x.throwString': () => { throw 'plain words'; },
    'x.throwLong': () => { throw new Error('y'.repeat(100000)); },
    'x.throwError': () => { const e = new TypeError('bad input'); e.stack = 'at /srv/daicho/core/src/secret.ts:1'; throw e; },
    'x.rejectProxy': async (input, ctx) => { await null; throw new Proxy(function () {}, { get() { ctx.kv.set('trap', 'get'); return 'x'; } }); },
  },
}`);

describe('what plugin code can reach (row 11)', () => {
  it('sees exactly the allow-listed globals', async () => {
    const result = await pool.invoke(key, 'actions/x.globals', null, nullHost);
    expect(result.value).toEqual([...guestGlobals].sort());
    expect(result.value).toMatchInlineSnapshot(`
      [
        "AggregateError",
        "Array",
        "ArrayBuffer",
        "AsyncDisposableStack",
        "BigInt",
        "BigInt64Array",
        "BigUint64Array",
        "Boolean",
        "DataView",
        "Date",
        "DisposableStack",
        "Error",
        "EvalError",
        "Float16Array",
        "Float32Array",
        "Float64Array",
        "Function",
        "Infinity",
        "Int16Array",
        "Int32Array",
        "Int8Array",
        "Intl",
        "Iterator",
        "JSON",
        "Map",
        "Math",
        "NaN",
        "Number",
        "Object",
        "Promise",
        "Proxy",
        "RangeError",
        "ReferenceError",
        "Reflect",
        "RegExp",
        "Set",
        "String",
        "SuppressedError",
        "Symbol",
        "SyntaxError",
        "TypeError",
        "URIError",
        "Uint16Array",
        "Uint32Array",
        "Uint8Array",
        "Uint8ClampedArray",
        "WeakMap",
        "WeakSet",
        "decodeURI",
        "decodeURIComponent",
        "encodeURI",
        "encodeURIComponent",
        "escape",
        "eval",
        "globalThis",
        "isFinite",
        "isNaN",
        "parseFloat",
        "parseInt",
        "undefined",
        "unescape",
      ]
    `);
  });

  it('reaches no isolated-vm object, bridge or host global; ctx holds plain functions only', async () => {
    const { value } = await pool.invoke(key, 'actions/x.reachable', null, nullHost);
    expect(value).toEqual({
      found: [],
      frozen: true,
      leaves: [
        'records.get:length,name', 'records.list:length,name', 'records.create:length,name', 'records.update:length,name', 'records.delete:length,name',
        'http.fetch:length,name', 'mail.send:length,name', 'settings.get:length,name',
        'kv.get:length,name', 'kv.set:length,name', 'kv.delete:length,name',
        'log.debug:length,name', 'log.info:length,name', 'log.warn:length,name', 'log.error:length,name',
      ],
    });
  });

  it('keeps working when plugin code replaces JSON, Promise.prototype.then and array setters', async () => {
    await pool.load({ key: 'w1:x.tamper@1.0.0', code: isolation, limits: testLimits });
    expect((await pool.invoke('w1:x.tamper@1.0.0', 'actions/x.tamper', null, nullHost)).value).toBe('tampered');
    const settings = await pool.invoke('w1:x.tamper@1.0.0', 'actions/x.afterTamper', null, async () => ({ rate: 2 }));
    expect(settings.value).toEqual({ rate: 2 });
  });
});

describe('the bootstrap behind plugin code', () => {
  it('is out of reach through Function.caller and V8 call sites', async () => {
    // Sloppy-mode code may read .caller; the bootstrap is strict, so it reads null.
    const sloppy = 'w1:x.sloppy@1.0.0';
    await pool.load({ key: sloppy, code: `var __daicho_plugin__ = { actions: { 'x.caller': function probe() { return String(probe.caller); } } };`, limits: testLimits });
    expect((await pool.invoke(sloppy, 'actions/x.caller', null, nullHost)).value).toBe('null');
    const sites = (await pool.invoke(key, 'actions/x.callSites', null, nullHost)).value as string[];
    expect(sites.length).toBeGreaterThan(0);
    expect(sites.every((site) => site === 'undefined/undefined')).toBe(true);
  });
});

describe('data plugin code returns (row 8)', () => {
  it('is measured after toJSON ran, inside the isolate', async () => {
    await expect(pool.invoke(key, 'actions/x.deepToJson', null, nullHost)).rejects.toMatchObject({
      code: 'PLUGIN_OUTPUT_TOO_LARGE',
      details: { message: 'The result is nested deeper than 32 levels' },
    });
  });


  it('never reaches Object.prototype: dangerous keys are refused', async () => {
    for (const handler of ['actions/x.protoKey', 'actions/x.constructorKey']) {
      await expect(pool.invoke(key, handler, null, nullHost)).rejects.toMatchObject({ code: 'PLUGIN_ERROR', details: { message: expect.stringMatching(/^the result has the key "(__proto__|constructor)"/) } });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
    expect((await pool.invoke(bystander, 'actions/acme.ping', null, nullHost)).value).toBe('pong');
  });

  it('arrives as objects without a prototype', async () => {
    const { value } = await pool.invoke(key, 'actions/x.nested', null, nullHost);
    const nested = value as { a: { b: Array<{ c: number }> } };
    expect([Object.getPrototypeOf(nested), Object.getPrototypeOf(nested.a), Object.getPrototypeOf(nested.a.b[0])]).toEqual([null, null, null]);
  });
});

describe('values plugin code throws (row 15)', () => {
  const cases: Array<[string, string]> = [
    ['actions/x.throwProxy', 'Plugin code threw a non-Error value (object)'],
    ['actions/x.throwGetter', 'Plugin code threw a non-Error value (object)'],
    ['actions/x.throwErrorGetter', 'Plugin code threw an Error without a message'],
    ['actions/x.throwSymbol', 'Plugin code threw a non-Error value (symbol)'],
    ['actions/x.rejectProxy', 'Plugin code threw a non-Error value (function)'],
    ['actions/x.throwString', 'plain words'],
    ['actions/x.throwError', 'bad input'],
  ];

  it.each(cases)('%s becomes a sanitised PLUGIN_ERROR without running guest accessors', async (handler, message) => {
    let sideEffects = 0;
    const host: HostCallHandler = async () => {
      sideEffects++;
      return null;
    };
    const error = await pool.invoke(key, handler, null, host).then(
      () => expect.unreachable(),
      (error: unknown) => error,
    );
    expect(error).toMatchObject({ code: 'PLUGIN_ERROR', status: 422, details: { plugin: 'x.isolation@1.0.0', message } });
    expect(Object.keys((error as { details: object }).details).sort()).toEqual(['message', 'plugin']);
    expect(JSON.stringify(error)).not.toContain('/srv/daicho');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sideEffects).toBe(0);
  });

  it('caps a long message', async () => {
    await expect(pool.invoke(key, 'actions/x.throwLong', null, nullHost)).rejects.toMatchObject({
      code: 'PLUGIN_ERROR',
      details: { message: 'y'.repeat(1000) + '…' },
    });
  });
});
