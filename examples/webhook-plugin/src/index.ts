import { definePlugin } from '@daicho/sdk';
import type { JsonValue, PluginContext } from '@daicho/sdk';
import type { DaichoObjects } from './daicho-objects.js';

/** The admin's settings, from contributes.settingsSchema. */
interface Settings {
  path: string;
  secret: string;
}

type Context = PluginContext<DaichoObjects, Settings>;

const base = 'https://hooks.example.com';

// The permission covers https://hooks.example.com/* only; the host refuses any other URL.
async function post(ctx: Context, path: string | undefined, payload: JsonValue): Promise<number> {
  const settings = await ctx.settings.get();
  const answer = await ctx.http.fetch(`${base}${path ?? settings.path ?? '/orders'}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(settings.secret ? { 'x-webhook-secret': settings.secret } : {}) },
    body: JSON.stringify(payload),
  });
  await ctx.kv.set('lastStatus', answer.status);
  if (answer.status >= 400) ctx.log.warn('webhook answered', answer.status);
  return answer.status;
}

export default definePlugin<DaichoObjects, Settings>({
  hooks: {
    'acme.webhook.order': {
      // after* hooks are queued after the commit: a slow or failing webhook never blocks the write.
      async afterCreate({ record }, ctx) {
        await post(ctx, undefined, { event: 'order.created', id: record.id ?? null, reference: record.reference ?? null, amount: record.amount ?? null });
      },
    },
  },
  actions: {
    async 'acme.webhook.post'(input: { path?: string; payload: { [key: string]: JsonValue } }, ctx: Context) {
      return { status: await post(ctx, input.path, input.payload) };
    },
  },
});
