import type { JsonValue } from '../contract.ts';

/**
 * `ctx.kv`: a small key-value store of the plugin's own, per workspace; needs `kv`.
 *
 * @example
 * const seen = ((await ctx.kv.get('seen')) as number | null) ?? 0;
 * await ctx.kv.set('seen', seen + 1);
 */
export interface KvApi {
  get(key: string): Promise<JsonValue | null>;
  set(key: string, value: JsonValue): Promise<null>;
  delete(key: string): Promise<null>;
}
