import type { JsonValue } from '../contract.ts';

/**
 * `ctx.settings`: the values the admin entered in the form rendered from the manifest's
 * `contributes.settingsSchema`. Type them with `definePlugin`'s second type argument.
 *
 * @example
 * const { greeting = 'Hello' } = await ctx.settings.get();
 */
export interface SettingsApi<Settings extends object = Record<string, JsonValue>> {
  get(): Promise<Partial<Settings>>;
}
