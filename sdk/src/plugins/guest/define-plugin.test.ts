import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BeforeHookResult } from '../contract.ts';
import type { PluginContext } from './context.ts';
import { hostErrorCode } from './context.ts';
import { definePlugin } from './define-plugin.ts';
import type { RecordHookHandlers } from './define-plugin.ts';
import type { StoredRecord } from './records.ts';

interface Objects {
  'acme.hello.greeting': { person: string; count?: number | null };
}

describe('definePlugin', () => {
  it('returns its argument, so the bundle exports the definition itself', () => {
    const definition = { actions: { 'acme.hello.ping': async () => ({ ok: true }) } };
    expect(definePlugin(definition)).toBe(definition);
  });

  it('types hooks, ctx.records and ctx.settings from its type arguments', () => {
    definePlugin<Objects, { greeting: string }>({
      hooks: {
        'acme.hello.greeting': {
          async beforeCreate({ record }, ctx) {
            expectTypeOf(record.person).toEqualTypeOf<string | undefined>();
            expectTypeOf(await ctx.settings.get()).toEqualTypeOf<Partial<{ greeting: string }>>();
            const found = await ctx.records.get('acme.hello.greeting', 'id');
            expectTypeOf(found).toEqualTypeOf<StoredRecord<Objects['acme.hello.greeting']> | null>();
            return { set: { count: 1 } };
          },
          afterDelete: async ({ previous }, ctx) => {
            ctx.log.info('deleted', previous?.id);
          },
        },
      },
      schedules: { nightly: async ({ firedAt }) => void firedAt },
      migrations: { '1.1.0': async ({ from }) => void from },
    });
  });

  it('refuses values that are not fields of the object', () => {
    const hooks: RecordHookHandlers<Objects['acme.hello.greeting']> = {
      // @ts-expect-error: colour is not a field of acme.hello.greeting
      beforeCreate: async () => ({ set: { colour: 'red' } }),
    };
    expect(hooks.beforeCreate).toBeTypeOf('function');
  });

  it('keeps the typed results assignable to the contract', () => {
    expectTypeOf<{ set: { person: string } }>().toExtend<BeforeHookResult>();
    expectTypeOf<PluginContext['records']['delete']>().returns.resolves.toEqualTypeOf<null>();
  });
});

describe('hostErrorCode', () => {
  it('reads the code of a refused host call, and nothing else', () => {
    expect(hostErrorCode(Object.assign(new Error('no'), { code: 'PERMISSION_DENIED' }))).toBe('PERMISSION_DENIED');
    expect(hostErrorCode(new Error('plain'))).toBeUndefined();
    expect(hostErrorCode('PERMISSION_DENIED')).toBeUndefined();
    expect(hostErrorCode({ code: 42 })).toBeUndefined();
  });
});
